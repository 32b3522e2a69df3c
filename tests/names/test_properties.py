from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from palermo.errors import InvalidInput
from palermo.names import compare_names, prepare_name
from palermo.names.compare import declared_score

ALPHABETS = st.sampled_from(
    [
        "abcdefghijklmnopqrstuvwxyz",
        "абвгдежзийклмнопрстуфхцчшщыэюя",
        "αβγδεζηθικλμνξοπρστυφχψω",
        "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
        "àáâãäåèéêëìíîïòóôõöùúûüýđ",
        "李王张刘陈杨黄赵吴周",
    ]
)


@st.composite
def names(draw: st.DrawFn) -> str:
    alphabet = draw(ALPHABETS)
    words = draw(st.lists(st.text(alphabet, min_size=1, max_size=9), min_size=1, max_size=4))
    separator = draw(st.sampled_from([" ", "-", " ", ", "]))
    return separator.join(words)


def _prepared(text: str) -> bool:
    try:
        prepare_name(text)
    except InvalidInput:
        return False
    return True


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(names(), names())
def test_symmetric(a: str, b: str) -> None:
    assert compare_names(a, b).score == compare_names(b, a).score


@SETTINGS
@given(names())
def test_identity_scores_one(a: str) -> None:
    assert compare_names(a, a).score == 1.0


@SETTINGS
@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_any_text_scores_in_unit_interval(a: str, b: str) -> None:
    assume(_prepared(a) and _prepared(b))
    result = compare_names(a, b)
    assert 0.0 <= result.score <= 1.0
    assert all(0.0 <= f.value <= 1.0 for f in result.features)


@SETTINGS
@given(names(), names())
def test_features_sum_to_the_total_as_declared(a: str, b: str) -> None:
    result = compare_names(a, b)
    total = sum(f.value * f.weight for f in result.features)
    assert result.score == round(min(1.0, max(0.0, total)), 6)
    assert result.score == declared_score(result.features)


@SETTINGS
@given(names(), names())
def test_every_detail_is_readable(a: str, b: str) -> None:
    result = compare_names(a, b)
    assert all(f.detail.strip() for f in result.features)
