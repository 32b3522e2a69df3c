"""Accounts on the command line: init prints the first admin's one-time password; users and tokens commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from palermo.auth.passwords import verify_password
from palermo.cli.main import app
from palermo.db.accounts import User
from palermo.db.engine import make_engine, transaction
from palermo.node import open_node
from palermo.settings import Settings

runner = CliRunner()
PASSWORD_LINE = re.compile(r"password[^:]*:\s*(\S+)\s*$", re.IGNORECASE)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {"PALERMO_HOME": str(tmp_path / "home"), "PALERMO_AGENCY": "bp-at"}
    result = runner.invoke(app, ["init"], env=values)
    assert result.exit_code == 0, result.output
    return values


def printed_password(output: str) -> str:
    match = PASSWORD_LINE.search(" ".join(output.split()))
    assert match is not None, output
    return match.group(1)


def password_hash(env: dict[str, str], username: str) -> str:
    engine = make_engine(f"sqlite:///{Path(env['PALERMO_HOME']) / 'palermo.db'}")
    with transaction(engine) as session:
        return next(u.password_hash for u in session.query(User) if u.username == username)


def test_init_creates_an_admin_whose_one_time_password_is_printed_once(tmp_path: Path) -> None:
    values = {"PALERMO_HOME": str(tmp_path / "home")}
    result = runner.invoke(app, ["init"], env=values)
    assert result.exit_code == 0, result.output
    assert "Administrator admin" in result.output
    assert verify_password(password_hash(values, "admin"), printed_password(result.output))
    node = open_node(Settings(home=tmp_path / "home"))
    with transaction(node.engine) as session:
        admin = session.query(User).one()
        assert (admin.role, admin.must_change_password) == ("admin", True)


def test_users_add_list_reset_disable(env: dict[str, str]) -> None:
    added = runner.invoke(app, ["users", "add", "alice", "--role", "analyst", "--display-name", "Alice A."], env=env)
    assert added.exit_code == 0, added.output
    first = printed_password(added.output)
    reset = runner.invoke(app, ["users", "reset", "alice"], env=env)
    second = printed_password(reset.output)
    assert first != second
    assert verify_password(password_hash(env, "alice"), second)
    assert runner.invoke(app, ["users", "disable", "alice"], env=env).exit_code == 0
    listed = runner.invoke(app, ["users", "list"], env=env)
    assert "alice" in listed.output
    assert "disabled" in listed.output


def test_unknown_role_is_a_clear_error(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["users", "add", "bob", "--role", "pilot"], env=env)
    assert result.exit_code == 2
    assert "unknown roles value 'pilot'" in result.output


def test_tokens_create_list_revoke(env: dict[str, str]) -> None:
    runner.invoke(app, ["users", "add", "alice", "--role", "analyst"], env=env)
    created = runner.invoke(
        app, ["tokens", "create", "--user", "alice", "--name", "etl", "--scope", "sources.read"], env=env
    )
    assert created.exit_code == 0, created.output
    secret = created.output.split()[-1]
    assert secret.startswith("plm_")
    listed = runner.invoke(app, ["tokens", "list"], env=env)
    assert "etl" in listed.output
    assert secret not in listed.output
    assert runner.invoke(app, ["tokens", "revoke", "1"], env=env).exit_code == 0
    assert runner.invoke(app, ["tokens", "revoke", "99"], env=env).exit_code == 3


def test_a_token_cannot_exceed_its_owner(env: dict[str, str]) -> None:
    runner.invoke(app, ["users", "add", "alice", "--role", "border_officer"], env=env)
    result = runner.invoke(
        app, ["tokens", "create", "--user", "alice", "--name", "x", "--scope", "users.manage"], env=env
    )
    assert result.exit_code == 5
    assert "does not hold it" in result.output


def test_person_commands_need_a_justification(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "persons.csv"
    data.write_text("source_key,surname,given_names\np1,Novak,Petra\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(data), "--source", "s", "--kind", "persons"], env=env).exit_code == 0
    refused = runner.invoke(app, ["persons", "search", "novak"], env=env)
    assert refused.exit_code == 5
    assert "--justification" in " ".join(refused.output.split())
    found = runner.invoke(app, ["persons", "search", "novak", "--justification", "criminal_investigation"], env=env)
    assert found.exit_code == 0, found.output
    assert "Petra Novak" in found.output
    shown = runner.invoke(app, ["persons", "show", "1"], env={**env, "PALERMO_JUSTIFICATION": "JIT-2026-0042"})
    assert shown.exit_code == 0, shown.output
    assert '"handling": "H0"' in shown.output


def test_a_partner_service_account_cannot_be_made_with_users_add(env: dict[str, str]) -> None:
    """Issue 17: `users add --role partner_node` made an account that could sign in to the pages with a password."""
    result = runner.invoke(app, ["users", "add", "partner-x", "--role", "partner_node"], env=env)
    assert result.exit_code == 2
    assert "partners add" in " ".join(result.stderr.split())
    assert "password" not in result.stdout.lower()
