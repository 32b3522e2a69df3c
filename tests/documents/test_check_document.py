from datetime import date
from pathlib import Path

import pytest

from palermo.documents import LostStolenRegistry, MrzFormatName, MrzSpec, VisualZone, check_document, make_mrz
from palermo.errors import InvalidInput

from .conftest import SPECIMEN_DAY, SPECIMENS

AT = date(2025, 6, 1)
GENUINE = MrzSpec(MrzFormatName.TD3, "D", "C01X00T47", "Müller", "Jürgen", "D", date(1980, 3, 4), "M", date(2030, 3, 3))


def _failed(result):
    return {c.id for c in result.checks if not c.passed}


def test_genuine_document_is_valid_with_every_check_listed():
    result = check_document(make_mrz(GENUINE), at=AT)
    assert result.valid
    assert result.mrz_valid
    assert result.surname == "MUELLER"
    assert {"expired", "holder_age_plausible", "validity_period", "specimen"} <= {c.id for c in result.checks}


def test_expired_document():
    assert _failed(check_document(make_mrz(GENUINE), at=date(2031, 1, 1))) == {"expired"}


def test_specimen_state_is_refused_even_when_the_mrz_is_valid():
    result = check_document(SPECIMENS["TD3"], at=SPECIMEN_DAY)
    assert result.mrz_valid
    assert not result.valid
    assert _failed(result) == {"specimen"}


def test_validity_too_long_from_issue_date():
    spec = MrzSpec(**{**GENUINE.__dict__, "expiry_date": date(2040, 1, 1)})
    result = check_document(make_mrz(spec), at=AT, visual=VisualZone(issue_date=date(2024, 1, 1)))
    assert _failed(result) == {"validity_period"}


def test_nationality_differs_is_a_flag_not_an_error():
    spec = MrzSpec(**{**GENUINE.__dict__, "nationality": "XXB"})
    result = check_document(make_mrz(spec), at=AT)
    assert result.valid
    assert result.flags == ["nationality_matches_issuing_state"]


def test_implausible_age():
    spec = MrzSpec(**{**GENUINE.__dict__, "birth_date": date(1900, 1, 1)})
    visual = VisualZone(birth_date=date(1900, 1, 1))  # the MRZ alone reads 000101 as 2000
    result = check_document(make_mrz(spec), at=date(2026, 1, 1), visual=visual)
    assert "holder_age_plausible" in _failed(result)


def test_visual_zone_compared_after_transliteration():
    ok = VisualZone(surname="Müller", given_names="Jürgen", birth_date=date(1980, 3, 4), nationality="DEU", sex="M")
    assert check_document(make_mrz(GENUINE), at=AT, visual=ok).valid
    wrong = VisualZone(document_number="C01X00T48", birth_date=date(1981, 3, 4), surname="Miller")
    assert _failed(check_document(make_mrz(GENUINE), at=AT, visual=wrong)) == {
        "visual_document_number",
        "visual_birth_date",
        "visual_surname",
    }


def test_registry_hits_in_the_result(tmp_path: Path):
    csv = tmp_path / "sltd.csv"
    csv.write_text(
        "document_number,issuing_state,document_type,status,reported_date,reporting_agency\n"
        "C01X00T47,DEU,passport,stolen,2024-02-01,BKA\n"
        "C01X00T74,DEU,passport,stolen_blank,2024-02-01,BKA\n",
        encoding="utf-8",
    )
    registry = LostStolenRegistry.open(tmp_path / "home")
    registry.load_csv(csv)
    result = check_document(make_mrz(GENUINE), at=AT, registry=registry)
    assert {"registry_exact", "registry_near"} <= _failed(result)
    assert [(h.match, h.document_number) for h in result.registry_hits] == [
        ("exact", "C01X00T47"),
        ("near", "C01X00T74"),
    ]
    dumped = result.model_dump(mode="json")
    assert dumped["birth_date"] == "1980-03-04"
    assert dumped["registry_hits"][0]["status"] == "stolen"


def test_a_check_date_out_of_range_is_invalid_input():
    """The core refuses it too (the CLI and the API are not the only callers)."""
    with pytest.raises(InvalidInput, match="check date 9990-01-01 is out of range"):
        check_document(make_mrz(GENUINE), at=date(9990, 1, 1))
