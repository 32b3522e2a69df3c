"""Replaying the tiny world's crossings in time order, measured against its truth."""

from __future__ import annotations

import pytest

from palermo.demo import world_manifest
from palermo.demo.steps.screening import replay_world
from tests.conftest import WorldNode
from tests.factories import justified_operator


@pytest.mark.slow
def test_replay_of_the_tiny_world_finds_listed_travellers_and_spares_ordinary_ones(
    world_node_factory: WorldNode,
) -> None:
    node = world_node_factory("tiny", 7, "test")
    manifest = world_manifest(node.home, "tiny", 7)  # the world the node ingested, kept in its home
    report = replay_world(node, manifest.parent, justified_operator(node), days=None)
    assert report.events > 1000
    quality = report.quality
    assert quality is not None
    assert quality["watchlist_hit_recall"] == 1.0
    assert quality["ordinary_referred_by_watchlist"] <= 0.005
    assert report.alerts == sum(n for d, n in report.decisions.items() if d != "clear")
    assert "minor_without_guardian" in quality["per_indicator"]
    reach = quality["victim_identification"]  # issue 24, item 8
    assert reach["victims_screened"] > 0
    assert reach["victims_reached"] + sum(reach["missed_victims_decided"].values()) == reach["victims_screened"]
    assert reach["victims_reached"] >= 1
    assert reach["false_presumption_share"] <= 0.01
    escort = quality["per_indicator"]["escort_repeat_crossings"]  # the journey over two years (issue 23)
    assert escort["recall"] >= 0.6
    assert escort["precision"] >= 0.9
    combined = quality["combined_risk"]  # the packaged model, trained on small worlds of other seeds
    assert combined["precision"] >= 0.9
    assert combined["recall"] >= 0.6
    assert combined["ordinary_referred"] <= 0.01
