"""The published ILO/EC decision rule, case by case: each dimension, adults, the child rule, explanations."""

from __future__ import annotations

import pytest

from palermo.errors import InvalidInput
from palermo.victims.catalogue import dimensions, indicator_list, list_for
from palermo.victims.rule import apply_rule

# three dimensions met for an adult: deceptive recruitment, exploitative conditions, coercion at destination
RECRUITED = ["dr.job_nature", "dr.wages"]  # 1 strong + 1 medium
EXPLOITED = ["ec.excessive_hours", "ec.low_pay"]  # 1 strong + 1 medium
COERCED = ["cd.documents", "cd.debt"]  # 2 strong


def dimension(outcome, dimension_id):  # type: ignore[no-untyped-def]
    return next(d for d in outcome.dimensions if d.id == dimension_id)


def test_the_lists_hold_six_dimensions_and_every_strength() -> None:
    assert [d.id for d in dimensions()] == [
        "deceptive_recruitment",
        "coercive_recruitment",
        "recruitment_abuse_of_vulnerability",
        "exploitative_conditions",
        "coercion_at_destination",
        "abuse_of_vulnerability_at_destination",
    ]
    for list_id in ("adult_labour", "adult_sexual", "child_labour", "child_sexual"):
        listed = indicator_list(list_id)
        assert {i.dimension for i in listed.indicators} == {d.id for d in dimensions()}
        assert {i.strength for i in listed.indicators} == {"strong", "medium", "weak"}
    # lists differ: a contract is not an indicator of child sexual exploitation; hazardous work is strong for a child
    assert "dr.contract" not in {i.id for i in indicator_list("child_sexual").indicators}
    assert indicator_list("child_labour").indicator("ec.hazardous_work").strength == "strong"
    assert indicator_list("adult_labour").indicator("ec.hazardous_work").strength == "medium"


@pytest.mark.parametrize(
    ("observed", "met", "met_by"),
    [
        (["cd.documents", "cd.debt"], True, "2 strong"),
        (["cd.documents", "cd.wages_withheld"], True, "1 strong + 1 medium or weak"),
        (["cd.documents", "cd.threat_exposure"], True, "1 strong + 1 medium or weak"),
        (["cd.forced_lies", "cd.forced_tasks", "cd.wages_withheld"], True, "3 medium"),
        (["cd.forced_lies", "cd.forced_tasks", "cd.threat_exposure"], True, "2 medium + 1 weak"),
        (["cd.documents"], False, None),
        (["cd.forced_lies", "cd.forced_tasks"], False, None),
        (["cd.forced_lies", "cd.threat_exposure"], False, None),
        ([], False, None),
    ],
)
def test_a_dimension_is_met_by_the_published_combinations_only(
    observed: list[str], met: bool, met_by: str | None
) -> None:
    outcome = dimension(apply_rule(indicator_list("adult_labour"), observed), "coercion_at_destination")
    assert (outcome.met, outcome.met_by) == (met, met_by)
    assert [i.id for i in outcome.indicators] == observed
    assert outcome.detail.startswith(f"Coercion at destination: {'met' if met else 'not met'}")


@pytest.mark.parametrize("dimension_id", [d.id for d in dimensions()])
def test_each_dimension_counts_only_its_own_indicators(dimension_id: str) -> None:
    listed = indicator_list("adult_labour")
    own = [i for i in listed.indicators if i.dimension == dimension_id]
    medium = [i.id for i in own if i.strength == "medium"][:3]
    outcome = apply_rule(listed, medium)
    assert [d.id for d in outcome.dimensions if d.met] == [dimension_id]
    assert dimension(outcome, dimension_id).medium == 3
    assert [f.value for f in outcome.features] == [1.0 if d.id == dimension_id else 0.0 for d in dimensions()]


def test_an_adult_with_action_means_and_purpose_is_a_presumed_victim_and_told_why() -> None:
    outcome = apply_rule(indicator_list("adult_labour"), RECRUITED + EXPLOITED + COERCED)
    assert outcome.presumed_victim
    assert [(e.element, e.required, e.met) for e in outcome.elements] == [
        ("action", True, True),
        ("means", True, True),
        ("purpose", True, True),
    ]
    assert outcome.conclusion.startswith("Presumed victim of trafficking (adult, labour exploitation)")
    for words in ("deceptive recruitment", "coercion at destination", "exploitative conditions of work"):
        assert words in outcome.conclusion
    assert "Documents confiscated (strong)" in dimension(outcome, "coercion_at_destination").detail


@pytest.mark.parametrize(
    ("left_out", "missing"),
    [
        (RECRUITED, "the action (recruitment)"),
        (EXPLOITED, "the purpose (exploitative conditions)"),
        (COERCED, "the means (coercion or abuse of vulnerability at destination)"),
    ],
)
def test_an_adult_missing_one_element_is_not_presumed_and_the_missing_element_is_named(
    left_out: list[str], missing: str
) -> None:
    observed = [i for i in RECRUITED + EXPLOITED + COERCED if i not in left_out]
    outcome = apply_rule(indicator_list("adult_labour"), observed)
    assert not outcome.presumed_victim
    assert f"needs {missing}" in outcome.conclusion
    assert "not a finding that the person is not a victim" in outcome.conclusion


def test_abuse_of_vulnerability_at_destination_is_the_other_means() -> None:
    vulnerable = ["vd.dependency", "vd.unknown_area", "vd.past_difficulties"]  # 2 medium + 1 weak
    outcome = apply_rule(indicator_list("adult_sexual"), RECRUITED + EXPLOITED + vulnerable)
    assert outcome.presumed_victim
    [means] = [e for e in outcome.elements if e.element == "means"]
    assert means.dimensions_met == ("abuse_of_vulnerability_at_destination",)


def test_the_child_rule_needs_no_means() -> None:
    child = apply_rule(indicator_list("child_labour"), RECRUITED + EXPLOITED)
    adult = apply_rule(indicator_list("adult_labour"), RECRUITED + EXPLOITED)
    assert child.presumed_victim
    assert not adult.presumed_victim
    [means] = [e for e in child.elements if e.element == "means"]
    assert (means.required, means.met) == (False, False)
    assert "child rule: the means are not needed" in child.conclusion


def test_a_child_still_needs_the_action_and_the_purpose() -> None:
    outcome = apply_rule(indicator_list("child_sexual"), EXPLOITED + COERCED)
    assert not outcome.presumed_victim
    assert "for the child the rule also needs the action (recruitment)" in outcome.conclusion


def test_strength_depends_on_the_list() -> None:
    """Hazardous work + education: strong + medium for a child in labour (met), medium + weak for an adult (not)."""
    observed = ["ec.hazardous_work", "ec.no_education"]
    assert dimension(apply_rule(indicator_list("child_labour"), observed), "exploitative_conditions").met
    assert not dimension(apply_rule(indicator_list("adult_labour"), observed), "exploitative_conditions").met


def test_an_indicator_off_the_list_is_refused_with_where_to_look() -> None:
    with pytest.raises(
        InvalidInput, match=r"'dr.contract' is not on the child_sexual list; `palermo victims indicators"
    ):
        apply_rule(indicator_list("child_sexual"), ["dr.contract"])
    with pytest.raises(InvalidInput, match=r"adult or a child, for labour or sexual"):
        list_for("adult", "domestic")


def test_the_store_check_constraint_names_the_taxonomy_lists() -> None:
    from palermo.db.victims import INDICATOR_LISTS
    from palermo.taxonomies import taxonomy

    assert taxonomy("victim_indicator_lists").ids == INDICATOR_LISTS
