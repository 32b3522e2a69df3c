from hypothesis import assume, given
from hypothesis import strategies as st

from palermo.names import compare_names
from palermo.names.compare import declared_score
from tests.factories import NAME_PROPERTY_SETTINGS, names, preparable


@NAME_PROPERTY_SETTINGS
@given(names(), names())
def test_symmetric(a: str, b: str) -> None:
    assert compare_names(a, b).score == compare_names(b, a).score


@NAME_PROPERTY_SETTINGS
@given(names())
def test_identity_scores_one(a: str) -> None:
    assert compare_names(a, a).score == 1.0


@NAME_PROPERTY_SETTINGS
@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_any_text_scores_in_unit_interval(a: str, b: str) -> None:
    assume(preparable(a) and preparable(b))
    result = compare_names(a, b)
    assert 0.0 <= result.score <= 1.0
    assert all(0.0 <= f.value <= 1.0 for f in result.features)


@NAME_PROPERTY_SETTINGS
@given(names(), names())
def test_features_sum_to_the_total_as_declared(a: str, b: str) -> None:
    result = compare_names(a, b)
    total = sum(f.value * f.weight for f in result.features)
    assert result.score == round(min(1.0, max(0.0, total)), 6)
    assert result.score == declared_score(result.features)


@NAME_PROPERTY_SETTINGS
@given(names(), names())
def test_every_detail_is_readable(a: str, b: str) -> None:
    result = compare_names(a, b)
    assert all(f.detail.strip() for f in result.features)
