"""Hotspots: border points and routes where flagged movements concentrate beyond what their traffic explains.

Each cell (a border point over the whole range, a border point in one period, a route over the whole range) is
tested against the volume it carries: with ``V`` crossings in the cell and the flagged rate ``r`` of all crossings
(of the same period, for a period cell), ``V x r`` flagged crossings are expected; the p-value is the Poisson
upper tail P(X >= flagged). Every cell is tested together and the p-values corrected with Benjamini-Hochberg; a
cell with q <= alpha and at least ``min_flagged`` flagged crossings is a hotspot, with its counts, expectation,
p- and q-values, the movements behind it and a sentence saying what it means. A busy point whose flagged share is
ordinary is not a hotspot however many crossings it has.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.network.routes import PERMISSION
from palermo.network.routes_communities import CommunityContext, community_context
from palermo.network.routes_crossings import Crossing, TravelData, load_travel
from palermo.network.routes_journeys import journeys, period_of
from palermo.network.routes_parameters import RouteParameters, TravelQuery
from palermo.network.routes_stats import benjamini_hochberg, poisson_upper

Scope = Literal["border_point", "route"]


class Hotspot(BaseModel):
    """A border point or route (in one period, or over the whole range) with more flagged crossings than its
    volume explains, and the evidence."""

    model_config = ConfigDict(frozen=True)

    scope: Scope
    key: str = Field(description="border point code, or route (origin > points > destination)")
    period: str | None = Field(description="ISO week or month; None: the whole range")
    name: str | None = Field(description="the border point's name")
    latitude: float | None
    longitude: float | None
    crossings: int = Field(description="crossings in the cell (its traffic volume)")
    flagged: int = Field(description="flagged crossings in the cell")
    expected: float = Field(description="crossings x the flagged rate of the range (or of the period)")
    ratio: float = Field(description="flagged / expected")
    p_value: float = Field(description="Poisson P(at least this many flagged crossings)")
    q_value: float = Field(description="Benjamini-Hochberg q-value over every cell tested")
    movements: list[int] = Field(description="travel event ids of the flagged crossings (capped at max_evidence)")
    identities: list[str] = Field(description="flagged travellers (capped at max_evidence)")
    travellers: int = Field(
        description="distinct flagged travellers behind the flagged crossings: one frequent traveller can make many"
    )
    reasons: dict[str, int] = Field(description="why the crossings are flagged, by kind of reason")
    explanation: str


class PointVolume(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    country: str
    latitude: float | None
    longitude: float | None
    crossings: int
    flagged: int


class HotspotAnalysis(BaseModel):
    model_config = ConfigDict(frozen=True)

    parameters: RouteParameters
    crossings: int
    hidden_special: int = Field(description="special-category crossings left out: the actor may not see them")
    flagged: int
    flagged_rate: float
    tests: int = Field(description="cells tested (the Benjamini-Hochberg family)")
    hotspots: list[Hotspot]
    points: list[PointVolume] = Field(description="every border point's volume and flagged crossings (for a map)")
    communities_note: str | None = Field(default=None, description="why no community was used, when asked for")


@dataclass
class _Cell:
    scope: Scope
    key: str
    period: str | None
    crossings: list[Crossing] = field(default_factory=list)


def find_hotspots(
    session: Session,
    actor: Actor,
    query: TravelQuery,
    *,
    flagged_identities: Mapping[str, str] | Iterable[str] = (),
    use_communities: bool = False,
) -> HotspotAnalysis:
    """Test every border point, border point and period, and route of ``query``'s range; hotspots first by q.
    ``use_communities`` flags the members of the link graph's network-like communities too."""
    guard(session, actor, PERMISSION, subject="hotspots")
    params = query.parameters()
    context = community_context(session, actor) if use_communities else CommunityContext()
    data = load_travel(session, actor, query, context.flags_with(flagged_identities))
    cells = _cells(data, params)
    rates = _rates(data, params)
    tested = [(cell, *_test(cell, data, rates)) for cell in cells]
    q_values = benjamini_hochberg([p for _, _, _, p in tested])
    hotspots = [
        _hotspot(cell, data, k, expected, p, q, len(tested), params)
        for (cell, k, expected, p), q in zip(tested, q_values, strict=True)
        if q <= params.alpha and k >= params.min_flagged
    ]
    hotspots.sort(key=lambda h: (h.q_value, -h.flagged, h.scope, h.key, h.period or ""))
    flagged = sum(1 for c in data.crossings if data.flag_reason(c))
    return HotspotAnalysis(
        parameters=params,
        crossings=len(data.crossings),
        hidden_special=data.hidden,
        flagged=flagged,
        flagged_rate=round(flagged / len(data.crossings), 6) if data.crossings else 0.0,
        tests=len(tested),
        hotspots=hotspots,
        points=_volumes(data),
        communities_note=context.note,
    )


