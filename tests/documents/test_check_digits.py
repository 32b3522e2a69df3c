import pytest

from palermo.documents.check_digits import char_value, check_digit, is_valid
from palermo.errors import InvalidInput


@pytest.mark.parametrize(
    ("data", "digit"),
    [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("ZE184226B<<<<<", "1"), ("D23145890734", "9")],
)
def test_check_digit_of_specimen_fields(data, digit):
    assert check_digit(data) == digit
    assert is_valid(data, digit)


def test_values_of_letters_and_filler():
    assert (char_value("A"), char_value("Z"), char_value("<"), char_value("7")) == (10, 35, 0, 7)


def test_non_mrz_character_refused():
    with pytest.raises(InvalidInput, match="not an MRZ character"):
        char_value("a")


def test_non_digit_is_never_a_valid_check_digit():
    assert not is_valid("L898902C3", "<")
