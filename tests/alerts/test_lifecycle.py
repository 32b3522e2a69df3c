"""Any domain raises alerts through palermo.alerts: kinds from the taxonomy, subjects, one queue filtered by kind."""

from __future__ import annotations

import pytest

from palermo.alerts import AlertSubject, dispose_alert, get_alert, list_alerts, open_alert
from palermo.db.engine import transaction
from palermo.errors import InvalidInput
from palermo.node import Node
from tests.factories import justified_operator


def test_a_network_alert_about_an_identity_is_queued_beside_screening_alerts(node: Node) -> None:
    with transaction(node.engine) as session:
        network = open_alert(
            session,
            "analytics",
            kind="network",
            subject=AlertSubject(ref="identity:42"),
            decision="refer",
            score=0.8,
            explanation=[{"name": "broker", "value": 1.0, "weight": 0.8, "detail": "bridges two communities"}],
        )
        open_alert(
            session, "booth", kind="screening", subject=AlertSubject(), decision="alert", score=1.0, explanation=[]
        )
    with transaction(node.engine) as session:
        only_network = list_alerts(session, justified_operator(node), kind="network")
        everything = list_alerts(session, justified_operator(node))
        shown = get_alert(session, justified_operator(node), network.id)
    assert [(a.kind, a.subject) for a in only_network] == [("network", "identity:42")]
    assert {a.kind for a in everything} == {"network", "screening"}
    assert shown.history[0]["action"] == "opened"
    with transaction(node.engine) as session:
        closed = dispose_alert(session, justified_operator(node), network.id, "confirmed")
    assert (closed.status, closed.disposition) == ("closed", "confirmed")


def test_an_unknown_kind_or_a_malformed_subject_is_refused(node: Node) -> None:
    with pytest.raises(InvalidInput, match="unknown alert_kinds value 'gossip'"), transaction(node.engine) as session:
        open_alert(session, "x", kind="gossip", subject=AlertSubject(), decision="refer", score=0.1, explanation=[])
    with pytest.raises(InvalidInput, match="type:id"):
        AlertSubject(ref="no-type-here")
