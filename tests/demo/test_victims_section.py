"""The demo's victim-identification section: the measured reach against the truth, as rows and sentences."""

from __future__ import annotations

from dataclasses import dataclass

from palermo.demo.report import victims_section
from palermo.screening.decision import Reason
from palermo.screening.measurement.truth import Movement, Truth
from palermo.screening.measurement.victim_reach import victim_reach
from palermo.screening.requests import ScreeningResult
from palermo.screening.risk.model import RiskScore


@dataclass(frozen=True)
class Crossing:
    source: str
    source_key: str


def answer(decision: str, kind: str | None = None) -> ScreeningResult:
    reasons = [Reason(kind=kind, decision=decision, detail="test").model_dump()] if kind else []  # type: ignore[arg-type]
    fields = {"hits": [], "indicators": [], "document_checks": None, "alert_id": None, "elapsed_ms": 1.0}
    fields["risk"] = RiskScore(probability=0.0, refer_threshold=0.5, model="test", features=()).model_dump()
    return ScreeningResult.model_validate({"decision": decision, "score": 0.5, "reasons": reasons, **fields})


def test_the_section_reports_reach_misses_and_false_presumptions() -> None:
    roles = {"v1": "victim", "v2": "victim", "v3": "victim", "o1": "ordinary", "o2": "ordinary"}
    truth = Truth({("b", p): Movement(p, roles[p] == "victim", "unit") for p in roles}, {}, roles)
    replayed = [
        (Crossing("b", "v1"), answer("protect", "watchlist_hit")),
        (Crossing("b", "v2"), answer("refer", "indicators")),
        (Crossing("b", "o1"), answer("clear")),
        (Crossing("b", "o2"), answer("clear")),
    ]
    section = victims_section(victim_reach(replayed, truth))
    rows = dict(section.rows)
    assert section.title == "Victim identification (replay, against the world's truth)"
    assert rows["true victims in the world / crossing in the replayed days"] == "3 / 2"
    assert rows["reached a victim case (protect decision)"] == "1"
    assert rows["share of victims who crossed / of all victims"] == "0.500 / 0.333"
    assert rows["missed: decided alert / refer / clear"] == "0 / 1 / 0"
    assert rows["ordinary travellers with a victim case (false presumption)"] == "0 of 2 (0.000)"
    assert any("a protective watchlist hit: 1" in note for note in section.notes)
    assert any("presumption by the ILO/EC rule is not measured" in note for note in section.notes)
