"""The link graph on both stores: built from the records with their provenance, incrementally, and seen by each
actor exactly as far as the actor may see the records."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.db.network import NetworkEdge
from palermo.errors import InvalidInput, NotFound, PermissionDenied
from palermo.network.analysis import community_detail, list_communities, top_key_players
from palermo.network.build import BuildSummary, build_network
from palermo.network.neighbourhood import neighbourhood
from palermo.node import Node
from tests.factories import NETWORK, TRANSACTIONS, VICTIMS, justified_operator, person_keys, run, write_csv
from tests.factories import handling_row as _h
from tests.network.conftest import actor


def _build(node: Node, *, full: bool = False) -> BuildSummary:
    with transaction(node.engine) as session:
        return build_network(session, justified_operator(node), full=full)


def test_every_edge_names_its_record_and_carries_its_handling(network_node: Node) -> None:
    summary = _build(network_node)
    keys = person_keys(network_node)
    with transaction(network_node.engine) as session:
        edges = session.scalars(select(NetworkEdge)).all()
    assert summary.kind == "full"
    assert summary.edges_total == len(edges)
    recruited = [e for e in edges if e.kind == "recruited_by"]
    assert {e.source_key for e in recruited} == {keys[v] for v in VICTIMS}
    assert {e.target_key for e in recruited} == {keys["R"]}
    # a relationship of an ordinary record is special because the victim at its end is
    assert {e.sensitivity for e in recruited} == {"special"}
    assert {e.record_table for e in recruited} == {"relationships"}
    financed = next(e for e in edges if e.kind == "financed_by")
    assert (financed.sensitivity, financed.handling, financed.record_table) == ("ordinary", "H0", "relationships")
    bookings = {e.source_key for e in edges if e.kind == "booking" and e.target_key == "booking:BK1"}
    assert bookings == {keys["E"], keys["V1"], keys["V2"]}


def test_an_incremental_build_adds_the_new_records_edges_once(network_node: Node, tmp_path: Path) -> None:
    first = _build(network_node)
    again = _build(network_node)
    assert again.kind == "incremental"
    assert again.edges_total == first.edges_total
    payment = [["T9", *_h(), "2025-09-01T10:00:00Z", "50.00", "EUR", "M1", "X"]]
    run(network_node, write_csv(tmp_path / "more.csv", TRANSACTIONS, payment), "transactions")
    third = _build(network_node)
    assert third.kind == "incremental"
    assert third.edges_total == first.edges_total + 1
    with transaction(network_node.engine) as session:
        per_record = session.execute(
            select(NetworkEdge.record_table, NetworkEdge.record_id, NetworkEdge.kind, func.count())
            .group_by(NetworkEdge.record_table, NetworkEdge.record_id, NetworkEdge.kind)
            .having(func.count() > 1)
        ).all()
    assert per_record == []
    full = _build(network_node, full=True)
    assert full.kind == "full"
    assert full.edges_total == third.edges_total


def test_the_planted_network_is_one_community_and_the_family_is_not_a_network(network_node: Node) -> None:
    _build(network_node)
    keys = person_keys(network_node)
    with transaction(network_node.engine) as session:
        found = list_communities(session, actor("supervisor", network_node), networks_only=False)
        networks = [c for c in found.communities if c.network]
        assert len(networks) == 1
        detail = community_detail(session, actor("supervisor", network_node), networks[0].id)
    assert set(detail.community.members) == {keys[k] for k in NETWORK}
    family = next(c for c in found.communities if keys["M1"] in c.explanation or c.size == 2)
    assert not family.network
    assert "recruited_by" in detail.community.explanation
    assert "payments between members" in detail.community.explanation
    leader = detail.key_players[0]
    assert leader.key in {keys["R"], keys["E"]}
    assert "removing" in leader.explanation
    assert leader.score.total > detail.key_players[-1].score.total
    named = {m.key: m.label for m in detail.members}
    assert named[keys["R"]] == "Rado Recruiter"


def test_special_ties_are_invisible_to_an_analyst_and_visible_with_victims_read(network_node: Node) -> None:
    _build(network_node)
    keys = person_keys(network_node)
    victims = {keys[v] for v in VICTIMS}
    with transaction(network_node.engine) as session:
        seen_by_analyst = neighbourhood(session, actor("analyst", network_node), keys["R"])
        seen_by_supervisor = neighbourhood(session, actor("supervisor", network_node), keys["R"])
        analyst_players = top_key_players(session, actor("analyst", network_node))
        analyst_communities = list_communities(session, actor("analyst", network_node), networks_only=False)
    analyst_nodes = {n.key for n in seen_by_analyst.nodes}
    assert not analyst_nodes & victims
    assert keys["F"] in analyst_nodes
    assert not seen_by_analyst.special_included
    assert victims <= {n.key for n in seen_by_supervisor.nodes}
    tie = next(t for t in seen_by_supervisor.ties if t.kind == "recruited_by" and t.source == keys["V1"])
    assert [(r.table, r.sensitivity) for r in tie.records] == [("relationships", "special")]
    assert not {p.player.key for p in analyst_players} & victims
    assert all("Victim" not in c.explanation for c in analyst_communities.communities)
    with transaction(network_node.engine) as session:
        detail = community_detail(
            session,
            actor("analyst", network_node),
            next(c.id for c in analyst_communities.communities if c.network),
        )
    assert not set(detail.community.members) & victims


def test_reads_are_guarded_and_audited(network_node: Node) -> None:
    _build(network_node)
    keys = person_keys(network_node)
    with transaction(network_node.engine) as session:
        neighbourhood(session, actor("analyst", network_node), keys["M1"])
    with pytest.raises(PermissionDenied), transaction(network_node.engine) as session:
        list_communities(session, actor("border_officer", network_node))
    with transaction(network_node.engine) as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    reads = [e for e in entries if e.details.get("permission") == "network.read"]
    assert [(e.actor, e.action) for e in reads] == [
        ("user:analyst-1", "consultation"),
        ("user:border_officer-1", "refusal"),
    ]
    assert reads[0].justification == "case:CASE-25"
    assert reads[0].result_count
    assert reads[0].result_count >= 2
    assert reads[0].objects == [{"type": "network", "id": keys["M1"]}]


def test_before_a_build_and_for_a_wrong_key_the_answer_says_why(network_node: Node) -> None:
    with pytest.raises(NotFound, match="palermo network build"), transaction(network_node.engine) as session:
        list_communities(session, actor("analyst", network_node))
    with pytest.raises(InvalidInput, match="identity:<id>"), transaction(network_node.engine) as session:
        neighbourhood(session, actor("analyst", network_node), "phone:+39")
