"""The demo's network step on the tiny world, resolved, on a real store (both backends): the planted networks come
out as communities, their key players explained, and the reads are guarded."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.demo.steps.network import NetworkReport, network_world
from palermo.resolution.batch import resolve
from tests.conftest import StoreTemplates, WorldNode
from tests.factories import recorded_access


@pytest.fixture(scope="module")
def tiny_world(templates: StoreTemplates) -> Path:
    return templates.world_files("tiny", 7)


@pytest.fixture
def report(world_node_factory: WorldNode, tiny_world: Path) -> NetworkReport:
    node = world_node_factory("tiny", 7, "test")
    resolve(node, actor="test", retrain=True)
    actor = cli_actor("cli:tester", node.agency_code, Justification("legal_basis", "criminal_investigation"))
    with recorded_access() as seen:
        result = network_world(node, tiny_world, actor)
    assert [(r.permission, r.granted) for r in seen] == [
        ("network.build", True),
        ("network.build", True),
        ("network.read", True),
        ("network.read", True),
        *[("network.read", True)] * (len(seen) - 4),  # routes and hotspots, read as the analyst
    ]
    return result


@pytest.mark.slow
def test_the_planted_networks_are_found_and_their_key_players_explained(report: NetworkReport) -> None:
    assert report.planted >= 1
    assert report.networks == report.planted
    assert report.scores["leiden_networks"]["ari"] >= 0.9
    assert report.scores["leiden_networks"]["ari"] > report.scores["baseline_components_all"]["ari"]
    assert report.key_players["recall_at_k_in_own_community"]["5"] >= 0.5
    assert report.strongest
    # routes and hotspots with the communities as flags: what is labelled is right (tiny world: few trips)
    assert report.routes["test"]["hits"] == report.routes["test"]["labelled"]
    assert report.hotspots["border_points"]["hits"] == report.hotspots["border_points"]["labelled"]
    assert all("removing" in line for line in report.strongest)
    flagged, right, planted = report.officials
    assert 1 <= flagged == right <= planted  # every corrupt-official alert is about a planted official
    assert report.patterns["corrupt_official"] == flagged
