"""Alerts from network analysis: patterns in the link graph that deserve an analyst's look, raised through the
alerts package (kind ``network``), each explained with the ties and records behind it.

Three patterns, read from the stored edges with person records put into their identities:

* ``corrupt_official``: an actor ``associate_of`` a financier (the object of a ``financed_by`` relationship) and
  paid by that financier: the pattern of an official on the network's payroll;
* ``minors_share_phone``: one phone held (as a contact or a crossing's contact phone) by two or more minors who are
  not family (no family relationship between them, no relative in common) and do not travel together (no booking or
  travel group in common: families and school trips give one adult's phone for every child);
* ``watchlisted_in_network``: an actor with a watchlist hit (an alert on one of its records naming a watchlist
  entry, not closed as a false positive) in a community that looks like a trafficking network.

Raising is ``network.build`` (the analyst who builds the graph), over every edge including special-category ones; an
alert that touches a special-category record is special category itself, so only readers with ``victims.read`` see
who it is about. A pattern is raised once: a later run finds the alert by its subject (``network:<pattern>:<key>``)
and leaves it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from pydantic import BaseModel, ConfigDict
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from palermo.alerts import AlertSubject, open_alert
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.alerts import Alert
from palermo.db.network import NetworkEdge
from palermo.db.persons import PersonRecord
from palermo.network.analysis import analysed
from palermo.network.edges import PAYMENT, TRAVEL_TIES
from palermo.network.graph import identity_keys, is_actor, node_kind, relationship_categories
from palermo.network.labels import labels

ADULT_AGE = 18
TRAVELLING_TOGETHER = (TRAVEL_TIES["booking_ref"], TRAVEL_TIES["group_ref"])
PATTERN_SCORES = {"corrupt_official": 0.9, "watchlisted_in_network": 0.8, "minors_share_phone": 0.7}


class Finding(BaseModel):
    """One pattern found: who it is about, why in words, and the records behind it (``table:id``)."""

    model_config = ConfigDict(frozen=True)

    pattern: str
    actor: str  # the actor (or the phone) the alert is about
    involved: tuple[str, ...]  # every actor the pattern names
    person_id: int | None
    detail: str
    records: tuple[str, ...]
    special: bool


class NetworkAlerts(BaseModel):
    """What a run found and which alerts it opened (already raised findings are counted, not raised again)."""

    model_config = ConfigDict(frozen=True)

    findings: tuple[Finding, ...]
    opened: tuple[int, ...]
    already_raised: int


class _Edges:
    """The stored edges the patterns read (exploitation and family relationships, associations, payments and phones),
    with person records put into their identities."""

    def __init__(self, session: Session) -> None:
        self.identities = identity_keys(session)
        self.rows: list[tuple[str, str, str, str, bool]] = []  # kind, source, target, record, special
        family = [kind for kind, category in relationship_categories().items() if category == "family"]
        wanted = or_(
            NetworkEdge.kind.in_(["financed_by", "associate_of", PAYMENT, *family, *TRAVELLING_TOGETHER]),
            NetworkEdge.source_key.startswith("phone:"),
            NetworkEdge.target_key.startswith("phone:"),
        )
        for e in session.scalars(select(NetworkEdge).where(wanted)):
            self.rows.append(
                (e.kind, self.actor(e.source_key), self.actor(e.target_key), f"{e.record_table}:{e.record_id}",
                 e.sensitivity != "ordinary")
            )  # fmt: skip

    def actor(self, key: str) -> str:
        return self.identities.get(key, key)

    def of_kind(self, *kinds: str) -> Iterable[tuple[str, str, str, str, bool]]:
        return (row for row in self.rows if row[0] in kinds)


def _person_of(key: str, members: dict[str, list[int]]) -> int | None:
    found = members.get(key)
    return found[0] if found else None


def corrupt_officials(edges: _Edges) -> list[tuple[str, str, list[str], bool]]:
    """(official, financier, records, special): an associate of a financier who is paid by that financier."""
    financiers = {target for _, _, target, _, _ in edges.of_kind("financed_by")}
    associates: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    for _, a, b, record, special in edges.of_kind("associate_of"):
        for official, financier in ((a, b), (b, a)):
            if financier in financiers and official != financier:
                associates[(official, financier)].append((record, special))
    paid: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    for _, payer, payee, record, special in edges.of_kind(PAYMENT):
        paid[(payee, payer)].append((record, special))
    found = []
    for pair, ties in sorted(associates.items()):
        if pair in paid:
            behind = ties + paid[pair]
            found.append((pair[0], pair[1], [r for r, _ in behind], any(s for _, s in behind)))
    return found


def _age(birth_date: str | None, today: dt.date) -> int | None:
    if not birth_date or len(birth_date) < 4 or not birth_date[:4].isdigit():
        return None
    year = int(birth_date[:4])
    month_day = (int(birth_date[5:7]), int(birth_date[8:10])) if len(birth_date) == 10 else (12, 31)
    return today.year - year - ((today.month, today.day) < month_day)


def _minors(session: Session, edges: _Edges, today: dt.date) -> set[str]:
    """Actors any of whose records gives an age under 18 today."""
    minors = set()
    for person_id, birth_date in session.execute(select(PersonRecord.id, PersonRecord.birth_date)):
        age = _age(birth_date, today)
        if age is not None and age < ADULT_AGE:
            minors.add(edges.actor(f"person:{person_id}"))
    return minors


def _kin(edges: _Edges) -> set[frozenset[str]]:
    """Pairs of actors who are family, or who travel together: tied by a family relationship, with a relative in
    common (two children of one parent), or on one booking or travel group (families and school trips)."""
    family = {kind for kind, category in relationship_categories().items() if category == "family"}
    around: dict[str, set[str]] = defaultdict(set)
    for _, a, b, _, _ in edges.of_kind(*family, *TRAVELLING_TOGETHER):
        around[a].add(b)
        around[b].add(a)
    pairs = {frozenset((a, b)) for a, near in around.items() for b in near if is_actor(b) and is_actor(a)}
    for near in around.values():
        pairs.update(frozenset(pair) for pair in combinations(sorted(near), 2))
    return pairs


def minors_sharing_phones(session: Session, edges: _Edges, today: dt.date) -> list[tuple[str, list[str], list[str]]]:
    """(phone, minors, records): phones held by two or more minors who are not family and do not travel together."""
    minors = _minors(session, edges, today)
    related = _kin(edges)
    holders: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for _, a, b, record, _ in edges.rows:
        for holder, thing in ((a, b), (b, a)):
            if node_kind(thing) == "phone" and holder in minors:
                holders[thing][holder].append(record)
    found = []
    for phone, held in sorted(holders.items()):
        unrelated = sorted(
            {m for pair in combinations(sorted(held), 2) if frozenset(pair) not in related for m in pair}
        )
        if len(unrelated) >= 2:
            found.append((phone, unrelated, sorted({r for m in unrelated for r in held[m]})))
    return found


def watchlisted_in_networks(session: Session, edges: _Edges) -> list[tuple[str, int, int, list[str]]]:
    """(actor, community size, alert id, records): an actor with a watchlist hit in a network-like community."""
    graph = analysed(session, include_special=True)
    community_of = dict(zip(graph.projection.graph.vs["name"], graph.partition.membership, strict=True))
    hits = session.execute(
        select(Alert.person_id, Alert.id).where(
            Alert.watchlist_entry_id.is_not(None),
            Alert.person_id.is_not(None),
            (Alert.disposition.is_(None)) | (Alert.disposition != "false_positive"),
        )
    )
    found: dict[str, tuple[int, int, list[str]]] = {}
    for person_id, alert_id in hits:
        actor = edges.actor(f"person:{person_id}")
        community = community_of.get(actor)
        if community is None or actor in found:
            continue
        chosen = graph.partition.communities[community - 1]
        if chosen.network:
            found[actor] = (chosen.size, alert_id, [f"alerts:{alert_id}"])
    return [(actor, size, alert, records) for actor, (size, alert, records) in sorted(found.items())]


def find_patterns(session: Session, today: dt.date | None = None) -> list[Finding]:
    """Every pattern in the stored graph, explained (no permission check: :func:`raise_network_alerts` guards)."""
    today = today or dt.datetime.now(dt.UTC).date()
    edges = _Edges(session)
    members: dict[str, list[int]] = defaultdict(list)
    for person, identity in edges.identities.items():
        members[identity].append(int(person.split(":")[1]))
    for _, a, b, _, _ in edges.rows:
        for key in (a, b):
            if node_kind(key) == "person":
                members.setdefault(key, [int(key.split(":")[1])])
    officials = corrupt_officials(edges)
    phones = minors_sharing_phones(session, edges, today)
    watched = watchlisted_in_networks(session, edges)
    named = labels(
        session,
        {k for o, f, _, _ in officials for k in (o, f)}
        | {m for _, ms, _ in phones for m in ms}
        | {a for a, *_ in watched},
        include_special=True,
    )
    findings = [
        Finding(pattern="corrupt_official", actor=official, involved=(official, financier),
                person_id=_person_of(official, members),
                detail=f"{named[official]} ({official}) is an associate of {named[financier]} ({financier}), who "
                       f"finances the network, and is paid by them: the pattern of a corrupt official",
                records=tuple(records), special=special)
        for official, financier, records, special in officials
    ]  # fmt: skip
    findings += [
        Finding(pattern="minors_share_phone", actor=phone, involved=tuple(minors),
                person_id=_person_of(minors[0], members),
                detail=f"{len(minors)} minors with no family relationship between them share the phone "
                       f"{phone.split(':', 1)[1]}: " + ", ".join(f"{named[m]} ({m})" for m in minors),
                records=tuple(records), special=True)
        for phone, minors, records in phones
    ]  # fmt: skip
    findings += [
        Finding(pattern="watchlisted_in_network", actor=actor, involved=(actor,),
                person_id=_person_of(actor, members),
                detail=f"{named[actor]} ({actor}), with a watchlist hit (alert {alert}), is in a community of {size} "
                       "actors that looks like a trafficking network",
                records=tuple(records), special=False)
        for actor, size, alert, records in watched
    ]  # fmt: skip
    return findings


def _explained(finding: Finding) -> dict[str, object]:
    return {"kind": "network_pattern", **finding.model_dump(include={"pattern", "actor", "detail", "records"})}


def raise_network_alerts(session: Session, actor: Actor, today: dt.date | None = None) -> NetworkAlerts:
    """Find the patterns and open an alert (kind ``network``) for each one not raised before."""
    guard(session, actor, "network.build", subject="network:alerts")
    findings = find_patterns(session, today)
    raised = set(session.scalars(select(Alert.subject).where(Alert.kind == "network", Alert.subject.is_not(None))))
    opened = []
    for finding in findings:
        ref = f"network:{finding.pattern}:{finding.actor}"[:200]
        if ref in raised:
            continue
        alert = open_alert(
            session,
            actor.name,
            kind="network",
            subject=AlertSubject(person_id=finding.person_id, ref=ref),
            decision=None,
            score=PATTERN_SCORES[finding.pattern],
            explanation=[_explained(finding)],
            sensitivity="special" if finding.special else "ordinary",
        )
        raised.add(ref)
        opened.append(alert.id)
    return NetworkAlerts(findings=tuple(findings), opened=tuple(opened), already_raised=len(findings) - len(opened))
