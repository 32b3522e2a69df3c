"""Dashboard figures on the tiny synthetic world: daily series, border-point volumes, alerts per indicator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from palermo.auth.actor import Actor, cli_actor
from palermo.dashboard import activity_summary
from palermo.db.alerts import Alert
from palermo.db.engine import transaction
from palermo.db.travel import TravelEvent
from palermo.errors import InvalidInput, PermissionDenied
from palermo.node import Node
from palermo.screening.requests import CompanionIn, ScreeningRequest
from palermo.screening.service import screen
from tests.conftest import WorldNode
from tests.factories import justified_operator, load, write_list


@pytest.fixture
def world(world_node_factory: WorldNode) -> Node:
    """A node with the tiny world ingested (and nothing else: no screening, so no alerts of its own)."""
    return world_node_factory("tiny", 7, "test")


def operator(node: Node) -> Actor:
    return cli_actor("cli:tester", node.agency_code)


def add_alert(node: Node, features: list[dict[str, object]]) -> None:
    with transaction(node.engine) as session:
        event = session.scalars(select(TravelEvent).order_by(TravelEvent.id)).first()
        assert event is not None
        alert = Alert(kind="screening", decision="alert", status="open", score=0.9, explanation=features)
        alert.travel_event_id = event.id
        session.add(alert)


def test_daily_travel_counts_add_up_to_the_events_in_the_window(world: Node) -> None:
    with transaction(world.engine) as session:
        summary = activity_summary(session, operator(world), days=366)
        newest = session.scalar(select(func.max(TravelEvent.occurred_at)))
    assert summary.travel_per_day
    assert summary.travel_per_day[-1].label == newest.date().isoformat()
    assert sum(c.count for c in summary.travel_per_day) == sum(p.travel for p in summary.points)
    assert [c.label for c in summary.travel_per_day] == sorted(c.label for c in summary.travel_per_day)
    assert summary.totals["travel events"] >= sum(c.count for c in summary.travel_per_day) > 0
    assert all(p.latitude is not None for p in summary.points)
    assert summary.runs
    assert summary.runs[0].id == max(r.id for r in summary.runs)


def test_a_short_window_counts_only_its_days(world: Node) -> None:
    with transaction(world.engine) as session:
        summary = activity_summary(session, operator(world), days=3)
    days = [dt.date.fromisoformat(c.label) for c in summary.travel_per_day]
    assert days
    assert (days[-1] - days[0]).days <= 2


def test_alerts_are_counted_per_day_border_point_and_indicator(world: Node) -> None:
    hit = {"kind": "hit", "name": "Sasha Ivanov", "watchlist": "mixed", "entry_id": "S-1", "score": 0.9}
    watchlist = {"kind": "watchlist_hit", "decision": "alert", "detail": "mixed S-1"}
    route = {"kind": "indicator", "id": "route_risk", "value": 1.0, "weight": 0.2, "contribution": 0.2, "detail": "d"}
    add_alert(world, [watchlist, hit])
    add_alert(world, [watchlist, {"kind": "indicators", "decision": "refer", "detail": "route"}, hit, route])
    with transaction(world.engine) as session:
        summary = activity_summary(session, operator(world))
    assert sum(c.count for c in summary.alerts_per_day) == 2
    assert [(c.id, c.count) for c in summary.alerts_per_signal] == [("watchlist_hit", 2), ("route_risk", 1)]
    assert [(c.id, c.count) for c in summary.alerts_per_decision] == [("refer", 0), ("alert", 2), ("protect", 0)]
    assert [p.alerts for p in summary.points_by_alerts] == [2]
    assert summary.totals["open alerts"] == 2


def test_an_empty_store_gives_empty_series(node: Node) -> None:
    with transaction(node.engine) as session:
        summary = activity_summary(session, operator(node))
    assert (summary.travel_per_day, summary.alerts_per_day, summary.points) == ([], [], [])


def test_window_bounds_and_permission_are_checked(node: Node) -> None:
    with transaction(node.engine) as session, pytest.raises(InvalidInput, match="days must be 1 to 366"):
        activity_summary(session, operator(node), days=0)
    nobody = Actor(name="user:x", kind="user", role=None)
    with transaction(node.engine) as session, pytest.raises(PermissionDenied, match=r"dashboard\.read"):
        activity_summary(session, nobody)


def test_no_listed_person_is_named_among_what_raised_alerts(world: Node, tmp_path: Path) -> None:
    """A hit's entry in a stored alert carries the listed person's name; the dashboard counts reasons, never names."""
    load(world, write_list(tmp_path))
    request = ScreeningRequest(
        names=["Olena Shevchenko"], birth_date="2009-05-07", companions=[CompanionIn(name="Ivan Petrenko")]
    )
    with transaction(world.engine) as session:
        result = screen(session, justified_operator(world), request, home=world.home)
    assert result.decision == "protect"
    with transaction(world.engine) as session:
        summary = activity_summary(session, operator(world))
    signals = {c.id: c for c in summary.alerts_per_signal}
    assert {"watchlist_hit:missing_person", "minor_without_guardian"} <= set(signals)
    assert signals["watchlist_hit:missing_person"].protective  # a protective signal, counted and marked
    assert signals["minor_without_guardian"].protective
    assert signals["watchlist_hit:missing_person"].label == "Watchlist hit: missing person"
    assert [(d.id, d.count, d.protective) for d in summary.alerts_per_decision][-1] == ("protect", 1, True)
    listed = {"Olena", "Shevchenko", "Ivanov", "Hassan"}
    labels = {c.label for c in summary.alerts_per_signal} | set(signals)
    assert not [label for label in labels if any(name in label for name in listed)]


def test_travel_and_alerts_share_one_window(world: Node, tmp_path: Path) -> None:
    """The tiny world's crossings are a year old, its alerts are today's: both series cover the same days."""
    load(world, write_list(tmp_path))
    request = ScreeningRequest(names=["Aleksandr Ivanov"], birth_date="1975-03-14", border_point="FCO")
    with transaction(world.engine) as session:
        screen(session, justified_operator(world), request, home=world.home)
        summary = activity_summary(session, operator(world), days=7)
        newest = session.scalar(select(func.max(TravelEvent.occurred_at)))
    assert [c.label for c in summary.travel_per_day] == [c.label for c in summary.alerts_per_day]
    assert len(summary.alerts_per_day) == 7
    assert summary.last_day == dt.datetime.now(dt.UTC).date()
    assert summary.newest_travel == newest.date() < summary.first_day  # said on the page, with a wider window
    assert sum(c.count for c in summary.travel_per_day) == 0
    assert sum(c.count for c in summary.alerts_per_day) == 1
    assert {p.code: p.alerts for p in summary.points_by_alerts} == {"FCO": 1}  # the booth's border point
