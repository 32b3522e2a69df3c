"""The CLI as a user meets it: help, init, a clear error for a second init or a missing node, ingest summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from palermo.cli.main import app
from palermo.db.engine import transaction
from palermo.db.reference import Agency
from palermo.node import open_node
from palermo.settings import Settings

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"PALERMO_HOME": str(tmp_path / "home"), "PALERMO_AGENCY": "bp-at"}


def test_help_lists_every_command_with_one_line_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "db", "ingest", "sources", "schema"):
        assert command in result.output


def test_init_twice_is_a_clear_conflict(env: dict[str, str]) -> None:
    first = runner.invoke(app, ["init"], env=env)
    assert first.exit_code == 0, first.output
    assert "Initialised node" in first.output
    second = runner.invoke(app, ["init"], env=env)
    assert second.exit_code == 4
    assert "already initialised as node" in second.output


def test_commands_on_a_missing_node_say_what_to_do(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["sources", "list"], env=env)
    assert result.exit_code == 3
    assert "run `palermo init` first" in result.output


def test_insecure_secret_is_refused_in_production(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["sources", "list"], env={**env, "PALERMO_ENV": "production"})
    assert result.exit_code == 78
    assert "PALERMO_SECRET_KEY is unset or insecure" in result.output


@pytest.mark.parametrize(("memory_kib", "passes"), [("8", "1"), ("7168", "4"), ("4096", "20")])
def test_cheap_password_hashes_are_refused_in_production(env: dict[str, str], memory_kib: str, passes: str) -> None:
    production = {
        **env,
        "PALERMO_ENV": "production",
        "PALERMO_SECRET_KEY": "k" * 40,
        "PALERMO_PASSWORD_HASH_MEMORY_KIB": memory_kib,
        "PALERMO_PASSWORD_HASH_PASSES": passes,
    }
    result = runner.invoke(app, ["sources", "list"], env=production)
    assert result.exit_code == 78
    assert "below OWASP's minimum for Argon2id" in result.output
    owasp = {**production, "PALERMO_PASSWORD_HASH_MEMORY_KIB": "19456", "PALERMO_PASSWORD_HASH_PASSES": "2"}
    assert "OWASP" not in runner.invoke(app, ["sources", "list"], env=owasp).output


def test_ingest_prints_a_json_summary(env: dict[str, str], tmp_path: Path) -> None:
    runner.invoke(app, ["init"], env=env)
    data = tmp_path / "orgs.csv"
    data.write_text("source_key,name,country\no1,Acme,AUT\no2,,AUT\n", encoding="utf-8")
    result = runner.invoke(
        app, ["ingest", str(data), "--source", "registry", "--kind", "organisations", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert (summary["inserted"], summary["rejected"]) == (1, 1)
    assert summary["rejects_path"].endswith("orgs.csv.rejects.jsonl")


def test_unknown_kind_is_named(env: dict[str, str], tmp_path: Path) -> None:
    runner.invoke(app, ["init"], env=env)
    data = tmp_path / "x.csv"
    data.write_text("source_key\nx\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(data), "--source", "s", "--kind", "people"], env=env)
    assert result.exit_code == 2
    assert "unknown kind 'people'" in result.output


def test_init_takes_the_agency_code_and_stores_the_country_as_alpha3(tmp_path: Path) -> None:
    env = {"PALERMO_HOME": str(tmp_path / "home")}
    result = runner.invoke(app, ["init", "--agency", "at-bk", "--country", "at"], env=env)
    assert result.exit_code == 0, result.output
    assert "(agency at-bk)" in result.stdout
    assert "warning" not in result.stderr
    node = open_node(Settings(home=tmp_path / "home"))
    with transaction(node.engine) as session:
        country = session.scalars(select(Agency.country).where(Agency.code == node.agency_code)).one()
    assert (node.agency_code, country) == ("at-bk", "AUT")


def test_init_refuses_a_bad_agency_code_or_country_and_warns_about_the_default_code(tmp_path: Path) -> None:
    env = {"PALERMO_HOME": str(tmp_path / "home")}
    bad_code = runner.invoke(app, ["init", "--agency", "at bk"], env=env)
    assert bad_code.exit_code == 2
    assert "agency code 'at bk' must be 2-64 letters" in bad_code.stderr
    bad_country = runner.invoke(app, ["init", "--agency", "at-bk", "--country", "XQ"], env=env)
    assert bad_country.exit_code == 2
    assert "unknown country code 'XQ'" in bad_country.stderr
    default = runner.invoke(app, ["init"], env=env)
    assert default.exit_code == 0, default.output
    assert "warning: this node's agency code is 'local', the default" in default.stderr
