"""``palermo watchlist``, ``screen``, ``alerts`` and ``replay`` on a real node."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from palermo.cli.main import app
from palermo.screening.risk.features import FEATURE_IDS
from tests.factories import write_list

runner = CliRunner()


def test_load_screen_and_work_the_alert(tmp_path: Path) -> None:
    env = {"PALERMO_HOME": str(tmp_path / "home"), "PALERMO_AGENCY": "bp-it", "PALERMO_JUSTIFICATION": "border_control"}
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    path = write_list(tmp_path)
    loaded = runner.invoke(app, ["watchlist", "load", str(path), "--name", "mixed", "--category", "suspect"], env=env)
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.output)["inserted"] == 3
    listed = runner.invoke(app, ["watchlist", "list"], env=env)
    assert "mixed" in listed.output
    screened = runner.invoke(app, ["screen", "--name", "Sasha Ivanov", "--birth-date", "1975-03-14", "--json"], env=env)
    assert screened.exit_code == 0, screened.output
    result = json.loads(screened.output)
    assert result["decision"] == "alert"
    assert result["hits"][0]["entry_id"] == "S-1"
    closed = runner.invoke(app, ["alerts", "dispose", str(result["alert_id"]), "confirmed"], env=env)
    assert closed.exit_code == 0, closed.output
    precision = runner.invoke(app, ["alerts", "precision"], env=env)
    assert json.loads(precision.output)["precision"] == 1.0
    removed = runner.invoke(app, ["watchlist", "remove", "mixed"], env=env)
    assert removed.exit_code == 0


def test_screen_needs_a_name_or_a_document(tmp_path: Path) -> None:
    env = {"PALERMO_HOME": str(tmp_path / "home"), "PALERMO_JUSTIFICATION": "border_control"}
    runner.invoke(app, ["init"], env=env)
    result = runner.invoke(app, ["screen", "--birth-date", "1975"], env=env)
    assert result.exit_code != 0
    assert "needs a name" in result.output


def test_screen_at_a_recorded_time_judges_the_traveller_as_of_then(tmp_path: Path) -> None:
    env = {"PALERMO_HOME": str(tmp_path / "home"), "PALERMO_JUSTIFICATION": "border_control"}
    runner.invoke(app, ["init"], env=env)
    minor = ["screen", "--name", "Ana Lupu", "--birth-date", "2010-06-01", "--json"]

    def indicators(at: str) -> set[str]:
        result = runner.invoke(app, [*minor, "--at", at], env=env)
        assert result.exit_code == 0, result.output
        return {i["id"] for i in json.loads(result.output)["indicators"]}

    assert "minor_without_guardian" in indicators("2026-05-01T14:30")  # 15 years old then, alone
    assert "minor_without_guardian" not in indicators("2030-01-01")  # 19 by then
    wrong = runner.invoke(app, [*minor, "--at", "yesterday"], env=env)
    assert wrong.exit_code != 0
    assert "--at 'yesterday' is not an ISO 8601 date or time" in wrong.output


def test_train_a_risk_model_from_feature_files_and_show_it(tmp_path: Path) -> None:
    env = {"PALERMO_HOME": str(tmp_path / "home"), "PALERMO_JUSTIFICATION": "border_control"}
    runner.invoke(app, ["init"], env=env)
    header = "source,source_key,at,label,unit_kind," + ",".join(FEATURE_IDS)
    files = []
    for world in ("a", "b"):
        lines = [header]
        for i in range(200):
            escorted = i % 10 == 0
            escort = ("escort_repeat_crossings", "escort_bookings")
            values = ["1" if escorted and f in escort else "0" for f in FEATURE_IDS]
            lines.append(f"bp,{world}{i},2026-01-01T00:00:00+00:00,{int(escorted)},x," + ",".join(values))
        path = tmp_path / f"{world}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(str(path))
    trained = runner.invoke(app, ["indicators", "train", *files], env=env)
    assert trained.exit_code == 0, trained.output
    assert json.loads(trained.output)["version"] == "v0001"
    shown = json.loads(runner.invoke(app, ["indicators", "model"], env=env).output)
    assert shown["version"] == "v0001"
    assert shown["trained_on"] == ["a.csv", "b.csv"]
    assert shown["coefficients"]["escort_repeat_crossings"] > 0
    wrong = runner.invoke(app, ["indicators", "train", str(tmp_path / "nope.csv")], env=env)
    assert wrong.exit_code != 0
    assert "no such feature file" in wrong.output
    lonely = runner.invoke(app, ["replay", files[0], "--features", str(tmp_path / "f.csv")], env=env)
    assert lonely.exit_code != 0
    assert "--features needs --truth" in lonely.output
