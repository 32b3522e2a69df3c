"""Alerts from network analysis on the hand-built world (both stores), with three patterns added: an official paid
by the financier he is an associate of, two unrelated children sharing a phone (beside two siblings who share one),
and the recruiter's watchlist hit. Each is raised once, explained, with its records; the alert of the children is
special category; the patterns do not fire on what only looks like them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from palermo.alerts import AlertSubject, get_alert, open_alert
from palermo.db.engine import transaction
from palermo.db.watchlists import WatchlistEntry
from palermo.network.alerts import raise_network_alerts
from palermo.network.build import build_network
from palermo.node import Node
from tests.factories import (
    PERSONS,
    RELATIONSHIPS,
    TRANSACTIONS,
    TRAVEL,
    handling_row,
    load,
    person_keys,
    run,
    write_csv,
    write_list,
)
from tests.network.conftest import actor

CHILD_PHONE = "+393401112233"
SIBLINGS_PHONE = "+393405556677"


def _add_patterns(node: Node, folder: Path) -> None:
    h = handling_row()
    people = [
        ["O", *h, "Oscar", "Official", "1968-08-08", "M", "ITA"],
        ["A", *h, "Aldo", "Associate", "1971-09-09", "M", "ITA"],  # an associate of F who pays F: not the pattern
        ["K1", *handling_row("special"), "Kira", "Childone", "2016-01-01", "F", "MDA"],
        ["K2", *handling_row("special"), "Kostya", "Childtwo", "2015-02-02", "M", "UKR"],
        ["S1", *handling_row("special"), "Sara", "Sibling", "2014-03-03", "F", "GRC"],
        ["S2", *handling_row("special"), "Sami", "Sibling", "2017-04-04", "M", "GRC"],
    ]
    run(node, write_csv(folder / "more-persons.csv", PERSONS, people), "persons")
    ties = [
        ["RO", *h, "associate_of", "O", "person", "F", "person"],
        ["RA", *h, "associate_of", "A", "person", "F", "person"],
        ["RS", *h, "sibling_of", "S1", "person", "S2", "person"],
    ]
    run(node, write_csv(folder / "more-relationships.csv", RELATIONSHIPS, ties), "relationships")
    paid = [
        ["TO", *h, "2025-06-01T10:00:00Z", "2000.00", "EUR", "F", "O"],
        ["TA", *h, "2025-06-02T10:00:00Z", "500.00", "EUR", "A", "F"],
    ]
    run(node, write_csv(folder / "more-transactions.csv", TRANSACTIONS, paid), "transactions")
    crossings = [
        [f"C{k}", *handling_row("special"), k, "FCO", "entry", "2025-06-05T10:00:00Z", "air", "", phone]
        for k, phone in (("K1", CHILD_PHONE), ("K2", CHILD_PHONE), ("S1", SIBLINGS_PHONE), ("S2", SIBLINGS_PHONE))
    ]
    run(node, write_csv(folder / "more-travel.csv", TRAVEL, crossings), "travel_events")


def test_the_patterns_are_raised_once_and_explained(network_node: Node, tmp_path: Path) -> None:
    _add_patterns(network_node, tmp_path)
    keys = person_keys(network_node)
    load(network_node, write_list(tmp_path))
    analyst = actor("analyst", network_node)
    with transaction(network_node.engine) as session:
        entry = session.scalars(select(WatchlistEntry.id)).first()
        open_alert(session, "test", kind="screening", subject=AlertSubject(person_id=int(keys["R"][7:]),
                   watchlist_entry_id=entry), decision="alert", score=0.9, explanation=[])  # fmt: skip
        build_network(session, analyst, full=True)
    with transaction(network_node.engine) as session:
        raised = raise_network_alerts(session, analyst)
    found = {(f.pattern, f.actor): f for f in raised.findings}
    assert set(found) == {
        ("corrupt_official", keys["O"]),
        ("minors_share_phone", f"phone:{CHILD_PHONE}"),
        ("watchlisted_in_network", keys["R"]),
    }
    official = found[("corrupt_official", keys["O"])]
    assert "Oscar Official" in official.detail
    assert "Filip Financier" in official.detail
    assert len(official.records) == 2
    children = found[("minors_share_phone", f"phone:{CHILD_PHONE}")]
    assert children.special
    assert "Kira Childone" in children.detail
    assert "Kostya Childtwo" in children.detail
    assert len(raised.opened) == 3
    with transaction(network_node.engine) as session:
        again = raise_network_alerts(session, analyst)
        shown = get_alert(session, actor("supervisor", network_node), raised.opened[0])
    assert again.opened == ()
    assert again.already_raised == 3
    assert shown.kind == "network"
    assert shown.subject is not None
    assert shown.subject.startswith("network:corrupt_official:")
    assert shown.explanation[0]["detail"] == official.detail
