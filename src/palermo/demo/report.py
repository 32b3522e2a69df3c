"""The demo report's sections: ingest, then one per step of ``palermo.demo.steps`` (each calls the core as a user
could), then accountability; each returns a :class:`Section` to print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from palermo.audit import sign_tree_head, verify_node_log
from palermo.audit.keys import node_signing_key
from palermo.audit.log import log_size
from palermo.audit.report import oversight_report
from palermo.auth.actor import Actor
from palermo.db.engine import transaction
from palermo.demo.sections import Section
from palermo.demo.steps.documents import check_world_documents
from palermo.demo.steps.network import network_world
from palermo.demo.steps.resolution import resolve_world
from palermo.demo.steps.screening import replay_world
from palermo.ingest.pipeline import IngestSummary
from palermo.node import Node
from palermo.screening.measurement.victim_reach import reach_in_words


def ingest_section(summaries: list[IngestSummary]) -> Section:
    section = Section("Ingest", ["source", "kind", "read", "inserted", "updated", "unchanged", "rejected"])
    for s in summaries:
        section.rows.append(
            [s.source, s.kind, *(str(v) for v in (s.read, s.inserted, s.updated, s.unchanged, s.rejected))]
        )
    rejected = sum(s.rejected for s in summaries)
    section.notes.append(f"{sum(s.read for s in summaries)} rows read, {rejected} rejected")
    return section


def _cell(value: object) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def table_section(title: str, rows: list[dict[str, Any]], notes: list[str] | None = None) -> Section:
    """A section from a step's printable rows (dicts with the same keys)."""
    columns = list(rows[0]) if rows else ["result"]
    return Section(title, columns, [[_cell(row.get(c)) for c in columns] for row in rows], notes or [])


def documents_section(node: Node, world: Path, actor: Actor) -> Section:
    """ICAO 9303 checks and lost/stolen lookups on every document of the world, scored against its truth."""
    report = check_world_documents(node, world, actor)
    rows = report.rows()
    notes = [f"{report.checked} documents checked; {report.registry.accepted} lost/stolen reports loaded"]
    notes += [f"{row['what']}: {row['note']}" for row in rows if row.get("note") and row["what"] != "all alarms"]
    table = [{k: v for k, v in row.items() if k != "note"} for row in rows]
    return table_section("Document fraud (against the world's truth)", table, notes)


def screening_sections(node: Node, world: Path, actor: Actor) -> list[Section]:
    """Load the world's watchlists, replay its last days of border crossings, measure against its truth: the
    screening's quality, then victim identification (who reached a victim case)."""
    report = replay_world(node, world, actor).as_dict()
    reach = (report["quality"] or {}).get("victim_identification")
    return [_screening_section(report), *([victims_section(reach)] if reach else [])]


def victims_section(reach: dict[str, Any]) -> Section:
    """Victim identification at the border against the truth (``palermo.screening.measurement.victim_reach``)."""
    section = Section("Victim identification (replay, against the world's truth)", ["measure", "value"])
    missed = reach["missed_victims_decided"]
    section.rows += [
        ["true victims in the world / crossing in the replayed days",
         f"{reach['victims_in_world']} / {reach['victims_screened']}"],
        ["reached a victim case (protect decision)", str(reach["victims_reached"])],
        ["share of victims who crossed / of all victims",
         f"{_cell(reach['reached_share_of_screened'])} / {_cell(reach['reached_share_of_world'])}"],
        ["reached at their first crossing in the window", str(reach["reached_at_first_crossing"])],
        ["missed: decided alert / refer / clear", f"{missed['alert']} / {missed['refer']} / {missed['clear']}"],
        ["ordinary travellers with a victim case (false presumption)",
         f"{reach['ordinary_presumed_victims']} of {reach['ordinary_screened']} "
         f"({_cell(reach['false_presumption_share'])})"],
        ["precision of protect (victims among the persons protected)", _cell(reach["precision_of_protect"])],
    ]  # fmt: skip
    section.notes += reach_in_words(reach)
    section.notes.append(
        "the indicator interview that follows a case is the caseworker's (docs/victims.md); the world holds no "
        "interview answers, so presumption by the ILO/EC rule is not measured here"
    )
    return section


def _screening_section(report: dict[str, Any]) -> Section:
    quality = report["quality"] or {}
    section = Section("Border screening (replay, against the world's truth)", ["measure", "value"])
    decisions = ", ".join(f"{k} {v}" for k, v in report["decisions"].items())
    section.rows += [
        ["crossings screened", str(report["events"])],
        ["decisions", decisions],
        ["latency p50 / p95 (ms)", f"{report['latency_ms']['p50']:.1f} / {report['latency_ms']['p95']:.1f}"],
        ["watchlist-hit recall", _cell(quality.get("watchlist_hit_recall"))],
        ["ordinary travellers referred by a watchlist hit", _cell(quality.get("ordinary_referred_by_watchlist"))],
    ]
    flagged = quality.get("movements_flagged") or {}
    section.rows.append(
        ["trafficking movements flagged: precision / recall",
         f"{_cell(flagged.get('precision'))} / {_cell(flagged.get('recall'))}"]
    )  # fmt: skip
    combined = quality.get("combined_risk") or {}
    section.rows.append(
        ["combined risk score: precision / recall / ordinary referred",
         f"{_cell(combined.get('precision'))} / {_cell(combined.get('recall'))} / "
         f"{_cell(combined.get('ordinary_referred'))}"]
    )  # fmt: skip
    for indicator, scores in sorted((quality.get("per_indicator") or {}).items()):
        if isinstance(scores, dict):
            section.rows.append(
                [f"indicator {indicator}: precision / recall",
                 f"{_cell(scores.get('precision'))} / {_cell(scores.get('recall'))}"]
            )  # fmt: skip
    section.notes.append("`palermo alerts list` shows the alerts; `palermo screen` screens one traveller")
    return section


