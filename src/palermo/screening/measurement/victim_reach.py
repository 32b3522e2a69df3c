"""Victim identification at the border, measured against a synthetic world's truth (issue 24, item 8).

A true victim (``persons.csv`` role ``victim``) **reaches a victim case** when one of their replayed crossings is
decided ``protect``: the screening opens the case and hands the person over to victim support. What asked for
protect is read from the decision's reasons: a protective watchlist hit (a missing person or potential victim) or
the protective risk indicators. A victim never decided protect is **missed**; the decisions they got instead are
counted, those of suspects (``refer``, ``alert``) apart, since a victim treated as a suspect is the harm the
non-punishment principle guards against. A **false presumption** is a victim case opened for a person who is not a
victim: ordinary travellers first, the other roles (escorts, recruiters ...) beside them. Each person is also
counted by the kind of unit the truth puts them in (a trafficking network's cell, a family, a tour group ...), and
each false presumption by the protective signals it rested on (protective indicators by id, watchlist hits by
category), so a reader sees which victims the border misses and which travellers it mistakes for victims.

The shares count persons, not crossings: a victim who crosses five times and is protected once is reached. A victim
with no crossing in the replayed days cannot be reached by the border in that window; both denominators are given.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from palermo.screening.measurement.truth import Truth
from palermo.screening.requests import ScreeningResult

DECISION_ORDER = ("protect", "alert", "refer", "clear")


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _worst(decisions: set[str]) -> str:
    """The weightiest decision a person got (protect before alert before refer before clear)."""
    return next(d for d in DECISION_ORDER if d in decisions)


def victim_reach(results: list[tuple[Any, ScreeningResult]], truth: Truth) -> dict[str, Any]:
    """Who reached a victim case through the replayed crossings, against the truth's roles (see module text)."""
    decisions: dict[str, set[str]] = defaultdict(set)
    protected_by: dict[str, set[str]] = defaultdict(set)
    first_crossing_protected: dict[str, bool] = {}
    unit_kind: dict[str, str] = {}
    protective_signals: dict[str, Counter[str]] = defaultdict(Counter)
    for crossing, result in results:
        movement = truth.movements.get((crossing.source, crossing.source_key))
        if movement is None:
            continue
        person = movement.person_id
        first_crossing_protected.setdefault(person, result.decision == "protect")
        decisions[person].add(result.decision)
        unit_kind.setdefault(person, movement.unit_kind)
        if result.decision == "protect":
            protected_by[person].update(r.kind for r in result.reasons if r.decision == "protect")
            protective_signals[person].update(i.id for i in result.indicators if i.protective)
            protective_signals[person].update(f"watchlist:{h.category}" for h in result.hits)
    roles = truth.roles
    victims = {p for p, role in roles.items() if role == "victim"}
    screened = [p for p in decisions if p in victims]
    reached = [p for p in screened if "protect" in decisions[p]]
    missed = Counter(_worst(decisions[p]) for p in screened if p not in reached)
    ordinary = [p for p in decisions if roles.get(p) == "ordinary"]
    presumed = [p for p in ordinary if "protect" in decisions[p]]
    others = Counter(roles.get(p, "unknown") for p in decisions if p not in victims and p not in ordinary)
    others_presumed = Counter(
        roles.get(p, "unknown")
        for p in decisions
        if p not in victims and p not in ordinary and "protect" in decisions[p]
    )
    routes = Counter("+".join(sorted(protected_by[p])) or "unknown" for p in reached)
    false_signals: Counter[str] = Counter()
    for p in presumed:
        false_signals.update(set(protective_signals[p]))
    return {
        "victims_in_world": len(victims),
        "victims_screened": len(screened),
        "victims_reached": len(reached),
        "reached_share_of_screened": _share(len(reached), len(screened)),
        "reached_share_of_world": _share(len(reached), len(victims)),
        "reached_at_first_crossing": sum(1 for p in reached if first_crossing_protected[p]),
        "reached_by": dict(sorted(routes.items())),
        "missed_victims_decided": {d: missed[d] for d in DECISION_ORDER if d != "protect"},
        "missed_victims_treated_as_suspects": missed["alert"] + missed["refer"],
        "reached_unit_kinds": dict(Counter(unit_kind[p] for p in reached).most_common()),
        "missed_unit_kinds": dict(Counter(unit_kind[p] for p in screened if p not in reached).most_common()),
        "ordinary_screened": len(ordinary),
        "ordinary_presumed_victims": len(presumed),
        "false_presumption_share": _share(len(presumed), len(ordinary)),
        "false_presumptions_by": dict(sorted(Counter("+".join(sorted(protected_by[p])) for p in presumed).items())),
        "false_presumption_signals": dict(false_signals.most_common()),
        "false_presumption_unit_kinds": dict(Counter(unit_kind[p] for p in presumed).most_common()),
        "other_roles_screened": dict(sorted(others.items())),
        "other_roles_presumed_victims": dict(sorted(others_presumed.items())),
        "precision_of_protect": _share(len(reached), len(reached) + len(presumed) + sum(others_presumed.values())),
    }


def reach_in_words(reach: dict[str, Any]) -> list[str]:
    """The figures as sentences for a report."""
    screened, world = reach["victims_screened"], reach["victims_in_world"]
    missed = reach["missed_victims_decided"]
    lines = [
        f"{reach['victims_reached']} of the {screened} true victims who crossed in the replayed days reached a victim "
        f"case through a protect decision ({_pct(reach['reached_share_of_screened'])}); of all {world} victims in "
        f"the world, {_pct(reach['reached_share_of_world'])}",
        "what asked for protect: "
        + (", ".join(f"{_route(k)} {v}" for k, v in reach["reached_by"].items()) or "nothing (no victim reached)"),
        f"victims missed: {missed['alert']} decided alert and {missed['refer']} refer (treated as suspects), "
        f"{missed['clear']} cleared"
        + (
            "; by the kind of unit they travelled in (truth): "
            + ", ".join(f"{k} {v}" for k, v in reach["missed_unit_kinds"].items())
            if reach["missed_unit_kinds"]
            else ""
        ),
        f"false presumptions: {reach['ordinary_presumed_victims']} of {reach['ordinary_screened']} ordinary travellers "
        f"had a victim case opened ({_pct(reach['false_presumption_share'])})"
        + (
            "; other roles: " + ", ".join(f"{k} {v}" for k, v in reach["other_roles_presumed_victims"].items())
            if reach["other_roles_presumed_victims"]
            else ""
        ),
    ]
    if reach["false_presumption_signals"]:
        signals = ", ".join(f"{k} {v}" for k, v in reach["false_presumption_signals"].items())
        kinds = ", ".join(f"{k} {v}" for k, v in reach["false_presumption_unit_kinds"].items())
        lines.append(f"the false presumptions rested on: {signals}; the travellers were (truth) {kinds}")
    return lines


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f} %"


def _route(kinds: str) -> str:
    words = {"watchlist_hit": "a protective watchlist hit", "indicators": "protective risk indicators"}
    return " and ".join(words.get(k, k) for k in kinds.split("+")) + ":"
