"""The one explanation model: a feature says its value, weight, contribution and why; a score is their total."""

from __future__ import annotations

from palermo.explanation import Feature, Score, clamped_total
from palermo.names import compare_names
from palermo.screening.indicators import Indicator
from palermo.taxonomies import taxonomy


def test_a_weighted_feature_contributes_value_times_weight_and_keeps_its_old_name_key() -> None:
    feature = Feature.weighted("sex_conflict", 1.0, -0.4, "M vs listed F")
    assert feature.contribution == -0.4
    assert feature.model_dump() == {
        "id": "sex_conflict",
        "value": 1.0,
        "weight": -0.4,
        "contribution": -0.4,
        "detail": "M vs listed F",
        "name": "sex_conflict",
    }


def test_a_score_is_clamped_to_zero_and_one() -> None:
    rewards = [Feature.weighted("name", 1.0, 1.0, "same name"), Feature.weighted("birth_date", 1.0, 0.2, "same")]
    assert Score.clamped(rewards).total == 1.0
    assert clamped_total([Feature.weighted("sex_conflict", 1.0, -0.4, "M vs F")]) == 0.0


def test_an_explanation_round_trips_through_json() -> None:
    comparison = compare_names("Александр Иванов", "Alexander Ivanov")
    explained = Score(total=comparison.total, features=comparison.features)
    assert Score.model_validate_json(explained.model_dump_json()) == explained
    assert type(comparison).model_validate_json(comparison.model_dump_json()) == comparison


def test_a_fired_indicator_is_a_feature_that_contributes_its_weight() -> None:
    term = taxonomy("risk_indicators").terms[0]
    fired = Indicator.fired(term, "aged 12, travelling alone", {"age": 12})
    assert (fired.id, fired.value, fired.contribution) == (term.id, 1.0, fired.weight)
    assert Indicator.model_validate_json(fired.model_dump_json()) == fired
