"""``screen``: one traveller at the booth, answered in milliseconds with reasons.

Document (MRZ checks and lost/stolen registry) -> watchlist candidates (index) -> person scores -> risk indicators
-> decision -> alert persisted when not ``clear``. Guarded by ``screening.run`` (personal data: justified).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Select, bindparam, select
from sqlalchemy.orm import Session

from palermo.alerts import AlertSubject, open_alert
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.watchlists import PROTECTIVE_CATEGORIES, Watchlist, WatchlistEntry
from palermo.documents import DocumentCheckResult, LostStolenRegistry, check_document
from palermo.documents.models import RegistryHit
from palermo.errors import InvalidInput
from palermo.explanation import Feature, clamped
from palermo.names import compare_prepared, prepare_name
from palermo.screening import decision as decide
from palermo.screening.candidate_index.from_store import birth_year, entry_names
from palermo.screening.candidate_index.index import CandidateIndex, ScoredCandidate, normalise_document
from palermo.screening.candidate_index.node_cache import resources_for
from palermo.screening.context import Companion, TravelContext
from palermo.screening.identity_path import identity_aliases
from palermo.screening.indicators import Indicator, Inputs, evaluate_indicators
from palermo.screening.person_score import (
    EntryFacts,
    Traveller,
    best_possible,
    explained,
    person_terms,
    support,
)
from palermo.screening.requests import HitOut, ScreeningRequest, ScreeningResult, TypedDocumentCheck
from palermo.screening.risk import model as risk_model
from palermo.screening.risk.features import facts_of
from palermo.screening.risk.store import current_model
from palermo.screening.scoring_config import Decision, ScreeningConfig, default_screening_config
from palermo.taxonomies.countries import normalise_country
from palermo.victims.cases import PARTIAL_DATE, CaseSubject
from palermo.victims.protection import VictimCaseRoute, link_alert, open_for_protection


@dataclass(frozen=True)
class StoreRefs:
    """Where the traveller already is in the store (replay of recorded events): record ids for the indicators."""

    person_id: int | None = None
    travel_event_id: int | None = None
    document_id: int | None = None
    companions: list[Companion] = field(default_factory=list)


def _mrz_document(request: ScreeningRequest, registry: LostStolenRegistry, day: dt.date) -> DocumentCheckResult | None:
    return check_document(request.mrz, registry=registry, at=day, ocr=request.ocr) if request.mrz else None


def case_subject(traveller: Traveller) -> CaseSubject:
    """The traveller as a victim case records them."""
    birth = traveller.birth_date if traveller.birth_date and PARTIAL_DATE.match(traveller.birth_date) else None
    return CaseSubject(
        names=[n[:400] for n in traveller.names[:20]],
        birth_date=birth,
        nationality=traveller.nationalities[0][:3] if traveller.nationalities else None,
        sex=traveller.sex if traveller.sex in ("M", "F", "X") else None,
        document_numbers=[d[:64] for d in traveller.document_numbers[:10]],
    )


def traveller_of(request: ScreeningRequest, document: DocumentCheckResult | None) -> Traveller:
    """The traveller from the typed fields, completed by the MRZ."""
    names = list(request.names)
    nationalities = [normalise_country(request.nationality)] if request.nationality else []
    numbers = [request.document_number] if request.document_number else []
    birth, sex = request.birth_date, request.sex
    if document is not None:
        mrz_name = f"{document.given_names} {document.surname}".strip()
        names += [mrz_name] if mrz_name and mrz_name not in names else []
        nationalities += [document.nationality] if document.nationality not in nationalities else []
        numbers += [document.document_number] if document.document_number not in numbers else []
        birth = birth or (document.birth_date.isoformat() if document.birth_date else None)
        sex = sex or (document.sex if document.sex in ("M", "F", "X") else None)
    if not names and not numbers:
        raise InvalidInput("screening needs a name (--name), an MRZ (--mrz) or a document number")
    return Traveller(names, birth, nationalities, sex, numbers)


def _registry_hits(request: ScreeningRequest, registry: LostStolenRegistry) -> list[RegistryHit]:
    """Lost/stolen hits of a typed document number (an MRZ's number is looked up by the document check)."""
    if request.mrz or not request.document_number:
        return []
    state = request.issuing_state or request.nationality
    if not state:  # typed without its state: the exact number under any state (near hits need the state)
        return registry.lookup_any_state(request.document_number)
    return registry.search(state, request.document_number)


def _candidate_scores(
    index: CandidateIndex, traveller: Traveller, config: ScreeningConfig
) -> dict[int, ScoredCandidate]:
    """The best-scored pair of names per candidate entry worth a person score."""
    floor = max(0.0, config.person_score.report_threshold - best_possible(0.0, config.person_score, documents=False))
    found = index.search(traveller.names, birth_year(traveller.birth_date), traveller.document_numbers, threshold=floor)
    scores = {c.entry_id: c for c in found if c.query_name}
    for entry_id, query, alias in index.weak_alias_hits(traveller.names):
        if entry_id not in scores or scores[entry_id].score < config.person_score.weak_alias:
            scores[entry_id] = ScoredCandidate(entry_id, config.person_score.weak_alias, query, alias, weak=True)
    for number in traveller.document_numbers:
        for entry_id in index.documents.get(normalise_document(number), set()) - index.removed:
            scores.setdefault(
                entry_id, ScoredCandidate(entry_id, 0.0, traveller.names[0] if traveller.names else "", "")
            )
    return scores


def entry_facts(session: Session, ids: list[int], day: dt.date) -> list[EntryFacts]:
    if not ids:
        return []
    rows = session.execute(_entry_facts_query(), {"ids": ids, "day": day})
    return [
        EntryFacts(
            entry_id=r.id,
            source_key=r.source_key,
            watchlist=r.watchlist,
            category=r.category,
            names=entry_names(r.names),
            birth_date=r.birth_date,
            other_birth_dates=tuple(r.other_birth_dates or ()),
            nationalities=list(r.nationalities or []),
            sex=r.sex,
            document_numbers=list(r.document_numbers or []),
            reason=r.reason,
            handling=r.handling,
        )
        for r in rows
    ]


@cache
def _entry_facts_query() -> Select[Any]:
    """The candidates' facts, current on ``day``: columns, not ORM objects (a screening reads up to fifty entries
    and keeps none), and built once (building the statement cost a screening a third of a millisecond)."""
    e = WatchlistEntry
    return (
        select(
            e.id,
            e.source_key,
            Watchlist.name.label("watchlist"),
            e.category,
            e.names,
            e.birth_date,
            e.other_birth_dates,
            e.nationalities,
            e.sex,
            e.document_numbers,
            e.reason,
            e.handling,
        )
        .join(Watchlist, Watchlist.id == e.watchlist_id)
        .where(e.id.in_(bindparam("ids", expanding=True)))
        .where(e.current_on(bindparam("day", type_=Date)))
    )


def _name_explanation(candidate: ScoredCandidate) -> tuple[str, tuple[Feature, ...]]:
    query, listed = candidate.query_name, candidate.entry_name
    if not query or not listed:
        return "no listed name compared (document-number candidate)", ()
    if candidate.weak:
        return f"{query!r} is the listed weak alias {listed!r} (weak aliases count only when a name equals one)", ()
    pair = candidate.pair or (prepare_name(query), prepare_name(listed))  # as the index prepared them
    comparison = compare_prepared(*pair)
    strongest = sorted((f for f in comparison.features if f.value), key=lambda f: -abs(f.contribution))[:3]
    detail = f"{query!r} vs {listed!r}: " + "; ".join(f"{f.id} {f.value:.2f}: {f.detail}" for f in strongest)
    return detail, comparison.features


def score_hits(
    session: Session, index: CandidateIndex, traveller: Traveller, day: dt.date, config: ScreeningConfig
) -> list[tuple[HitOut, int]]:
    """The reported hits (person score at or above ``report_threshold``), best first, with store entry ids."""
    names = _candidate_scores(index, traveller, config)
    return rank_hits(traveller, entry_facts(session, list(names), day), names, config)


def hits_through_identity(
    session: Session,
    index: CandidateIndex,
    traveller: Traveller,
    day: dt.date,
    config: ScreeningConfig,
    *,
    state: str | None,
    person_id: int | None,
    already: set[int],
) -> list[tuple[HitOut, int]]:
    """Hits of the other records of the traveller's resolved identity that the traveller's own names did not make
    (``palermo.screening.identity_path``), each saying which record of the identity hit and through which link."""
    found: list[tuple[HitOut, int]] = []
    for alias in identity_aliases(session, traveller, state=state, person_id=person_id):
        for hit, entry_id in score_hits(session, index, alias.traveller, day, config):
            if entry_id in already:
                continue
            already.add(entry_id)
            found.append((hit.model_copy(update={"via_identity": alias.explain(hit.query_name)}), entry_id))
    found.sort(key=lambda pair: -pair[0].score)
    return found[: config.person_score.max_hits]


def rank_hits(
    traveller: Traveller, entries: list[EntryFacts], names: dict[int, ScoredCandidate], config: ScreeningConfig
) -> list[tuple[HitOut, int]]:
    """Person scores of the candidate ``entries`` (``names``: their best name pairs), reported hits best first."""
    cfg = config.person_score
    scored = []
    for facts in entries:
        candidate = names[facts.entry_id]
        terms = person_terms(traveller, facts, candidate.score, "", cfg)
        raw = support(terms)
        total = clamped(raw)
        if total >= cfg.report_threshold:
            scored.append((total, raw, facts, candidate, terms))
    # equal scores (1.0 for the same exact name) are ordered by what else agrees, then by entry
    scored.sort(key=lambda s: (-s[0], -s[1], s[2].entry_id))
    hits = []
    for score, _raw, facts, candidate, terms in scored[: cfg.max_hits]:  # only reported hits are explained
        detail, name_features = _name_explanation(candidate)
        person = explained([terms[0]._replace(detail=detail), *terms[1:]])
        hit = HitOut(
            watchlist=facts.watchlist,
            entry_id=facts.source_key,
            category=facts.category,
            name=candidate.entry_name,
            query_name=candidate.query_name,
            score=score,
            features=person.features,
            name_features=name_features,
            reason=facts.reason,
            handling=facts.handling,
        )
        hits.append((hit, facts.entry_id))
    return hits


def _context(request: ScreeningRequest, refs: StoreRefs | None, at: dt.datetime) -> TravelContext:
    companions = [Companion(c.name, birth_date=c.birth_date) for c in request.companions]
    companions += refs.companions if refs else []
    return TravelContext(
        at=at,
        border_point=request.border_point,
        direction=request.direction,
        booking_ref=request.booking_ref,
        payer=request.payer,
        phone=request.phone,
        destination=request.destination,
        companions=companions,
        person_id=refs.person_id if refs else None,
        travel_event_id=refs.travel_event_id if refs else None,
        document_id=refs.document_id if refs else None,
    )


def _document_checks(
    document: DocumentCheckResult | None, registry_hits: list[RegistryHit]
) -> DocumentCheckResult | TypedDocumentCheck | None:
    if document is not None:
        return document
    return TypedDocumentCheck(registry_hits=registry_hits) if registry_hits else None


@dataclass(frozen=True)
class Assessment:
    """What a screening finds and decides, before the access check is logged and an alert is opened."""

    verdict: Decision
    score: float
    reasons: list[decide.Reason]
    hits: list[tuple[HitOut, int]]
    indicators: list[Indicator]
    risk: risk_model.RiskScore
    document_checks: DocumentCheckResult | TypedDocumentCheck | None
    traveller: Traveller

    def result(
        self, *, alert_id: int | None, elapsed_ms: float, victim_case: VictimCaseRoute | None = None
    ) -> ScreeningResult:
        """The documented answer of this assessment."""
        return ScreeningResult(
            decision=self.verdict,
            score=round(self.score, 6),
            reasons=self.reasons,
            hits=[hit for hit, _ in self.hits],
            indicators=self.indicators,
            risk=self.risk,
            document_checks=self.document_checks,
            alert_id=alert_id,
            victim_case=victim_case,
            elapsed_ms=elapsed_ms,
        )


def assess(
    session: Session,
    request: ScreeningRequest,
    *,
    home: Path,
    at: dt.datetime,
    refs: StoreRefs | None = None,
    config: ScreeningConfig | None = None,
) -> Assessment:
    """Document, watchlists, indicators and decision for one traveller; reads only (callers guard and persist)."""
    config = config or default_screening_config()
    resources = resources_for(home, session)
    document = _mrz_document(request, resources.registry, at.date())
    registry_hits = _registry_hits(request, resources.registry)
    traveller = traveller_of(request, document)
    hits = score_hits(session, resources.index, traveller, at.date(), config)
    state = (document.issuing_state if document else None) or request.issuing_state or request.nationality
    hits += hits_through_identity(
        session,
        resources.index,
        traveller,
        at.date(),
        config,
        state=state,
        person_id=refs.person_id if refs else None,
        already={entry_id for _, entry_id in hits},
    )
    failed_checks = decide.document_problems(document, config.decision)
    problems = failed_checks + [f"registry {h.status}" for h in registry_hits]
    context = _context(request, refs, at)
    fired = evaluate_indicators(Inputs(session, traveller, context, problems))
    stored = current_model(home)
    risk = risk_model.score(stored.model, stored.name, facts_of(fired, traveller, context))
    summaries = [
        decide.HitSummary(h.watchlist, h.entry_id, h.category, h.score, through_identity=h.via_identity is not None)
        for h, _ in hits
    ]
    reasons = decide.hit_reasons(summaries, config.decision)
    reasons += decide.document_reasons(document, failed_checks, config.decision)
    reasons += decide.registry_reasons(registry_hits, config.decision)
    reasons += decide.risk_reasons(risk, fired)
    return Assessment(
        verdict=decide.decide(reasons, config.decision),
        score=max([h.score for h, _ in hits] + [risk.probability]),
        reasons=reasons,
        hits=hits,
        indicators=fired,
        risk=risk,
        document_checks=_document_checks(document, registry_hits),
        traveller=traveller,
    )


def screen(
    session: Session,
    actor: Actor,
    request: ScreeningRequest,
    *,
    home: Path,
    refs: StoreRefs | None = None,
    config: ScreeningConfig | None = None,
    persist: bool = True,
) -> ScreeningResult:
    """Screen one traveller: document, watchlists, indicators, decision with reasons; an alert when not clear."""
    started = time.perf_counter()
    guard(session, actor, "screening.run", subject=f"screening:{request.border_point or 'booth'}")
    at = request.at or dt.datetime.now(dt.UTC)
    at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    found = assess(session, request, home=home, at=at, refs=refs, config=config)
    hits, verdict, score = found.hits, found.verdict, found.score
    alert_id, route = None, None
    if verdict != "clear" and persist:
        protective = verdict == "protect" or any(h.category in PROTECTIVE_CATEGORIES for h, _ in hits)
        if verdict == "protect":
            route = open_for_protection(
                session,
                actor.name,
                case_subject(found.traveller),
                person_id=refs.person_id if refs else None,
                on=at.date(),
            )
        subject = AlertSubject(
            person_id=refs.person_id if refs else None,
            travel_event_id=refs.travel_event_id if refs else None,
            watchlist_entry_id=hits[0][1] if hits else None,
            ref=f"victim_case:{route.case_id}" if route else None,
            border_point=request.border_point,
        )
        routed = [{"kind": "victim_case", "case_id": route.case_id, "detail": route.handover}] if route else []
        alert = open_alert(
            session,
            actor.name,
            kind="screening",
            subject=subject,
            decision=verdict,
            score=score,
            explanation=routed
            + [r.model_dump(mode="json") for r in found.reasons]
            + [{"kind": "hit", **h.model_dump(mode="json", exclude={"name_features"})} for h, _ in hits]
            + [{"kind": "indicator", **i.model_dump(mode="json")} for i in found.indicators]
            + ([{"kind": "risk", **found.risk.model_dump(mode="json")}] if found.risk else []),
            sensitivity="special" if protective else "ordinary",
        )
        alert_id = alert.id
        if route:
            link_alert(session, route.case_id, alert.id)
    return found.result(
        alert_id=alert_id, victim_case=route, elapsed_ms=round((time.perf_counter() - started) * 1000, 3)
    )
