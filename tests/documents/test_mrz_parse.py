from datetime import date

import pytest

from palermo.documents import MrzUnreadable, parse_mrz
from palermo.documents.mrz_formats import FORMATS, MrzFormatName
from palermo.documents.mrz_generate import break_check_digit

from .conftest import LONG_TD1, LONG_TD2, SPECIMEN_DAY, SPECIMENS


@pytest.mark.parametrize("fmt", sorted(SPECIMENS))
def test_icao_specimens_are_valid(fmt):
    reading = parse_mrz(SPECIMENS[fmt], at=SPECIMEN_DAY)
    assert reading.valid, [c for c in reading.checks if not c.passed]
    assert reading.data.format == fmt
    assert (reading.data.surname, reading.data.given_names) == ("ERIKSSON", "ANNA MARIA")


def test_td3_specimen_fields():
    data = parse_mrz(SPECIMENS["TD3"], at=SPECIMEN_DAY).data
    assert data.document_number == "L898902C3"
    assert (data.birth_date, data.expiry_date) == (date(1974, 8, 12), date(2012, 4, 15))
    assert (data.sex, data.nationality, data.optional_data, data.document_type) == ("F", "UTO", "ZE184226B", "passport")


def test_visa_dates_use_century_window():
    data = parse_mrz(SPECIMENS["MRV-A"], at=date(2025, 6, 1)).data
    assert (data.birth_date, data.expiry_date, data.nationality) == (date(1940, 9, 7), date(1996, 12, 10), "XXX")
    assert data.optional_data == "6ZE184226B"


@pytest.mark.parametrize("lines", [LONG_TD1, LONG_TD2])
def test_long_document_number_is_read_from_optional_data(lines):
    reading = parse_mrz(lines, at=SPECIMEN_DAY)
    assert reading.valid
    assert reading.data.document_number == "D23145890734"
    assert reading.data.long_document_number


def test_long_number_without_continuation_fails():
    lines = ["I<UTOD23145890<<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
    reading = parse_mrz(lines, at=SPECIMEN_DAY)
    failed = {c.id: c.detail for c in reading.checks if not c.passed}
    assert "no continuation" in failed["document_number_check_digit"]


@pytest.mark.parametrize(
    ("fmt", "check_id"),
    [(f, c.id) for f in SPECIMENS for c in FORMATS[MrzFormatName(f)].checks]
    + [("TD1", c.id) for c in FORMATS[MrzFormatName.TD1].checks],
)
def test_each_check_digit_failure_is_detected(fmt, check_id):
    broken = break_check_digit(SPECIMENS[fmt], MrzFormatName(fmt), check_id)
    failed = [c.id for c in parse_mrz(broken, at=SPECIMEN_DAY).checks if not c.passed]
    assert check_id in failed


def test_broken_long_number_check_digit_is_detected():
    broken = break_check_digit(LONG_TD1, MrzFormatName.TD1, "document_number_check_digit")
    failed = [c.id for c in parse_mrz(broken, at=SPECIMEN_DAY).checks if not c.passed]
    assert "document_number_check_digit" in failed


def test_one_letter_state_code():
    lines = ["P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"]
    reading = parse_mrz(lines, at=date(2024, 1, 1))
    assert reading.valid, [c for c in reading.checks if not c.passed]
    assert (reading.data.issuing_state, reading.data.nationality) == ("D", "D")


def test_unknown_state_code_fails():
    lines = [SPECIMENS["TD3"][0].replace("UTO", "QQQ", 1), SPECIMENS["TD3"][1]]
    failed = [c.id for c in parse_mrz(lines, at=SPECIMEN_DAY).checks if not c.passed]
    assert failed == ["issuing_state_code"]


def test_joined_single_line_is_split():
    assert parse_mrz("".join(SPECIMENS["TD1"]), at=SPECIMEN_DAY).data.format == "TD1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no MRZ lines"),
        ("P<UTO\nL8980", "2 lines of 5 characters"),
        (SPECIMENS["TD3"][0] + "\n" + SPECIMENS["TD3"][1][:-1], "line 2 has 43 characters"),
        (SPECIMENS["TD3"][0] + "\n" + "l" + SPECIMENS["TD3"][1][1:], "line 2, position 1"),
        (SPECIMENS["TD3"][0].replace("ANNA", "AN*A") + "\n" + SPECIMENS["TD3"][1], "line 1, position 18"),
    ],
)
def test_unreadable_input_says_where(text, message):
    with pytest.raises(MrzUnreadable, match=message):
        parse_mrz(text)


def test_truncated_name_is_flagged():
    first = "P<UTO" + "A" * 39
    reading = parse_mrz([first, SPECIMENS["TD3"][1]], at=SPECIMEN_DAY)
    flag = next(c for c in reading.checks if c.id == "name_truncated")
    assert not flag.passed
    assert flag.severity == "flag"
    assert reading.valid


def test_bad_sex_and_calendar_date():
    second = SPECIMENS["TD3"][1]
    lines = [SPECIMENS["TD3"][0], second[:20] + "Q" + second[21:]]
    assert "sex_code" in [c.id for c in parse_mrz(lines, at=SPECIMEN_DAY).checks if not c.passed]
    lines = [SPECIMENS["TD3"][0], second[:15] + "13" + second[17:]]
    assert "birth_date_valid" in [c.id for c in parse_mrz(lines, at=SPECIMEN_DAY).checks if not c.passed]
