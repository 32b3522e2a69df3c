"""The features of the combined risk score: each indicator (fired or not), what its evidence counted, and what the
booking itself shows (a minor, companions of the traveller's surname, a payer on the booking).

Every feature is cheap: it reads the fired indicators and the travel context the indicators already read, never
the store again, so the score adds nothing to the booth's queries. Values are 0 when the feature does not apply;
counts go through ``log1p`` so that one huge tour group cannot dominate. Each feature says in words what its
value means, for the explanation of a decision.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from palermo.screening.context import TravelContext, age_at, surname_of
from palermo.screening.indicators import Indicator
from palermo.screening.person_score import Traveller

ADULT_AGE = 18


@dataclass(frozen=True)
class Facts:
    """What the features are computed from."""

    fired: dict[str, Indicator]
    traveller: Traveller
    context: TravelContext


@dataclass(frozen=True)
class FeatureSpec:
    id: str
    value: Callable[[Facts], float]
    words: Callable[[Facts, float], str]


def _evidence(facts: Facts, indicator: str, key: str) -> float:
    fired = facts.fired.get(indicator)
    value = fired.evidence.get(key) if fired is not None else None
    return float(value) if isinstance(value, int | float) else 0.0


def _age(facts: Facts) -> int | None:
    return age_at(facts.traveller.birth_date, facts.context.at.date())


def _companion_ages(facts: Facts) -> list[int]:
    day = facts.context.at.date()
    return [a for c in facts.context.companions if (a := age_at(c.birth_date, day)) is not None]


def _surnames(facts: Facts) -> set[str]:
    return {surname_of(n) for n in facts.traveller.names if n.strip()}


def _related_share(facts: Facts) -> float:
    companions = facts.context.companions
    if not companions:
        return 0.0
    mine = _surnames(facts)
    return sum(1 for c in companions if (c.surname or surname_of(c.name)) in mine) / len(companions)


def _payer_on_booking(facts: Facts) -> float:
    payer = facts.context.payer
    if not payer:
        return 0.0
    names = _surnames(facts) | {c.surname or surname_of(c.name) for c in facts.context.companions}
    return float(surname_of(payer) in names)


def _indicator(indicator: str) -> FeatureSpec:
    def value(facts: Facts) -> float:
        return float(indicator in facts.fired)

    def words(facts: Facts, _: float) -> str:
        fired = facts.fired.get(indicator)
        return f"{fired.label}: {fired.detail}" if fired is not None else f"{indicator} did not fire"

    return FeatureSpec(indicator, value, words)


def _count(n: float) -> float:
    return math.log1p(max(0.0, n))


FEATURES: tuple[FeatureSpec, ...] = (
    *(
        _indicator(i)
        for i in (
            "minor_without_guardian",
            "escort_repeat_crossings",
            "third_party_payer",
            "shared_contact_phone",
            "shared_destination",
            "document_lost_stolen_invalid",
            "new_document_first_trip_escorted",
        )
    ),
    FeatureSpec(
        "escort_bookings",
        lambda f: _count(_evidence(f, "escort_repeat_crossings", "bookings")),
        lambda f, v: f"the escort crossed on {round(math.expm1(v))} earlier bookings with other travellers",
    ),
    FeatureSpec(
        "escort_young_share",
        lambda f: _evidence(f, "escort_repeat_crossings", "young_share"),
        lambda f, v: f"{v:.0%} of the escort's earlier companions were young",
    ),
    FeatureSpec(
        "payer_travellers",
        lambda f: _count(_evidence(f, "third_party_payer", "travellers")),
        lambda f, v: f"the payer paid for {round(math.expm1(v))} other travellers",
    ),
    FeatureSpec(
        "phone_travellers",
        lambda f: _count(_evidence(f, "shared_contact_phone", "travellers")),
        lambda f, v: f"the contact phone was given by {round(math.expm1(v))} other travellers",
    ),
    FeatureSpec(
        "minor",
        lambda f: float((a := _age(f)) is not None and a < ADULT_AGE),
        lambda f, v: f"the traveller is {_age(f)}, a minor",
    ),
    FeatureSpec(
        "adult_companions",
        lambda f: _count(sum(1 for a in _companion_ages(f) if a >= ADULT_AGE)),
        lambda f, v: f"{round(math.expm1(v))} adult companions on the booking",
    ),
    FeatureSpec(
        "minor_companions",
        lambda f: _count(sum(1 for a in _companion_ages(f) if a < ADULT_AGE)),
        lambda f, v: f"{round(math.expm1(v))} minor companions on the booking",
    ),
    FeatureSpec(
        "related_companions",
        _related_share,
        lambda f, v: f"{v:.0%} of the companions share the traveller's surname",
    ),
    FeatureSpec(
        "payer_on_booking",
        _payer_on_booking,
        lambda f, v: "the payer's surname is the traveller's or a companion's",
    ),
)

FEATURE_IDS: tuple[str, ...] = tuple(f.id for f in FEATURES)


def feature_values(facts: Facts) -> dict[str, float]:
    """Every feature's value, in declared order."""
    return {spec.id: round(spec.value(facts), 6) for spec in FEATURES}


def facts_of(fired: list[Indicator], traveller: Traveller, context: TravelContext) -> Facts:
    return Facts({i.id: i for i in fired}, traveller, context)
