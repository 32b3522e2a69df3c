"""Border risk indicators (``taxonomies/risk_indicators.yaml``) evaluated over the store with indexed queries.

Each indicator is a function of the traveller, the travel context and the store that returns ``None`` or a detail
and its evidence, which make a fired :class:`Indicator` (a :class:`palermo.explanation.Feature`). Queries use
SQLAlchemy Core on the indexed columns of ``travel_events`` (person/time, phone, booking, payer, destination) and
only look at events up to the screening time, so a replay of past events sees what an officer would have seen then.
They count people, not records: other travellers are distinct resolved identities (``journey.person_key``; an
unresolved record is its own), and the traveller's own records (aliases) are never "others".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import Session

from palermo.db.alerts import Alert
from palermo.db.persons import IdentityDocument
from palermo.db.travel import TravelEvent
from palermo.errors import ConfigurationError
from palermo.explanation import Feature
from palermo.screening import journey
from palermo.screening.context import TravelContext, age_at, surname_of
from palermo.screening.person_score import Traveller
from palermo.taxonomies import Term, taxonomy

EV = TravelEvent.__table__
FLAGGED = ("refer", "alert", "protect")


class Indicator(Feature):
    """A risk indicator that fired: a feature of the traveller's indicator score (value 1, contribution its weight),
    with the taxonomy's label, whether it is protective, and the evidence the evaluator found."""

    label: str
    protective: bool = Field(description="Whether it points to a possible victim (protect rather than refer)")
    evidence: dict[str, Any] = Field(default_factory=dict, description="What the evaluator counted, by name")

    @classmethod
    def fired(cls, term: Term, detail: str, evidence: dict[str, Any]) -> Indicator:
        weight = float(term.attributes["weight"])
        protective = bool(term.attributes.get("protective", False))
        return cls(
            id=term.id,
            value=1.0,
            weight=weight,
            contribution=weight,
            detail=detail,
            label=term.label,
            protective=protective,
            evidence=evidence,
        )


class Parameters(BaseModel):
    """An indicator's parameters from ``risk_indicators.yaml``: typed, and an unknown key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParameters(Parameters):
    pass


class MinorParameters(Parameters):
    adult_age: int = Field(ge=1, le=25)


class EscortParameters(Parameters):
    window_days: int = Field(ge=1, le=3650, description="How far back the escort's earlier crossings are looked for")
    min_bookings: int = Field(ge=1, description="Earlier bookings (other than this one) the escort crossed on")
    min_companions: int = Field(ge=1, description="Distinct travellers on them who are not on this booking")
    young_age: int = Field(ge=1, le=120, description="Under this age (at their crossing) a companion counts as young")
    min_young_share: float = Field(ge=0.0, le=1.0, description="Share of those companions (of known age) who are young")


class SharedParameters(Parameters):
    window_days: int = Field(ge=1, le=3650)
    min_travellers: int = Field(ge=1)
    min_bookings: int = Field(ge=1)


class DestinationParameters(Parameters):
    window_days: int = Field(ge=1, le=3650)
    min_flagged: int = Field(ge=1)


class NewDocumentParameters(Parameters):
    max_document_age_days: int = Field(ge=1, le=3650)


@dataclass(frozen=True)
class Inputs:
    session: Session
    traveller: Traveller
    context: TravelContext
    document_problems: list[str]


def _since(ctx: TravelContext, days: int) -> Any:
    return and_(EV.c.occurred_at >= ctx.at - dt.timedelta(days=days), EV.c.occurred_at <= ctx.at)


def _own_records(inp: Inputs) -> list[int]:
    """Every record of the traveller's identity (none at a live booth, where the traveller is not a record yet)."""
    person = inp.context.person_id
    return [] if person is None else journey.identity_records(inp.session, [person])[person]


def _not_self(inp: Inputs) -> Any:
    """Not the traveller under any of their records (aliases included)."""
    own = _own_records(inp)
    return EV.c.person_id.not_in(own) if own else EV.c.id.is_not(None)


def _traveller_surnames(traveller: Traveller) -> set[str]:
    return {surname_of(n) for n in traveller.names if n.strip()}


def minor_without_guardian(inp: Inputs, p: MinorParameters) -> tuple[str, dict[str, Any]] | None:
    age = age_at(inp.traveller.birth_date, inp.context.at.date())
    if age is None or age >= p.adult_age:
        return None
    surnames = _traveller_surnames(inp.traveller)
    adults = [c for c in inp.context.companions if (age_at(c.birth_date, inp.context.at.date()) or 99) >= p.adult_age]
    related = [c for c in adults if (c.surname or surname_of(c.name)) in surnames]
    if related:
        return None
    who = ", ".join(c.name for c in adults) or "no adult companion"
    return f"aged {age}, travelling with {who}; no companion identified as parent or guardian", {
        "age": age,
        "adult_companions": len(adults),
    }


def _escort_candidates(ctx: TravelContext) -> list[int]:
    people = [c.person_id for c in ctx.companions if c.person_id is not None]
    return people + ([ctx.person_id] if ctx.person_id is not None else [])


