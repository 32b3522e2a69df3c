"""Exports of the link graph for the tools analysts already have: GraphML and GEXF (Gephi), and an i2-style CSV
(one row per link with both entities inline, the layout i2 Analyst's Notebook imports).

An export is a disclosure (``export.write``, logged with the number of links written) of the graph as the actor
sees it (special-category ties only with ``victims.read``), whole or one community, with each link's kinds, the
number of records behind it and the most restrictive handling code among them (H0 < H1 < H2 < H3), so that the
receiving tool keeps the restriction in sight.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import igraph as ig
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palermo.audit.access_log import note_results
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.network import NetworkEdge
from palermo.errors import InvalidInput
from palermo.network.analysis import analysed
from palermo.network.graph import identity_keys, node_kind
from palermo.network.labels import labels
from palermo.persons.views import may_see_special

ExportFormat = Literal["graphml", "gexf", "i2"]
FORMATS: tuple[ExportFormat, ...] = ("graphml", "gexf", "i2")
I2_COLUMNS = (
    "entity1_id",
    "entity1_type",
    "entity1_label",
    "entity2_id",
    "entity2_type",
    "entity2_label",
    "link_type",
    "records",
    "handling",
    "sensitivity",
)


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    kinds: tuple[str, ...]
    records: int
    handling: str
    sensitivity: str


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    format: ExportFormat
    nodes: int
    links: int


@dataclass
class _Held:
    kinds: set[str] = field(default_factory=set)
    records: int = 0
    handling: str = "H0"
    sensitivity: str = "ordinary"  # "special" sorts after "ordinary": max() keeps the stricter


def _links(session: Session, include_special: bool, within: set[str] | None) -> list[Link]:
    """Visible edges merged per pair of (identity-mapped) keys, with their strictest handling."""
    identities = identity_keys(session)
    query = select(
        NetworkEdge.kind,
        NetworkEdge.source_key,
        NetworkEdge.target_key,
        func.count(),
        func.max(NetworkEdge.handling),
        func.max(NetworkEdge.sensitivity),
    ).group_by(NetworkEdge.kind, NetworkEdge.source_key, NetworkEdge.target_key)
    if not include_special:
        query = query.where(NetworkEdge.sensitivity == "ordinary")
    merged: dict[tuple[str, str], _Held] = {}
    for kind, a, b, records, handling, sensitivity in session.execute(query):
        a, b = identities.get(a, a), identities.get(b, b)
        if a == b or (within is not None and not (a in within or b in within)):
            continue
        held = merged.setdefault((a, b) if a < b else (b, a), _Held())
        held.kinds.add(kind)
        held.records += records
        held.handling = max(held.handling, handling)
        held.sensitivity = max(held.sensitivity, sensitivity)
    return [
        Link(a, b, tuple(sorted(v.kinds)), v.records, v.handling, v.sensitivity) for (a, b), v in sorted(merged.items())
    ]


def _graph(links: list[Link], named: dict[str, str]) -> ig.Graph:
    keys = sorted({k for link in links for k in (link.source, link.target)})
    index = {k: i for i, k in enumerate(keys)}
    graph = ig.Graph(n=len(keys), edges=[(index[x.source], index[x.target]) for x in links], directed=False)
    graph.vs["name"] = keys
    graph.vs["kind"] = [node_kind(k) for k in keys]
    graph.vs["label"] = [named[k] for k in keys]
    graph.es["kinds"] = [";".join(x.kinds) for x in links]
    graph.es["records"] = [x.records for x in links]
    graph.es["handling"] = [x.handling for x in links]
    graph.es["sensitivity"] = [x.sensitivity for x in links]
    return graph


def _gexf(graph: ig.Graph) -> str:
    root = ET.Element("gexf", {"xmlns": "http://gexf.net/1.3", "version": "1.3"})
    body = ET.SubElement(root, "graph", {"defaultedgetype": "undirected"})
    node_attrs = ET.SubElement(body, "attributes", {"class": "node"})
    ET.SubElement(node_attrs, "attribute", {"id": "kind", "title": "kind", "type": "string"})
    edge_attrs = ET.SubElement(body, "attributes", {"class": "edge"})
    for name, kind in (("kinds", "string"), ("records", "integer"), ("handling", "string"), ("sensitivity", "string")):
        ET.SubElement(edge_attrs, "attribute", {"id": name, "title": name, "type": kind})
    nodes = ET.SubElement(body, "nodes")
    for v in graph.vs:
        node = ET.SubElement(nodes, "node", {"id": v["name"], "label": v["label"]})
        values = ET.SubElement(node, "attvalues")
        ET.SubElement(values, "attvalue", {"for": "kind", "value": v["kind"]})
    edges = ET.SubElement(body, "edges")
    for e in graph.es:
        edge = ET.SubElement(
            edges,
            "edge",
            {"id": str(e.index), "source": graph.vs[e.source]["name"], "target": graph.vs[e.target]["name"]},
        )
        values = ET.SubElement(edge, "attvalues")
        for name in ("kinds", "records", "handling", "sensitivity"):
            ET.SubElement(values, "attvalue", {"for": name, "value": str(e[name])})
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _i2(links: Iterable[Link], named: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(I2_COLUMNS)
    for x in links:
        writer.writerow(
            (
                x.source,
                node_kind(x.source),
                named[x.source],
                x.target,
                node_kind(x.target),
                named[x.target],
                ";".join(x.kinds),
                x.records,
                x.handling,
                x.sensitivity,
            )
        )
    return out.getvalue()


def export_network(
    session: Session, actor: Actor, path: Path, fmt: str, *, community: int | None = None
) -> ExportSummary:
    """Write the graph (or community ``community``) as the actor sees it to ``path`` in ``fmt``."""
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}", field="format")
    subject = f"network:community:{community}" if community is not None else "network:graph"
    access = guard(session, actor, "export.write", subject=subject)
    special = may_see_special(actor)
    within = None
    if community is not None:
        partition = analysed(session, include_special=special).partition
        if not 1 <= community <= len(partition.communities):
            raise InvalidInput(f"no community {community} in the graph", field="community")
        within = set(partition.communities[community - 1].members)
    links = _links(session, special, within)
    named = labels(session, {k for x in links for k in (x.source, x.target)}, include_special=special)
    graph = _graph(links, named)
    if fmt == "graphml":
        graph.write_graphml(str(path))
    else:
        text = _gexf(graph) if fmt == "gexf" else _i2(links, named)
        path.write_text(text, encoding="utf-8")
    note_results(session, access, len(links))
    return ExportSummary(path=path, format=fmt, nodes=graph.vcount(), links=len(links))
