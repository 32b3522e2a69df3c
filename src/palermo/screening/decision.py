"""The decision: ``clear``, ``refer`` (second line), ``alert`` (suspect) or ``protect`` (possible victim), with reasons.

Every reason names what asked for which decision; the decision is the first of ``precedence`` that any reason asks
for (``screening.yaml``). A watchlist hit at or above ``alert`` asks for what its category says (suspect: alert;
missing person: protect); between ``refer`` and ``alert`` it asks for refer. Document problems ask for refer, an
exact hit on a stolen number for alert. The indicators ask through the combined risk score (``palermo.screening.
risk``): for refer when its probability reaches the model's threshold, for protect when a protective indicator fired
as well. Before any model is trained, the model is the taxonomy's weights (``risk.store.prior_model``): refer when
the fired indicators' weights reach ``indicator_refer``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from palermo.documents import DocumentCheckResult
from palermo.documents.models import RegistryHit
from palermo.screening.indicators import Indicator
from palermo.screening.risk.model import RiskScore
from palermo.screening.scoring_config import Decision, DecisionConfig


class Reason(BaseModel):
    """What asked for which decision (the scores behind it are explained in the hits and indicators)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["watchlist_hit", "document", "indicators"]
    decision: Decision
    detail: str


@dataclass(frozen=True)
class HitSummary:
    """What the decision needs of a hit."""

    watchlist: str
    entry_id: str
    category: str
    score: float
    through_identity: bool = False


def hit_reasons(hits: list[HitSummary], config: DecisionConfig) -> list[Reason]:
    reasons = []
    for hit in hits:
        if hit.score >= config.alert:
            wanted = config.hit_categories.get(hit.category, "refer")
        elif hit.score >= config.refer:
            wanted = "refer"
        else:
            continue
        detail = f"{hit.category} {hit.entry_id} on {hit.watchlist}: person score {hit.score:.3f}"
        if hit.through_identity:  # resolution is a probability: the officer checks the link before anything else
            wanted = "protect" if wanted == "protect" else "refer"
            detail += ", through the traveller's resolved identity"
        reasons.append(Reason(kind="watchlist_hit", decision=wanted, detail=detail))
    return reasons


def document_problems(document: DocumentCheckResult | None, config: DecisionConfig) -> list[str]:
    """Ids of the failed document checks that refer a traveller."""
    if document is None:
        return []
    return [c.id for c in document.checks if not c.passed and c.id in config.document_refer]


def document_reasons(document: DocumentCheckResult | None, problems: list[str], config: DecisionConfig) -> list[Reason]:
    """A refer for each failed check in ``problems`` and the reasons of the document's registry hits."""
    if document is None:
        return []
    reasons = [Reason(kind="document", decision="refer", detail=f"check {p} failed") for p in problems]
    return reasons + registry_reasons(document.registry_hits, config)


def registry_reasons(hits: Sequence[RegistryHit], config: DecisionConfig) -> list[Reason]:
    """One rule for every lost/stolen hit, read from an MRZ or typed: an exact hit on a stolen document alerts."""
    reasons = []
    for hit in hits:
        wanted: Decision = "alert" if hit.match == "exact" and hit.status in config.document_alert_statuses else "refer"
        detail = f"{hit.match} registry hit: {hit.document_number} ({hit.issuing_state}) {hit.status}; {hit.reason}"
        reasons.append(Reason(kind="document", decision=wanted, detail=detail))
    return reasons


def risk_reasons(risk: RiskScore, fired: list[Indicator]) -> list[Reason]:
    """Refer when the combined risk reaches the model's threshold; protect when a protective indicator fired too."""
    if not risk.refers:
        return []
    protective = [i.id for i in fired if i.protective]
    detail = risk.summary() + (f"; protective indicator {', '.join(protective)}" if protective else "")
    return [Reason(kind="indicators", decision="protect" if protective else "refer", detail=detail)]


def decide(reasons: list[Reason], config: DecisionConfig) -> Decision:
    asked = {r.decision for r in reasons}
    return next((d for d in config.precedence if d in asked), "clear")