def escort_repeat_crossings(inp: Inputs, p: EscortParameters) -> tuple[str, dict[str, Any]] | None:
    """A companion (or the traveller) whose identity crossed before, on other bookings, with other travellers who
    are not on this booking and are mostly young: the escort who brings a new batch each time."""
    ctx = inp.context
    since = ctx.at - dt.timedelta(days=p.window_days)
    here = {c.person_id for c in ctx.companions if c.person_id is not None}
    here |= {ctx.person_id} if ctx.person_id is not None else set()
    # an unresolved record of someone on this booking (another source, another border point) is the same person
    on_board = {d for d in [inp.traveller.birth_date, *(c.birth_date for c in ctx.companions)] if d and len(d) == 10}
    candidates = _escort_candidates(ctx)
    records_of = journey.identity_records(inp.session, candidates)
    everyone = sorted({r for records in records_of.values() for r in records})
    earlier = journey.earlier_bookings(inp.session, everyone, ctx.at, since, ctx.booking_ref) if everyone else []
    history = {person: [c for c in earlier if c.person_id in set(records_of[person])] for person in candidates}
    history = {k: v for k, v in history.items() if len({c.booking_ref for c in v}) >= p.min_bookings}
    here |= {r for records in records_of.values() for r in records}  # their aliases are on board too
    rows = journey.fellows_on(inp.session, {c.booking_ref for v in history.values() for c in v}, ctx.at, since, here)
    keys = journey.identity_keys(inp.session, (f.person_id for f in rows))  # one traveller under two records is one
    for person, crossings in history.items():
        records = records_of[person]
        bookings = sorted({c.booking_ref for c in crossings})
        fellows = list(
            {
                keys[f.person_id]: f
                for f in reversed(rows)
                if f.booking_ref in bookings
                and f.person_id not in records
                and not (f.birth_date and f.birth_date in on_board)
            }.values()
        )
        aged = [f for f in fellows if f.age is not None]
        young = [f for f in aged if f.age is not None and f.age < p.young_age]
        if len(fellows) < p.min_companions or not aged or len(young) / len(aged) < p.min_young_share:
            continue
        role = "the traveller" if person == ctx.person_id else f"companion record {person}"
        alias = f" (identity of {len(records)} records)" if len(records) > 1 else ""
        shown = "; ".join(c.describe() for c in crossings[:6]) + ("; ..." if len(crossings) > 6 else "")
        detail = (
            f"{role}{alias} crossed on {len(bookings)} earlier bookings in {p.window_days} days ({shown}) with "
            f"{len(fellows)} other travellers not on this booking, {len(young)} of {len(aged)} under {p.young_age}"
        )
        return detail, {
            "escort_person_id": person,
            "escort_records": records,
            "bookings": len(bookings),
            "crossings": [
                {
                    "travel_event_id": c.event_id,
                    "at": c.at.isoformat(),
                    "booking_ref": c.booking_ref,
                    "border_point": c.border_point,
                }
                for c in crossings
            ],
            "companions": [{"person_id": f.person_id, "booking_ref": f.booking_ref, "age": f.age} for f in fellows],
            "young_share": round(len(young) / len(aged), 3),
        }
    return None


@dataclass(frozen=True)
class Shared:
    """Who else gave the same payer or phone: distinct persons (identities), their records, their bookings."""

    travellers: int
    records: int
    bookings: int

    def travellers_words(self) -> str:
        aliases = f" (under {self.records} records)" if self.records != self.travellers else ""
        return f"{self.travellers} other travellers{aliases}"

    def evidence(self) -> dict[str, int]:
        return {"travellers": self.travellers, "records": self.records, "bookings": self.bookings}


def _shared(inp: Inputs, column: Any, value: str, p: SharedParameters) -> Shared:
    """Other travellers (counted as resolved identities, the traveller's own records left out) on other bookings
    in the window who gave ``value``."""
    ctx = inp.context
    query = (
        select(
            func.count(distinct(journey.person_key())),
            func.count(distinct(EV.c.person_id)),
            func.count(distinct(func.coalesce(EV.c.booking_ref, ""))),
        )
        .select_from(journey.with_identities())
        .where(column == value, _since(ctx, p.window_days), _not_self(inp))
    )
    if ctx.booking_ref:
        query = query.where(or_(EV.c.booking_ref.is_(None), EV.c.booking_ref != ctx.booking_ref))
    travellers, records, bookings = inp.session.execute(query).one()
    return Shared(int(travellers), int(records), int(bookings))


def third_party_payer(inp: Inputs, p: SharedParameters) -> tuple[str, dict[str, Any]] | None:
    payer = inp.context.payer
    if not payer or surname_of(payer) in _traveller_surnames(inp.traveller):
        return None
    shared = _shared(inp, EV.c.payer_name, payer, p)
    if shared.travellers >= p.min_travellers and shared.bookings >= p.min_bookings:
        detail = f"paid by {payer!r}, who paid for {shared.travellers_words()} on {shared.bookings} other bookings"
        return detail, {"payer": payer, **shared.evidence()}
    return None


