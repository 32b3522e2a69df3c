"""Victim identification measured against a world's truth: persons, not crossings; what asked for protect; the
victims missed by the decision they got; false presumptions among ordinary travellers and other roles."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from palermo.screening.decision import Reason
from palermo.screening.measurement.truth import Movement, Truth
from palermo.screening.measurement.victim_reach import reach_in_words, victim_reach
from palermo.screening.requests import ScreeningResult
from palermo.screening.risk.model import RiskScore


@dataclass(frozen=True)
class Crossing:
    source: str
    source_key: str


def indicator(indicator_id: str) -> dict[str, object]:
    return {"id": indicator_id, "value": 1.0, "weight": 0.4, "contribution": 0.4, "detail": "test"} | {
        "label": indicator_id,
        "protective": True,
    }


def result(decision: str, *kinds: str, indicators: tuple[str, ...] = ()) -> ScreeningResult:
    reasons = [Reason(kind=kind, decision=decision, detail="test") for kind in kinds]  # type: ignore[arg-type]
    return ScreeningResult.model_validate(
        {
            "decision": decision,
            "score": 0.5,
            "reasons": [r.model_dump() for r in reasons],
            "hits": [],
            "indicators": [indicator(i) for i in indicators],
            "risk": RiskScore(probability=0.0, refer_threshold=0.5, model="test", features=()).model_dump(),
            "document_checks": None,
            "alert_id": None,
            "elapsed_ms": 1.0,
        }
    )


ROLES = {"v1": "victim", "v2": "victim", "v3": "victim", "v4": "victim", "v5": "victim"}
ROLES |= {"o1": "ordinary", "o2": "ordinary", "o3": "ordinary", "e1": "escort"}


def truth() -> Truth:
    kinds = {"v2": "family", "o2": "tour_group"}
    movements = {
        ("b", f"{p}-{n}"): Movement(p, ROLES[p] == "victim", kinds.get(p, "unit")) for p in ROLES for n in range(3)
    }
    return Truth(movements=movements, entries_of={}, roles=ROLES)


def test_victims_are_counted_once_with_what_protected_them_and_what_the_missed_ones_got() -> None:
    crossings = [
        (Crossing("b", "v1-0"), result("clear")),
        (Crossing("b", "v1-1"), result("protect", "indicators")),  # reached at the second crossing
        (Crossing("b", "v1-2"), result("protect", "indicators")),
        (Crossing("b", "v2-0"), result("protect", "watchlist_hit", "indicators")),
        (Crossing("b", "v3-0"), result("alert", "watchlist_hit")),  # treated as a suspect
        (Crossing("b", "v4-0"), result("clear")),
        (Crossing("b", "o1-0"), result("clear")),
        (Crossing("b", "o2-0"), result("protect", "indicators", indicators=("minor_without_guardian",))),  # false
        (Crossing("b", "o3-0"), result("refer", "document")),
        (Crossing("b", "e1-0"), result("protect", "indicators")),  # an escort protected
        (Crossing("b", "unknown"), result("protect", "indicators")),  # not in the truth: left out
    ]
    reach = victim_reach(crossings, truth())
    assert (reach["victims_in_world"], reach["victims_screened"], reach["victims_reached"]) == (5, 4, 2)
    assert reach["reached_share_of_screened"] == 0.5
    assert reach["reached_share_of_world"] == 0.4
    assert reach["reached_at_first_crossing"] == 1
    assert reach["reached_by"] == {"indicators": 1, "indicators+watchlist_hit": 1}
    assert reach["missed_victims_decided"] == {"alert": 1, "refer": 0, "clear": 1}
    assert reach["missed_victims_treated_as_suspects"] == 1
    assert (reach["ordinary_screened"], reach["ordinary_presumed_victims"]) == (3, 1)
    assert reach["false_presumption_share"] == pytest.approx(0.3333)
    assert reach["other_roles_presumed_victims"] == {"escort": 1}
    assert reach["reached_unit_kinds"] == {"unit": 1, "family": 1}
    assert reach["missed_unit_kinds"] == {"unit": 2}
    assert reach["false_presumptions_by"] == {"indicators": 1}
    assert reach["false_presumption_signals"] == {"minor_without_guardian": 1}
    assert reach["false_presumption_unit_kinds"] == {"tour_group": 1}
    assert reach["precision_of_protect"] == 0.5  # 2 victims among the 4 persons protected
    words = reach_in_words(reach)
    assert words[0].startswith("2 of the 4 true victims who crossed in the replayed days reached a victim case")
    assert words[2].endswith(
        "1 decided alert and 0 refer (treated as suspects), 1 cleared; "
        "by the kind of unit they travelled in (truth): unit 2"
    )
    assert "1 of 3 ordinary travellers had a victim case opened (33.3 %); other roles: escort 1" in words[3]
    assert (
        words[4]
        == "the false presumptions rested on: minor_without_guardian 1; the travellers were (truth) tour_group 1"
    )


def test_nobody_screened_gives_no_share_rather_than_zero() -> None:
    reach = victim_reach([], truth())
    assert reach["victims_screened"] == 0
    assert reach["reached_share_of_screened"] is None
    assert reach["reached_share_of_world"] == 0.0
    assert "n/a" in reach_in_words(reach)[0]
