import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from palermo.cli.main import app
from palermo.node import init_node
from palermo.settings import Settings

from .conftest import LONG_TD1, SPECIMENS

runner = CliRunner()
GENUINE = "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\nC01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4\n"


def test_check_mrz_json_valid_document():
    result = runner.invoke(app, ["documents", "check-mrz", "--json", "--at", "2025-01-01"], input=GENUINE)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["valid"]
    assert body["format"] == "TD3"
    assert body["issuing_state"] == "D"
    assert (body["birth_date"], body["expiry_date"], body["surname"]) == ("1964-08-12", "2027-02-28", "MUSTERMANN")
    assert {"id", "passed", "detail"} <= set(body["checks"][0])


def test_check_mrz_specimen_is_invalid_exit_1():
    result = runner.invoke(app, ["documents", "check-mrz", "--json", "--at", "2010-01-01"], input="\n".join(LONG_TD1))
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["mrz_valid"]
    assert body["document_number"] == "D23145890734"


def test_check_mrz_unreadable_exit_2():
    result = runner.invoke(app, ["documents", "check-mrz"], input="NOT AN MRZ\n")
    assert result.exit_code == 2
    assert "expected 2 lines" in result.stderr


def test_check_mrz_ocr_reports_corrections():
    second = SPECIMENS["TD3"][1].replace("7408122", "74O8122")
    text = f"{SPECIMENS['TD3'][0]}\n{second}\n"
    result = runner.invoke(app, ["documents", "check-mrz", "--json", "--ocr", "--at", "2010-01-01"], input=text)
    assert json.loads(result.stdout)["ocr_corrections"][0]["corrected"] == "0"


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    home = tmp_path / "home"
    init_node(Settings(home=home))
    monkeypatch.setenv("PALERMO_HOME", str(home))
    return home


def test_registry_load_and_lookup(home, tmp_path):
    csv = tmp_path / "sltd.csv"
    csv.write_text(
        "document_number,issuing_state,document_type,status,reported_date,reporting_agency\n"
        "C01X00T47,DEU,passport,stolen,2024-02-01,BKA\n",
        encoding="utf-8",
    )
    loaded = runner.invoke(app, ["documents", "registry", "load", str(csv)])
    assert loaded.exit_code == 0
    assert json.loads(loaded.stdout)["accepted"] == 1
    assert (home / "registry" / "meta.json").exists()
    found = runner.invoke(app, ["documents", "registry", "lookup", "--state", "D", "--number", "C01X00T74", "--json"])
    assert found.exit_code == 1
    assert [h["match"] for h in json.loads(found.stdout)] == ["near"]
    clean = runner.invoke(app, ["documents", "registry", "lookup", "--state", "FRA", "--number", "ZZ1", "--json"])
    assert clean.exit_code == 0
    assert json.loads(clean.stdout) == []


@pytest.mark.parametrize("day", ["9980-01-01", "0001-01-01", "2025-13-01"])
def test_check_mrz_out_of_range_or_bad_date_is_a_clear_error(day):
    """Issue 17: ``--at 9980-01-01`` printed a traceback (year 10000 is out of range)."""
    result = runner.invoke(app, ["documents", "check-mrz", "--at", day], input=GENUINE)
    assert result.exit_code == 2
    assert "check date" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
