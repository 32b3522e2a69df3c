"""``palermo network``: build the link graph, read its communities and key players, an actor's neighbourhood, and
export it (GraphML, GEXF, i2-style CSV); ``routes`` and ``hotspots`` come from ``cli/network_routes.py``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from palermo.cli.common import console, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation, operation
from palermo.cli.network_routes import register as register_routes

app = typer.Typer(
    help="Networks: the link graph, its communities and key players, neighbourhoods and exports; routes and hotspots."
)
register_routes(app)


def _json(value: object) -> None:
    console.print_json(json.dumps(value, default=str, ensure_ascii=False))


@app.command("build")
@reports_errors
def build(
    full: bool = typer.Option(False, "--full", help="Rebuild every edge (default: since the last build)."),
) -> None:
    """Read the records' ties into the link graph: incrementally since the last build, or in full."""
    from palermo.network.build import build_network

    with operation() as op:
        summary = build_network(op.session, op.actor, full=full)
    _json(summary.model_dump())


@app.command("alerts")
@reports_errors
def alerts() -> None:
    """Raise alerts from the graph's patterns (corrupt official, minors sharing a phone, a watchlisted actor in a
    network), each once, explained; prints what was found and the alerts opened (JSON)."""
    from palermo.network.alerts import raise_network_alerts

    with operation() as op:
        raised = raise_network_alerts(op.session, op.actor)
    _json(raised.model_dump())


@app.command("communities")
@reports_errors
def communities(
    every: bool = typer.Option(False, "--all", help="Every community, not only those that look like networks."),
    min_size: int = typer.Option(2, "--min-size", help="Smallest community listed."),
    limit: int = typer.Option(50, "--limit", help="Most communities listed (1-500)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (default: one line per community)."),
    justification: str = JUSTIFICATION,
) -> None:
    """List the graph's communities, largest first, each with what ties it and its network evidence."""
    from palermo.network.analysis import list_communities

    with justified_operation(justification) as op:
        found = list_communities(op.session, op.actor, networks_only=not every, min_size=min_size, limit=limit)
    if as_json:
        _json(found.model_dump())
        return
    console.print(
        f"{found.networks_total} networks among {found.communities_total} communities of {found.actors} actors"
        f" (build {found.build_id})"
    )
    for c in found.communities:
        console.print(f"  {c.id}: {c.explanation}", markup=False)


@app.command("community")
@reports_errors
def community(
    community_id: int = typer.Argument(..., help="Id of the community (from `palermo network communities`)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    justification: str = JUSTIFICATION,
) -> None:
    """Show one community: its members and its key players, each explained."""
    from palermo.network.analysis import community_detail

    with justified_operation(justification) as op:
        detail = community_detail(op.session, op.actor, community_id)
    if as_json:
        _json(detail.model_dump())
        return
    console.print(detail.community.explanation, markup=False)
    for member in detail.members:
        console.print(f"  {member.key}  {member.label}", markup=False)
    console.print("key players:")
    for player in detail.key_players:
        console.print(f"  {player.score.total:.2f}  {player.explanation}", markup=False)


@app.command("key-players")
@reports_errors
def key_players(
    limit: int = typer.Option(20, "--limit", help="Most key players listed (1-500)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    justification: str = JUSTIFICATION,
) -> None:
    """The strongest key players of every community that looks like a network, explained."""
    from palermo.network.analysis import top_key_players

    with justified_operation(justification) as op:
        lines = top_key_players(op.session, op.actor, limit=limit)
    if as_json:
        _json([line.model_dump() for line in lines])
        return
    for line in lines:
        p = line.player
        console.print(f"{p.score.total:.2f}  community {p.community}  {line.label}: {p.explanation}", markup=False)


@app.command("neighbourhood")
@reports_errors
def neighbourhood(
    key: str = typer.Argument(..., help="identity:<id>, person:<id> or organisation:<id>."),
    justification: str = JUSTIFICATION,
) -> None:
    """An actor's ties and those of the things it shares, with the records behind each (JSON)."""
    from palermo.network.neighbourhood import neighbourhood as read_neighbourhood

    with justified_operation(justification) as op:
        found = read_neighbourhood(op.session, op.actor, key)
    _json(found.model_dump())


@app.command("export")
@reports_errors
def export(
    path: Path = typer.Argument(..., help="File to write."),
    fmt: str = typer.Option("graphml", "--format", help="graphml, gexf or i2 (CSV, one row per link)."),
    community_id: int | None = typer.Option(None, "--community", help="Only this community (default: the graph)."),
    justification: str = JUSTIFICATION,
) -> None:
    """Export the graph as you may see it, with each link's kinds, records and strictest handling."""
    from palermo.network.export import export_network

    with justified_operation(justification) as op:
        summary = export_network(op.session, op.actor, path, fmt, community=community_id)
    _json({"path": str(summary.path), "format": summary.format, "nodes": summary.nodes, "links": summary.links})
