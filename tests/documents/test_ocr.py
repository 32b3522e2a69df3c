from palermo.documents import parse_mrz

from .conftest import SPECIMEN_DAY, SPECIMENS


def _replace(line: str, position: int, char: str) -> str:
    return line[:position] + char + line[position + 1 :]


def test_letter_in_a_date_is_corrected_when_the_check_digit_confirms():
    second = _replace(SPECIMENS["TD3"][1], 15, "O")  # 7408122 -> 74O8122
    reading = parse_mrz([SPECIMENS["TD3"][0], second], at=SPECIMEN_DAY, ocr=True)
    assert reading.valid
    assert [(c.line, c.position, c.original, c.corrected, c.field) for c in reading.corrections] == [
        (2, 16, "O", "0", "birth_date")
    ]


def test_without_ocr_mode_the_same_input_is_invalid():
    second = _replace(SPECIMENS["TD3"][1], 15, "O")
    assert not parse_mrz([SPECIMENS["TD3"][0], second], at=SPECIMEN_DAY).valid


def test_digit_in_a_name_becomes_a_letter():
    first = SPECIMENS["TD3"][0].replace("ERIKSSON", "ERIK55ON")
    reading = parse_mrz([first, SPECIMENS["TD3"][1]], at=SPECIMEN_DAY, ocr=True)
    assert reading.data.surname == "ERIKSSON"
    assert len(reading.corrections) == 2


def test_document_number_swap_when_unique_and_confirmed():
    second = _replace(SPECIMENS["TD3"][1], 5, "O")  # L898902C3 -> L8989O2C3: only 0 satisfies the check digit
    reading = parse_mrz([SPECIMENS["TD3"][0], second], at=SPECIMEN_DAY, ocr=True)
    assert reading.valid
    assert reading.data.document_number == "L898902C3"
    assert reading.corrections[0].field == "document_number"


def test_document_number_swap_refused_when_ambiguous():
    second = _replace(SPECIMENS["TD3"][1], 1, "B")  # 8->B: swapping either of two 8s would satisfy the check digit
    reading = parse_mrz([SPECIMENS["TD3"][0], second], at=SPECIMEN_DAY, ocr=True)
    assert reading.corrections == []
    assert not reading.valid


def test_unconfirmed_change_is_not_made():
    second = _replace(SPECIMENS["TD3"][1], 27, "7")  # expiry check digit wrong, no confusable letter to blame
    reading = parse_mrz([SPECIMENS["TD3"][0], second], at=SPECIMEN_DAY, ocr=True)
    assert reading.corrections == []
    assert not reading.valid


def test_lower_case_is_accepted_and_reported_in_ocr_mode():
    lines = [SPECIMENS["TD2"][0].lower(), SPECIMENS["TD2"][1]]
    reading = parse_mrz(lines, at=SPECIMEN_DAY, ocr=True)
    assert reading.valid
    assert all(c.reason.startswith("lower-case") for c in reading.corrections)