def shared_contact_phone(inp: Inputs, p: SharedParameters) -> tuple[str, dict[str, Any]] | None:
    phone = inp.context.phone
    if not phone:
        return None
    shared = _shared(inp, EV.c.contact_phone, phone, p)
    if shared.travellers >= p.min_travellers and shared.bookings >= p.min_bookings:
        detail = f"contact phone {phone} also given by {shared.travellers_words()} on {shared.bookings} other bookings"
        return detail, {"phone": phone, **shared.evidence()}
    return None


def shared_destination(inp: Inputs, p: DestinationParameters) -> tuple[str, dict[str, Any]] | None:
    ctx = inp.context
    if not ctx.destination:
        return None
    query = (
        select(func.count(distinct(journey.person_key())))
        .select_from(journey.with_identities().join(Alert.__table__, Alert.__table__.c.travel_event_id == EV.c.id))
        .where(EV.c.destination_address == ctx.destination, _since(ctx, p.window_days), _not_self(inp))
        .where(Alert.__table__.c.decision.in_(FLAGGED))
    )
    if ctx.booking_ref:
        query = query.where(or_(EV.c.booking_ref.is_(None), EV.c.booking_ref != ctx.booking_ref))
    flagged = int(inp.session.execute(query).scalar_one())
    if flagged >= p.min_flagged:
        return f"destination {ctx.destination!r} was declared by {flagged} flagged travellers", {"flagged": flagged}
    return None


def document_lost_stolen_invalid(inp: Inputs, p: NoParameters) -> tuple[str, dict[str, Any]] | None:
    if not inp.document_problems:
        return None
    return "document: " + ", ".join(inp.document_problems), {"checks": inp.document_problems}


def _issue_date(inp: Inputs) -> dt.date | None:
    docs = IdentityDocument.__table__
    if inp.context.document_id is not None:
        return inp.session.execute(select(docs.c.issue_date).where(docs.c.id == inp.context.document_id)).scalar()
    return None


def new_document_first_trip_escorted(inp: Inputs, p: NewDocumentParameters) -> tuple[str, dict[str, Any]] | None:
    ctx = inp.context
    issued = _issue_date(inp)
    if issued is None or (ctx.at.date() - issued).days > p.max_document_age_days:
        return None
    surnames = _traveller_surnames(inp.traveller)
    unrelated = [c for c in ctx.companions if (c.surname or surname_of(c.name)) not in surnames]
    if not unrelated:
        return None
    own = _own_records(inp)
    if own:  # a first crossing of the person, under any of their records
        earlier = inp.session.execute(
            select(func.count()).where(EV.c.person_id.in_(own), EV.c.occurred_at < ctx.at)
        ).scalar_one()
        if earlier:
            return None
    detail = f"document issued {issued}, first recorded crossing, with {unrelated[0].name}"
    return detail, {"issued": str(issued), "companions": len(unrelated)}


@dataclass(frozen=True)
class Evaluator:
    """The code of one indicator of the taxonomy and the type of its parameters."""

    evaluate: Callable[[Inputs, Any], tuple[str, dict[str, Any]] | None]
    parameters: type[Parameters]


EVALUATORS: dict[str, Evaluator] = {
    "minor_without_guardian": Evaluator(minor_without_guardian, MinorParameters),
    "escort_repeat_crossings": Evaluator(escort_repeat_crossings, EscortParameters),
    "third_party_payer": Evaluator(third_party_payer, SharedParameters),
    "shared_contact_phone": Evaluator(shared_contact_phone, SharedParameters),
    "shared_destination": Evaluator(shared_destination, DestinationParameters),
    "document_lost_stolen_invalid": Evaluator(document_lost_stolen_invalid, NoParameters),
    "new_document_first_trip_escorted": Evaluator(new_document_first_trip_escorted, NewDocumentParameters),
}


@cache
def configured_indicators() -> tuple[tuple[Term, Evaluator, Parameters], ...]:
    """Every indicator of the taxonomy with its evaluator and validated parameters (a mismatch stops the node)."""
    configured = []
    for term in taxonomy("risk_indicators").terms:
        evaluator = EVALUATORS.get(term.id)
        if evaluator is None:
            raise ConfigurationError(f"risk indicator {term.id!r} in risk_indicators.yaml has no evaluator")
        try:
            parameters = evaluator.parameters.model_validate(term.attributes.get("parameters") or {})
        except ValidationError as exc:
            raise ConfigurationError(f"risk indicator {term.id!r}: invalid parameters: {exc}") from None
        configured.append((term, evaluator, parameters))
    unused = sorted(set(EVALUATORS) - {term.id for term, _, _ in configured})
    if unused:
        raise ConfigurationError(f"evaluators without an indicator in risk_indicators.yaml: {', '.join(unused)}")
    return tuple(configured)


def indicator_terms() -> tuple[Term, ...]:
    return taxonomy("risk_indicators").terms


def evaluate_indicators(inputs: Inputs) -> list[Indicator]:
    """Every indicator of the taxonomy that fires for this traveller and context."""
    fired = []
    for term, evaluator, parameters in configured_indicators():
        found = evaluator.evaluate(inputs, parameters)
        if found is not None:
            fired.append(Indicator.fired(term, *found))
    return fired
