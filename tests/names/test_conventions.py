"""One name in the transliteration conventions of several languages (palermo.names.conventions)."""

import pytest

from palermo.names import compare_names, default_config, prepare_name, score_prepared
from palermo.names.conventions import readings, same_by_convention

THRESHOLD = default_config().threshold


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("zaytsev", "saizew"),  # German: s before a vowel is z, z is ts, w is v
        ("yeltsin", "jelzin"),
        ("tchaikovsky", "tschaikowski"),
        ("chaikovsky", "tchaikovsky"),
        ("zhukov", "joukov"),
        ("yelena", "jelena"),
        ("dzhugashvili", "djougachvili"),
        ("shostakovich", "schostakowitsch"),
        ("rashid", "rachid"),
        ("philippos", "filippos"),
        ("aimilia", "emilia"),  # Greek: ai is e
        ("czarnecki", "charnetski"),  # Polish
    ],
)
def test_one_name_in_two_conventions_is_the_same_name(a: str, b: str) -> None:
    assert same_by_convention(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("karim", "hakim"),
        ("tina", "dina"),
        ("antonis", "adonis"),  # nt is not read as d: they are two names
        ("zoran", "goran"),
        ("petar", "peter"),  # another vowel is left to edit distance
        ("martin", "martine"),  # a French final e is a feminine form, not a spelling
        ("pascal", "pascale"),
    ],
)
def test_different_names_stay_different_in_every_reading(a: str, b: str) -> None:
    assert not same_by_convention(a, b)


def test_short_parts_and_initials_have_no_readings() -> None:
    assert readings("li") == frozenset()
    assert readings("j") == frozenset()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Vasily Zaytsev", "Wassili Saizew"),
        ("Yelena Vyazova", "Jelena Wjasowa"),
        ("Nikolai Chernovsky", "Nikolai Tschernowski"),
        ("Anna Yemelyanova", "Anna Jemeljanowa"),
        ("Iosif Dzhugashvili", "Iossif Dschugaschwili"),
        ("Anna Yemelyanova", "Anna Emelianova"),
    ],
)
def test_a_name_written_down_in_another_countrys_convention_matches(a: str, b: str) -> None:
    result = compare_names([a], [b])
    assert result.score >= THRESHOLD, result.explain()
    assert "spelling convention" in result.explain()
    assert score_prepared(prepare_name(a), prepare_name(b)) == result.score
