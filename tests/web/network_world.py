"""The hand-built network world (tests/factories.py: a recruiter, an escort, a financier and four special-category
victims beside a family) with its link graph built and a screening alert on the recruiter, for the network pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from palermo.alerts import AlertSubject, open_alert
from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.network.build import build_network
from palermo.node import Node
from tests.factories import ingest_network, person_keys


@dataclass(frozen=True)
class NetworkWorld:
    keys: dict[str, str]  # source key (R, E, F, V1 ...) -> graph key (person:<id>)
    alert: int  # the alert on the recruiter R


def build_network_world(node: Node, folder: Path) -> NetworkWorld:
    ingest_network(node, folder)
    keys = person_keys(node)
    builder = cli_actor("cli:tester", node.agency_code, Justification("legal_basis", "criminal_investigation"))
    with transaction(node.engine) as session:
        build_network(session, builder, full=True)
        alert = open_alert(
            session,
            "test",
            kind="screening",
            subject=AlertSubject(person_id=int(keys["R"].split(":")[1])),
            decision="alert",
            score=0.9,
            explanation=[],
        )
        alert_id = alert.id
    return NetworkWorld(keys=keys, alert=alert_id)
