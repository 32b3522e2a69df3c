"""``palermo victims`` on a real node: providers, a case, an assessment and its revision, consent, referral."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from palermo.cli.main import app

runner = CliRunner()
PROVIDERS = Path(__file__).parent / "providers.csv"


def test_a_case_from_opening_to_referral_on_the_command_line(tmp_path: Path) -> None:
    env = {"PALERMO_HOME": str(tmp_path / "home"), "PALERMO_JUSTIFICATION": "victim_protection"}
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    loaded = runner.invoke(app, ["victims", "providers", "load", str(PROVIDERS)], env=env)
    assert "4 new, 0 updated, 0 unchanged" in loaded.output, loaded.output
    listed = runner.invoke(app, ["victims", "indicators", "--list", "child_labour"], env=env)
    assert "ec.hazardous_work" in listed.output
    opened = runner.invoke(app, ["victims", "open", "--name", "Ion Rusu", "--birth-date", "2010"], env=env)
    assert opened.output.strip() == "victim case 1 opened", opened.output
    signs = ["-i", "dr.job_nature", "-i", "dr.wages", "-i", "ec.excessive_hours", "-i", "ec.low_pay"]
    assessed = runner.invoke(app, ["victims", "assess", "1", "--exploitation", "labour", *signs], env=env)
    assert assessed.exit_code == 0, assessed.output
    result = json.loads(assessed.output)
    assert (result["indicator_list"], result["presumed_victim"]) == ("child_labour", True)
    revised = runner.invoke(
        app,
        ["victims", "revise", str(result["id"]), "--reason", "wages were paid", "--exploitation", "labour"],
        env=env,
    )
    assert json.loads(revised.output)["presumed_victim"] is False
    history = json.loads(runner.invoke(app, ["victims", "history", "1"], env=env).output)
    assert [h["version"] for h in history] == [1, 2]
    refer = [
        "victims",
        "refer",
        "1",
        "--provider",
        "child-at",
        "--service",
        "child_protection",
        "--category",
        "identity",
    ]
    refused = runner.invoke(app, refer, env=env)
    assert refused.exit_code == 5
    assert "no consent covers sharing identity with child-at" in refused.output
    consent = [
        "victims", "consent", "1", "--provider", "child-at", "--category", "identity", "--service", "child_protection",
        "--until", "2099-01-01", "--informed-in", "Romanian", "--given-by", "guardian",
    ]  # fmt: skip
    assert "consent 1 recorded" in runner.invoke(app, consent, env=env).output
    referred = runner.invoke(app, refer, env=env)
    assert json.loads(referred.output)["basis"] == "consent:1"
    withdrawn = runner.invoke(app, ["victims", "withdraw", "1", "--note", "guardian withdrew"], env=env)
    assert "consent 1 withdrawn; referrals stopped: 1" in withdrawn.output
    cases = runner.invoke(app, ["victims", "cases"], env=env)
    assert "manual" in cases.output
    shown = json.loads(runner.invoke(app, ["victims", "show", "1"], env=env).output)
    assert shown["referrals"][0]["stopped_at"] is not None