def _cells(data: TravelData, params: RouteParameters) -> list[_Cell]:
    cells: dict[tuple[Scope, str, str | None], _Cell] = {}

    def add(scope: Scope, key: str, period: str | None, crossing: Crossing) -> None:
        cells.setdefault((scope, key, period), _Cell(scope, key, period)).crossings.append(crossing)

    for crossing in data.crossings:
        add("border_point", crossing.point, None, crossing)
        add("border_point", crossing.point, period_of(crossing.at, params.period), crossing)
    for journey in journeys(data, params.trip_window_days):
        for crossing in journey.entries:
            add("route", journey.route, None, crossing)
    return list(cells.values())


_ENTRIES = "entries"  # the rate key of route cells: routes are made of entries only


def _rates(data: TravelData, params: RouteParameters) -> dict[str | None, float]:
    """The flagged rate of all crossings (key None), of each period's, and of all entries (for route cells)."""
    total: Counter[str | None] = Counter()
    flagged: Counter[str | None] = Counter()
    for crossing in data.crossings:
        hit = 1 if data.flag_reason(crossing) else 0
        keys = [None, period_of(crossing.at, params.period)] + ([_ENTRIES] if crossing.direction == "entry" else [])
        for key in keys:
            total[key] += 1
            flagged[key] += hit
    return {key: flagged[key] / n for key, n in total.items()}


def _test(cell: _Cell, data: TravelData, rates: dict[str | None, float]) -> tuple[int, float, float]:
    k = sum(1 for c in cell.crossings if data.flag_reason(c))
    expected = len(cell.crossings) * rates.get(_ENTRIES if cell.scope == "route" else cell.period, 0.0)
    return k, expected, poisson_upper(k, expected)


def _reason_kind(reason: str) -> str:
    """``named in a recruited_by relationship (#4)`` -> ``named in a recruited_by relationship``."""
    return reason.split(" (")[0].split(" #")[0]


def _hotspot(
    cell: _Cell, data: TravelData, k: int, expected: float, p: float, q: float, tests: int, params: RouteParameters
) -> Hotspot:
    flagged = [(c, reason) for c in cell.crossings if (reason := data.flag_reason(c))]
    point = data.points.get(cell.key) if cell.scope == "border_point" else None
    ratio = k / expected if expected else float(k)
    where = f"{point.name} ({cell.key})" if point else cell.key
    when = f" in {cell.period}" if cell.period else ""
    travellers = len({c.identity for c, _ in flagged})
    by = f"by {travellers} traveller{'s' if travellers != 1 else ''}"
    explanation = (
        f"{k} of {len(cell.crossings)} crossings at {where}{when} were flagged ({by}) where {expected:.1f} were "
        f"expected from its traffic at the flagged rate of {rates_text(expected, len(cell.crossings))} ({ratio:.1f} "
        f"times; Poisson p = {p:.2g}, q = {q:.2g} after Benjamini-Hochberg over {tests} cells): flagged movements "
        f"concentrate here beyond what its volume explains."
        + (
            " All are one traveller's: read it as that traveller's pattern, not a place many use."
            if travellers == 1
            else ""
        )
    )
    return Hotspot(
        scope=cell.scope,
        key=cell.key,
        period=cell.period,
        name=point.name if point else None,
        latitude=point.latitude if point else None,
        longitude=point.longitude if point else None,
        crossings=len(cell.crossings),
        flagged=k,
        expected=round(expected, 4),
        ratio=round(ratio, 4),
        p_value=p,
        q_value=q,
        movements=sorted(c.event_id for c, _ in flagged)[: params.max_evidence],
        identities=_first(sorted({c.identity for c, _ in flagged}), params.max_evidence),
        travellers=travellers,
        reasons=dict(Counter(_reason_kind(r) for _, r in flagged).most_common()),
        explanation=explanation,
    )


def rates_text(expected: float, crossings: int) -> str:
    return f"{expected / crossings:.1%}" if crossings else "0%"


def _first(items: Sequence[str], n: int) -> list[str]:
    return list(items[:n])


def _volumes(data: TravelData) -> list[PointVolume]:
    crossings: Counter[str] = Counter()
    flagged: defaultdict[str, int] = defaultdict(int)
    for c in data.crossings:
        crossings[c.point] += 1
        flagged[c.point] += 1 if data.flag_reason(c) else 0
    return [
        PointVolume(
            code=p.code,
            name=p.name,
            country=p.country,
            latitude=p.latitude,
            longitude=p.longitude,
            crossings=crossings[p.code],
            flagged=flagged[p.code],
        )
        for p in sorted(data.points.values(), key=lambda p: p.code)
        if crossings[p.code]
    ]
