"""Helpers shared across test folders live in ``tests/factories.py`` (and hand-built worlds that several folders
read, such as ``tests/travel_world.py``); no test imports another folder's helpers or anything from a test module."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
SHARED = {"tests.factories", "tests.postgres", "tests.conftest", "tests.travel_world"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]


def test_tests_share_helpers_only_through_factories() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        folder = ".".join(("tests", *path.relative_to(TESTS).parent.parts))
        for module in _imports(path):
            if not module.startswith("tests.") or module in SHARED:
                continue
            other_folder = module.rpartition(".")[0] != folder
            from_a_test_module = module.rpartition(".")[2].startswith("test_")
            if other_folder or from_a_test_module:
                offenders.append(f"{path.relative_to(TESTS)}: {module}")
    assert offenders == []
