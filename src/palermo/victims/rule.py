"""The published ILO/EC decision rule: which dimensions are met, which elements hold, presumed victim or not.

Pure: a list and the ids of the observed indicators in, an explained :class:`RuleOutcome` out. The combinations
that meet a dimension and the elements each population needs are data (``decision_rule.yaml``); docs/victims.md
states the rule in words. Every dimension says in a sentence why it is met or not, naming its indicators.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from palermo.config_files import load_packaged_yaml
from palermo.explanation import Feature
from palermo.victims.catalogue import Element, IndicatorList, ListedIndicator, dimensions


class Combination(BaseModel):
    """Least counts of observed indicators that meet a dimension (``medium_or_weak`` counts either)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    strong: int = Field(0, ge=0)
    medium: int = Field(0, ge=0)
    weak: int = Field(0, ge=0)
    medium_or_weak: int = Field(0, ge=0)

    def met_by(self, strong: int, medium: int, weak: int) -> bool:
        return (
            strong >= self.strong
            and medium >= self.medium
            and weak >= self.weak
            and medium + weak >= self.medium + self.weak + self.medium_or_weak
        )

    def words(self) -> str:
        parts = [
            f"{n} {kind}"
            for n, kind in (
                (self.strong, "strong"),
                (self.medium, "medium"),
                (self.weak, "weak"),
                (self.medium_or_weak, "medium or weak"),
            )
            if n
        ]
        return " + ".join(parts)


class RuleParameters(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = Field(min_length=1, max_length=32)
    dimension_met_when: tuple[Combination, ...] = Field(min_length=1)
    required_elements: dict[str, tuple[Element, ...]]
    adult_age: int = Field(ge=1)


@cache
def rule_parameters() -> RuleParameters:
    """The shipped rule (``palermo/victims/decision_rule.yaml``)."""
    return load_packaged_yaml(__package__, "decision_rule.yaml", RuleParameters)


class ObservedIndicator(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    strength: str


class DimensionOutcome(BaseModel):
    """One dimension: the indicators observed in it, their counts, whether it is met and why."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    element: Element
    met: bool
    strong: int
    medium: int
    weak: int
    met_by: str | None = Field(description="The combination of the rule the indicators reach, if any")
    indicators: tuple[ObservedIndicator, ...]
    detail: str


class ElementOutcome(BaseModel):
    """One element of the definition (action, means, purpose): required for this population, and held or not."""

    model_config = ConfigDict(frozen=True)

    element: Element
    required: bool
    met: bool
    dimensions_met: tuple[str, ...]
    detail: str


class RuleOutcome(BaseModel):
    """The rule applied to one assessment: presumed victim or not, with every dimension and element explained."""

    model_config = ConfigDict(frozen=True)

    rule_version: str
    indicator_list: str
    population: str
    presumed_victim: bool
    conclusion: str = Field(description="The result in words, with the indicators behind it")
    elements: tuple[ElementOutcome, ...]
    dimensions: tuple[DimensionOutcome, ...]
    features: tuple[Feature, ...] = Field(description="One feature per dimension: 1 when met, 0 when not")


ELEMENT_WORDS = {
    "action": "the action (recruitment)",
    "means": "the means (coercion or abuse of vulnerability at destination)",
    "purpose": "the purpose (exploitative conditions)",
}


def _dimension(dimension_id: str, label: str, element: Element, seen: list[ListedIndicator]) -> DimensionOutcome:
    counts = {s: sum(1 for i in seen if i.strength == s) for s in ("strong", "medium", "weak")}
    met_by = next(
        (
            c.words()
            for c in rule_parameters().dimension_met_when
            if c.met_by(counts["strong"], counts["medium"], counts["weak"])
        ),
        None,
    )
    named = "; ".join(f"{i.label} ({i.strength})" for i in seen) or "no indicator observed"
    tally = f"{counts['strong']} strong, {counts['medium']} medium, {counts['weak']} weak"
    if met_by:
        detail = f"{label}: met ({tally} reaches {met_by}): {named}"
    else:
        needed = " or ".join(c.words() for c in rule_parameters().dimension_met_when)
        detail = f"{label}: not met ({tally}; needs {needed}): {named}"
    return DimensionOutcome(
        id=dimension_id,
        label=label,
        element=element,
        met=met_by is not None,
        strong=counts["strong"],
        medium=counts["medium"],
        weak=counts["weak"],
        met_by=met_by,
        indicators=tuple(ObservedIndicator(id=i.id, label=i.label, strength=i.strength) for i in seen),
        detail=detail,
    )


def _element(element: Element, required: bool, outcomes: list[DimensionOutcome]) -> ElementOutcome:
    held = tuple(d.id for d in outcomes if d.element == element and d.met)
    words = ELEMENT_WORDS[element]
    labels = ", ".join(d.label.lower() for d in outcomes if d.met and d.element == element)
    if not required:
        detail = f"{words}: not required for a child" + (f" (met anyway: {labels})" if held else "")
    elif held:
        detail = f"{words}: met by {labels}"
    else:
        names = " or ".join(d.label.lower() for d in outcomes if d.element == element)
        detail = f"{words}: not met (none of {names} is met)"
    return ElementOutcome(element=element, required=required, met=bool(held), dimensions_met=held, detail=detail)


def apply_rule(listed: IndicatorList, observed: Iterable[str]) -> RuleOutcome:
    """The decision for the indicators ``observed`` (ids on ``listed``): each dimension, each element, the result."""
    parameters = rule_parameters()
    chosen = [listed.indicator(i) for i in observed]
    outcomes = [_dimension(d.id, d.label, d.element, [i for i in chosen if i.dimension == d.id]) for d in dimensions()]
    required = parameters.required_elements[listed.population]
    elements = tuple(_element(e, e in required, outcomes) for e in ("action", "means", "purpose"))
    presumed = all(e.met for e in elements if e.required)
    missing = [ELEMENT_WORDS[e.element] for e in elements if e.required and not e.met]
    who = "the child" if listed.population == "child" else "the adult"
    if presumed:
        behind = "; ".join(e.detail for e in elements if e.met)
        rule = (
            "action and purpose (child rule: the means are not needed)"
            if listed.population == "child"
            else ("action, means and purpose")
        )
        behind = behind[:1].upper() + behind[1:]
        conclusion = f"Presumed victim of trafficking ({listed.label.lower()}): {rule} are all met. {behind}."
    else:
        conclusion = (
            f"Not presumed a victim on these indicators ({listed.label.lower()}): for {who} the rule also needs "
            f"{' and '.join(missing)}. This is not a finding that the person is not a victim; record indicators "
            "observed later as a revision."
        )
    features = tuple(Feature.weighted(d.id, 1.0 if d.met else 0.0, 1.0, d.detail) for d in outcomes)
    return RuleOutcome(
        rule_version=parameters.version,
        indicator_list=listed.id,
        population=listed.population,
        presumed_victim=presumed,
        conclusion=conclusion,
        elements=elements,
        dimensions=tuple(outcomes),
        features=features,
    )
