"""``palermo audit``: sign, verify, proof, export, verify-export against an initialised node."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from palermo.audit.keys import node_signing_key
from palermo.cli.main import app
from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.node import Node, init_node
from palermo.settings import Settings

runner = CliRunner()


@pytest.fixture
def node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fill: Callable[..., None]) -> Node:
    home = tmp_path / "home"
    monkeypatch.setenv("PALERMO_HOME", str(home))
    current = init_node(Settings(home=home))
    fill(current.engine, node_signing_key(home), 7, 3)
    return current


def test_sign_then_verify_succeeds(node: Node) -> None:
    signed = runner.invoke(app, ["audit", "sign"])
    assert signed.exit_code == 0, signed.output
    assert "size 7" in signed.output
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.output)["ok"] is True


def test_verify_fails_and_names_the_entry(node: Node) -> None:
    with transaction(node.engine) as session:
        session.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(result_count=99))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert json.loads(result.output)["first"]["seq"] == 2


def test_inclusion_and_consistency_proofs(node: Node) -> None:
    inclusion = runner.invoke(app, ["audit", "proof", "--seq", "1"])
    assert inclusion.exit_code == 0, inclusion.output
    assert json.loads(inclusion.output)["tree_size"] == 6
    consistency = runner.invoke(app, ["audit", "proof", "--consistency", "3", "6"])
    assert consistency.exit_code == 0, consistency.output
    assert json.loads(consistency.output)["old_tree_head"]["tree_size"] == 3
    neither = runner.invoke(app, ["audit", "proof"])
    assert neither.exit_code == 2
    assert "--seq N or --consistency" in neither.output


def test_export_verifies_with_the_pinned_key(node: Node, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    exported = runner.invoke(app, ["audit", "export", "--since", "2000-01-01", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert len(json.loads(out.read_text())["entries"]) == 7
    pinned = json.loads(runner.invoke(app, ["audit", "key"]).output)["raw_hex"]
    checked = runner.invoke(app, ["audit", "verify-export", str(out), "--public-key", pinned])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["entries_verified"] == 7


def test_bad_since_is_a_clear_error(node: Node) -> None:
    result = runner.invoke(app, ["audit", "export", "--since", "last tuesday"])
    assert result.exit_code == 2
    assert "not an ISO date" in result.output


def test_the_report_counts_in_words_a_reader_expects(node: Node) -> None:
    result = runner.invoke(app, ["audit", "report"])
    assert result.exit_code == 0, result.output
    counted = next(line for line in result.output.splitlines() if "examined" in line)
    assert counted.startswith("7 entries examined, ")
    number = int(counted.split(", ")[1].split()[0])
    assert counted.endswith(f"{number} consultation" + ("" if number == 1 else "s"))