def resolution_section(node: Node, world: Path, actor: Actor) -> Section:
    """Resolve every person record into identities (Splink on DuckDB) and score the clusters against the truth."""
    report = resolve_world(node, world, actor.name)
    section = Section("Entity resolution (against the world's truth)", ["measure", "value"])
    section.rows += [
        ["person records", str(report.records)],
        ["identities", str(report.identities)],
        ["links kept (each with its match weights)", str(report.links)],
        ["pairwise precision / recall / F1", f"{report.pairwise.precision:.3f} / {report.pairwise.recall:.3f} / "
         f"{report.pairwise.f1:.3f}"],
        ["cluster (B-cubed) precision / recall / F1", f"{report.cluster.precision:.3f} / {report.cluster.recall:.3f} / "
         f"{report.cluster.f1:.3f}"],
        ["seconds", f"{report.seconds:.1f}"],
    ]  # fmt: skip
    section.notes.append("`palermo identity show ID` explains every link of an identity")
    return section


def network_section(node: Node, world: Path, actor: Actor) -> Section:
    """Build the link graph, find its communities and key players, and score them against the truth."""
    report = network_world(node, world, actor)
    recall = report.key_players["recall_at_k_in_own_community"]
    degree = report.key_players["recall_at_k_by_degree_baseline"]
    route, point = report.routes["test"], report.hotspots["border_points"]
    section = Section("Networks (against the world's truth)", ["measure", "value"])
    section.rows += [
        ["edges (one per record and tie)", str(report.edges)],
        ["actors / communities", f"{report.actors} / {report.communities}"],
        ["networks reported / planted", f"{report.networks} / {report.planted}"],
        ["ARI / NMI of the networks", f"{report.scores['leiden_networks']['ari']:.3f} / "
         f"{report.scores['leiden_networks']['nmi']:.3f}"],
        ["ARI of every community / of connected components", f"{report.scores['leiden_all_communities']['ari']:.3f}"
         f" / {report.scores['baseline_components_all']['ari']:.3f}"],
        ["key-role recall@3 / @5 (degree baseline)", f"{recall['3']:.2f} / {recall['5']:.2f} "
         f"({degree['3']:.2f} / {degree['5']:.2f})"],
        ["network alerts (new or raised before) per pattern",
         ", ".join(f"{k} {v}" for k, v in sorted(report.patterns.items())) or "none"],
        ["corrupt-official alerts / true officials among them / officials planted",
         " / ".join(str(n) for n in report.officials)],
        ["trafficking routes labelled / right / planted routes (networks with one found)",
         f"{route['labelled']} / {route['hits']} / {route['true']} ({report.routes['networks_with_a_labelled_route']} "
         "networks)"],
        ["hotspot border points found / right / true (top-flagged baseline right)",
         f"{point['labelled']} / {point['hits']} / {point['true']} "
         f"({report.hotspots['baseline_top_flagged_count']['hits']})"],
        ["seconds", f"{report.seconds:.1f}"],
    ]  # fmt: skip
    section.notes += [f"key player {line}" for line in report.strongest]
    section.notes.append("`palermo network communities` and `palermo network community ID` explain each network")
    section.notes.append("`palermo alerts list --kind network` lists the network alerts, each explained")
    section.notes.append("`palermo network routes --communities` and `palermo network hotspots --communities` explain "
                         "each route and hotspot; /web/network/routes and /web/network/hotspots draw them")  # fmt: skip
    return section


def audit_section(node: Node, actor: Actor) -> Section:
    """Sign a tree head over everything the demo did, verify the whole log, and run the oversight report."""
    key = node_signing_key(node.home)
    with transaction(node.engine) as session:
        head = sign_tree_head(session, key, note="demo")
    with transaction(node.engine) as session:
        verification = verify_node_log(session, key.public_key, node.home)
        size = log_size(session)
        report = oversight_report(session, actor, node.settings)
    section = Section("Accountability", ["check", "result"])
    section.rows.append(["audit log entries", str(size)])
    section.rows.append(["signed tree head", f"size {head.tree_size}, root {head.root_hash.hex()[:16]}..."])
    section.rows.append(["verification", "intact" if verification.ok else f"TAMPERED at {verification.first}"])
    kinds: dict[str, int] = {}
    for finding in report.findings:
        kinds[finding.kind] = kinds.get(finding.kind, 0) + len(finding.entries)
    section.rows.append(
        ["oversight findings", ", ".join(f"{k}: {v} entries" for k, v in sorted(kinds.items())) or "none"]
    )
    section.notes.append("`palermo audit report` and `palermo audit verify` show the details")
    return section
