"""Hotspots on a hand-built world: Bari, where the network crosses, is a hotspot with its evidence; Milan, the
busiest point, with a few alerts in proportion, is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.db.engine import transaction
from palermo.errors import PermissionDenied
from palermo.network.hotspots import HotspotAnalysis, find_hotspots
from palermo.network.routes_parameters import TravelQuery
from palermo.node import Node
from tests.travel_world import NETWORK_ROUTE, actor_of, build


def _hotspots(node: Node, role: str = "supervisor", **query: object) -> HotspotAnalysis:
    actor = actor_of(node, f"user-{role}", role)
    with transaction(node.engine) as session:
        return find_hotspots(session, actor, TravelQuery.of(**query))


def test_the_networks_crossing_point_is_a_hotspot_and_the_busy_airport_is_not(node: Node, tmp_path: Path) -> None:
    world = build(node, tmp_path)
    result = _hotspots(node)
    whole = {h.key: h for h in result.hotspots if h.period is None}
    bari = whole["BRI"]
    assert "MXP" not in {h.key for h in result.hotspots}
    assert (bari.crossings, bari.flagged) == (34, 24)  # 10 ordinary entries; 12 victims, 6 escort entries and exits
    assert bari.q_value <= 0.05
    assert bari.ratio > 2
    assert bari.expected < bari.flagged
    assert set(bari.movements) == set(world.network_events)
    assert bari.reasons == {"named in a transported_by relationship": 24}
    assert "Bari port (BRI)" in bari.explanation
    assert bari.travellers == 13  # the escort and 12 victims: not one frequent traveller
    assert "(by 13 travellers)" in bari.explanation
    assert "one traveller's" not in bari.explanation
    assert "Benjamini-Hochberg" in bari.explanation
    assert (bari.latitude, bari.longitude) == (41.13, 16.86)
    assert NETWORK_ROUTE in whole
    assert whole[NETWORK_ROUTE].scope == "route"
    points = {p.code: p for p in result.points}
    assert points["MXP"].crossings == 80
    assert points["MXP"].flagged == 3


def test_per_period_cells_name_the_periods_the_network_crossed_in(node: Node, tmp_path: Path) -> None:
    build(node, tmp_path)
    result = _hotspots(node, period="month", min_flagged=1)
    periods = {h.period for h in result.hotspots if h.key == "BRI" and h.period}
    assert periods
    assert all(p.startswith("2026-") for p in periods)
    assert all(h.key != "MXP" for h in result.hotspots)


def test_without_victims_read_minors_crossings_do_not_count(node: Node, tmp_path: Path) -> None:
    build(node, tmp_path)
    analyst, supervisor = _hotspots(node, "analyst"), _hotspots(node, "supervisor")
    a = next(h for h in analyst.hotspots if h.key == "BRI" and h.period is None)
    s = next(h for h in supervisor.hotspots if h.key == "BRI" and h.period is None)
    assert (s.flagged - a.flagged, analyst.hidden_special) == (2, 2)


def test_hotspots_need_the_permission(node: Node, tmp_path: Path) -> None:
    officer = actor_of(node, "bo", "border_officer")
    with pytest.raises(PermissionDenied), transaction(node.engine) as session:
        find_hotspots(session, officer, TravelQuery())
