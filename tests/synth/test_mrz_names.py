"""The MRZ writer against ICAO Doc 9303 specimens; romanisation schemes; name variants."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from palermo.synth import mrz
from palermo.synth.names import draw_name, typo
from palermo.synth.translit import romanise, strip_diacritics


def test_check_digits_of_the_icao_specimen() -> None:
    # ICAO Doc 9303 Part 4, Appendix A: L898902C3 -> 6, 740812 -> 2, 120415 -> 9
    assert mrz.check_digit("L898902C3") == "6"
    assert mrz.check_digit("740812") == "2"
    assert mrz.check_digit("120415") == "9"


def test_td3_and_td1_have_icao_line_lengths_and_a_breakable_check_digit() -> None:
    fields = {"number": "L898902C3", "issuing_state": "UTO", "nationality": "UTO", "surname": "Eriksson",
              "given_names": "Anna María", "birth_date": dt.date(1974, 8, 12), "sex": "F",
              "expiry_date": dt.date(2012, 4, 15)}  # fmt: skip
    passport = mrz.td3(**fields)
    assert [len(line) for line in passport.split("|")] == [44, 44]
    assert passport.startswith("P<UTOERIKSSON<<ANNA<MARIA<")
    assert passport.split("|")[1].startswith("L898902C36UTO7408122F1204159")
    card = mrz.td1(**fields)
    assert [len(line) for line in card.split("|")] == [30, 30, 30]
    assert mrz.break_check_digit(passport) != passport
    assert mrz.break_check_digit(passport).split("|")[1][9] != "6"


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
