"""Same seed and scale: byte-identical output tree. Another seed: different output."""

from __future__ import annotations

import hashlib
from pathlib import Path

from palermo.synth.world import generate_world


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    generate_world("tiny", 5, tmp_path / "a")
    generate_world("tiny", 5, tmp_path / "b")
    assert tree_hash(tmp_path / "a") == tree_hash(tmp_path / "b")


def test_another_seed_gives_another_world(tmp_path: Path) -> None:
    generate_world("tiny", 5, tmp_path / "a")
    generate_world("tiny", 6, tmp_path / "b")
    assert tree_hash(tmp_path / "a") != tree_hash(tmp_path / "b")
