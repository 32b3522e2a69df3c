"""The MRZ writer against ICAO Doc 9303 specimens; romanisation schemes; name variants."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from palermo.documents import parse_mrz
from palermo.synth import mrz
from palermo.synth.names import draw_name, typo
from palermo.synth.translit import romanise, strip_diacritics


def test_the_world_writes_icao_specimen_mrzs_through_palermo_documents() -> None:
    fields = {"number": "L898902C3", "issuing_state": "UTO", "nationality": "UTO", "surname": "Eriksson",
              "given_names": "Anna María", "birth_date": dt.date(1974, 8, 12), "sex": "F",
              "expiry_date": dt.date(2012, 4, 15)}  # fmt: skip
    passport = mrz.write("passport", **fields)
    # ICAO Doc 9303 Part 4, Appendix A: L898902C3 -> 6, 740812 -> 2, 120415 -> 9
    line1, line2 = passport.split("|")
    assert line1 == "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    assert line2[:43] == "L898902C36UTO7408122F1204159" + "<" * 15
    assert parse_mrz([line1, line2], at=dt.date(2010, 1, 1)).valid
    card = mrz.write("id_card", **fields)
    assert [len(line) for line in card.split("|")] == [30, 30, 30]
    assert parse_mrz(card.split("|"), at=dt.date(2010, 1, 1)).valid


def test_germany_is_d_in_the_mrz() -> None:
    fields = {"number": "C01X00T47", "issuing_state": "DEU", "nationality": "DEU", "surname": "Müller",
              "given_names": "Jörg", "birth_date": dt.date(1964, 8, 12), "sex": "M",
              "expiry_date": dt.date(2027, 10, 31)}  # fmt: skip
    passport = mrz.write("passport", **fields)
    assert passport.startswith("P<D<<MUELLER<<JOERG<")
    assert parse_mrz(passport.split("|"), at=dt.date(2020, 1, 1)).data.issuing_state == "D"


@pytest.mark.parametrize("document_type", ["passport", "id_card"])
def test_a_counterfeit_fails_exactly_the_number_check_digits(document_type: str) -> None:
    fields = {"number": "AB1234567", "issuing_state": "FRA", "nationality": "FRA", "surname": "Martin",
              "given_names": "Claire", "birth_date": dt.date(1990, 3, 4), "sex": "F",
              "expiry_date": dt.date(2030, 3, 4)}  # fmt: skip
    broken = mrz.with_wrong_number_check_digit(mrz.write(document_type, **fields), document_type)
    failed = {c.id for c in parse_mrz(broken.split("|"), at=dt.date(2025, 1, 1)).checks if not c.passed}
    assert "document_number_check_digit" in failed
    assert failed <= {"document_number_check_digit", "composite_check_digit"}


def test_cyrillic_schemes_give_the_spellings_officers_meet() -> None:
    assert romanise("Хорошилова", "cyrillic", "icao") == "Khoroshilova"
    assert romanise("Хорошилова", "cyrillic", "german") == "Choroschilowa"
    assert romanise("Жанна", "cyrillic", "french") == "Janna"
    assert romanise("Παπαδοπούλου", "greek", "elot") == "Papadopoulou"
    assert strip_diacritics("Nguyễn Đức") == "Nguyen Duc"


def test_names_are_drawn_in_native_script_with_latin_variants() -> None:
    rng = random.Random(3)
    for nationality, script in (("RUS", "Cyrl"), ("GRC", "Grek"), ("MAR", "Arab"), ("THA", "Thai"), ("CHN", "Hans")):
        name = draw_name(rng, nationality, "F")
        assert name.script == script
        assert name.native_full
        assert not name.native_full.isascii()
        assert all(part.isascii() for part in name.given.latin[:1] + name.surname.latin[:1])


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=20), st.integers(0, 1000))
def test_a_typo_changes_a_name_by_one_edit(text: str, seed: int) -> None:
    changed = typo(random.Random(seed), text)
    assert abs(len(changed) - len(text)) <= 1
