"""Commands reach the store through ``palermo.cli.context``: one place opens the transaction and builds the actor."""

from __future__ import annotations

from pathlib import Path

import palermo.cli

HAND_BUILT = ("transaction(", "cli_actor(")
CLI = Path(palermo.cli.__file__).parent


def test_no_command_opens_a_transaction_or_builds_its_actor_itself() -> None:
    offenders = [
        f"{module.name}: {pattern}"
        for module in sorted(CLI.glob("*.py"))
        if module.name != "context.py"
        for pattern in HAND_BUILT
        if pattern in module.read_text(encoding="utf-8")
    ]
    assert offenders == []
