"""The alert queue: filters (status, decision, kind, border point, age), sorting, and pages that give the total."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from palermo.alerts import AlertFilters, AlertSubject, alert_queue, assign_alert, open_alert
from palermo.db.alerts import Alert
from palermo.db.engine import transaction
from palermo.errors import InvalidInput, PermissionDenied
from palermo.node import Node
from tests.factories import justified_operator, operator


def opened(node: Node, *alerts: tuple[str, str, float]) -> list[int]:
    """Alerts of (decision, border point, score), opened in this order."""
    with transaction(node.engine) as session:
        return [
            open_alert(
                session,
                "booth",
                kind="screening",
                subject=AlertSubject(border_point=point),
                decision=decision,
                score=score,
                explanation=[],
            ).id
            for decision, point, score in alerts
        ]


def queue(node: Node, filters: AlertFilters | None = None, **options: object) -> tuple[int, list[int]]:
    with transaction(node.engine) as session:
        found = alert_queue(session, justified_operator(node), filters, **options)  # type: ignore[arg-type]
    return found.total, [a.id for a in found.items]


def test_filters_combine_and_the_total_counts_every_page(node: Node) -> None:
    a, b, c, d = opened(
        node, ("alert", "VIE", 0.9), ("protect", "VIE", 0.95), ("refer", "BUD", 0.8), ("alert", "BUD", 1)
    )
    with transaction(node.engine) as session:
        assign_alert(session, justified_operator(node), c, "officer.b")
    assert queue(node) == (4, [d, c, b, a])
    assert queue(node, AlertFilters(border_point="VIE")) == (2, [b, a])
    assert queue(node, AlertFilters(decision="alert", border_point="BUD")) == (1, [d])
    assert queue(node, AlertFilters(status="assigned")) == (1, [c])
    assert queue(node, AlertFilters(kind="network")) == (0, [])
    assert queue(node, sort="score") == (4, [d, b, a, c])
    assert queue(node, sort="oldest", offset=1, limit=2) == (4, [b, c])


def test_age_bounds_the_opening_time(node: Node) -> None:
    old, new = opened(node, ("alert", "VIE", 0.9), ("alert", "VIE", 0.9))
    now = dt.datetime.now(dt.UTC)
    with transaction(node.engine) as session:
        session.execute(update(Alert).where(Alert.id == old).values(created_at=now - dt.timedelta(days=10)))
    week = dt.timedelta(days=7)
    assert queue(node, AlertFilters(opened_after=now - week)) == (1, [new])
    assert queue(node, AlertFilters(opened_before=now - week)) == (1, [old])


def test_a_page_knows_what_comes_next(node: Node) -> None:
    opened(node, *[("refer", "VIE", 0.8)] * 5)
    with transaction(node.engine) as session:
        first = alert_queue(session, justified_operator(node), limit=2)
        last = alert_queue(session, justified_operator(node), offset=4, limit=2)
    assert (first.total, first.next_offset, first.previous_offset) == (5, 2, None)
    assert (len(last.items), last.next_offset, last.previous_offset) == (1, None, 2)


@pytest.mark.parametrize(
    ("filters", "options", "message"),
    [
        (AlertFilters(status="lost"), {}, "status 'lost'"),
        (AlertFilters(decision="clear"), {}, "decision 'clear'"),
        (AlertFilters(kind="gossip"), {}, "alert_kinds"),
        (None, {"sort": "name"}, "sort 'name'"),
        (None, {"limit": 0}, "a page"),
    ],
)
def test_bad_filters_are_refused_by_name(node: Node, filters: AlertFilters | None, options: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidInput, match=message):
        queue(node, filters, **options)


def test_the_queue_needs_a_justification(node: Node) -> None:
    with transaction(node.engine) as session, pytest.raises(PermissionDenied):
        alert_queue(session, operator(node))
