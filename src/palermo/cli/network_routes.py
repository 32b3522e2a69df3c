"""``palermo network routes | hotspots``: travel routes with the trafficking ones told apart, and hotspots where
flagged movements concentrate beyond volume (docs/network-routes.md). Tables by default, ``--json`` for the
whole answer."""

from __future__ import annotations

import datetime as dt
import json

import typer
from pydantic import BaseModel
from rich.table import Table

from palermo.cli.common import console, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation
from palermo.network.hotspots import HotspotAnalysis, find_hotspots
from palermo.network.routes import RouteAnalysis, analyse_routes, journeys_of
from palermo.network.routes_parameters import TravelQuery

SINCE = typer.Option(None, "--since", help="First day of crossings analysed (YYYY-MM-DD).")
UNTIL = typer.Option(None, "--until", help="Last day of crossings analysed (YYYY-MM-DD).")
WINDOW = typer.Option(None, "--window", help="Trip window in days: entries this far apart at most form one journey.")
PERIOD = typer.Option(None, "--period", help="week or month: volumes and per-period hotspots (default routes.yaml).")
ALPHA = typer.Option(None, "--alpha", help="False-discovery rate of a reported finding (default 0.05).")
MIN_FLAGGED = typer.Option(None, "--min-flagged", help="Flagged trips or crossings a finding needs (default 3).")
LIMIT = typer.Option(30, "--limit", min=1, help="Rows of the table.")
AS_JSON = typer.Option(False, "--json", help="Print the whole answer as JSON.")
COMMUNITIES = typer.Option(
    False, "--communities", help="Count journeys per community of the link graph and flag network-like ones' members."
)


def _print_json(answer: BaseModel | list[BaseModel]) -> None:
    data = [a.model_dump() for a in answer] if isinstance(answer, list) else answer.model_dump()
    console.print_json(json.dumps(data, default=str, ensure_ascii=False))


def routes(
    since: dt.datetime = SINCE,
    until: dt.datetime = UNTIL,
    window: int = WINDOW,
    period: str = PERIOD,
    alpha: float = ALPHA,
    min_flagged: int = MIN_FLAGGED,
    identity: str = typer.Option(None, "--identity", help="One traveller's journeys: identity:ID or person:ID."),
    communities: bool = COMMUNITIES,
    limit: int = LIMIT,
    as_json: bool = AS_JSON,
    justification: str = JUSTIFICATION,
) -> None:
    """Routes of travel (origin > border points > destination), trafficking routes first, each explained."""
    query = TravelQuery.of(since=since and since.date(), until=until and until.date(), trip_window_days=window,
                           period=period, alpha=alpha, min_flagged=min_flagged)  # fmt: skip
    with justified_operation(justification) as op:
        if identity:
            found = journeys_of(op.session, op.actor, identity, query)
        else:
            result = analyse_routes(op.session, op.actor, query, use_communities=communities)
    if identity:
        if as_json:
            _print_json(list(found))
            return
        for j in found:
            console.print(f"{j.start[:10]}  {j.route}  booking {j.booking or '-'}  {j.flagged or ''}", soft_wrap=True)
        return
    if as_json:
        _print_json(result)
    else:
        _routes_table(result, limit)


def _routes_table(result: RouteAnalysis, limit: int) -> None:
    console.print(
        f"{result.crossings} crossings, {result.journeys} journeys, {result.trips} trips, {result.flagged_trips} "
        f"flagged ({result.flagged_share:.1%}); {result.trafficking_routes} trafficking route(s) of "
        f"{result.routes_tested} tested"
        + (f"; {result.hidden_special} special-category crossings left out" if result.hidden_special else ""),
        soft_wrap=True,
    )
    if result.communities_note:
        console.print(f"no communities: {result.communities_note}", soft_wrap=True)
    table = Table("route", "journeys", "trips", "flagged", "expected", "lift", "q", "trafficking")
    for r in result.routes[:limit]:
        table.add_row(r.route, str(r.journeys), str(r.trips), str(r.flagged_trips), f"{r.expected_flagged_trips:.1f}",
                      f"{r.lift:.1f}", f"{r.q_value:.2g}", "yes" if r.trafficking else "")  # fmt: skip
    console.print(table)
    for r in result.routes:
        if r.trafficking:
            console.print(f"- {r.explanation}", soft_wrap=True)


def hotspots(
    since: dt.datetime = SINCE,
    until: dt.datetime = UNTIL,
    window: int = WINDOW,
    period: str = PERIOD,
    alpha: float = ALPHA,
    min_flagged: int = MIN_FLAGGED,
    communities: bool = COMMUNITIES,
    limit: int = LIMIT,
    as_json: bool = AS_JSON,
    justification: str = JUSTIFICATION,
) -> None:
    """Border points and routes where flagged movements concentrate beyond their volume (Poisson, FDR-controlled)."""
    query = TravelQuery.of(since=since and since.date(), until=until and until.date(), trip_window_days=window,
                           period=period, alpha=alpha, min_flagged=min_flagged)  # fmt: skip
    with justified_operation(justification) as op:
        result = find_hotspots(op.session, op.actor, query, use_communities=communities)
    if as_json:
        _print_json(result)
    else:
        _hotspots_table(result, limit)


def _hotspots_table(result: HotspotAnalysis, limit: int) -> None:
    console.print(
        f"{result.crossings} crossings, {result.flagged} flagged ({result.flagged_rate:.1%}); "
        f"{len(result.hotspots)} hotspot(s) among {result.tests} cells tested"
        + (f"; {result.hidden_special} special-category crossings left out" if result.hidden_special else ""),
        soft_wrap=True,
    )
    if result.communities_note:
        console.print(f"no communities: {result.communities_note}", soft_wrap=True)
    table = Table("scope", "where", "period", "crossings", "flagged", "travellers", "expected", "ratio", "q")
    for h in result.hotspots[:limit]:
        table.add_row(h.scope, h.key, h.period or "all", str(h.crossings), str(h.flagged), str(h.travellers),
                      f"{h.expected:.1f}", f"{h.ratio:.1f}", f"{h.q_value:.2g}")  # fmt: skip
    console.print(table)
    for h in result.hotspots[:limit]:
        console.print(f"- {h.explanation}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``routes`` and ``hotspots`` to the ``palermo network`` group."""
    app.command("routes")(reports_errors(routes))
    app.command("hotspots")(reports_errors(hotspots))
