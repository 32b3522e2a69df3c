"""The audit action taxonomy covers every operation Art. 25 of Directive 2016/680 requires to be logged."""

from __future__ import annotations

from palermo.taxonomies import taxonomy

LED_ARTICLE_25 = {"collection", "alteration", "consultation", "disclosure", "transfer", "combination", "erasure"}


def test_every_article_25_operation_is_an_action() -> None:
    actions = taxonomy("audit_actions")
    assert {t.id for t in actions.terms if t.attributes.get("led_article_25")} == LED_ARTICLE_25
    assert {"authentication", "administration"} <= set(actions.ids)


def test_consultation_and_disclosures_require_a_justification() -> None:
    actions = taxonomy("audit_actions")
    required = {t.id for t in actions.terms if t.attributes.get("requires_justification")}
    assert required == {"consultation", "disclosure", "transfer"}
