"""Real nodes for sharing tests: separate stores and keys, each served by uvicorn on a free loopback port."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from palermo.api import create_app
from palermo.audit.log import stream_rows
from palermo.auth.actor import Actor, cli_actor
from palermo.auth.justification import optional_justification
from palermo.cli.main import app
from palermo.db.engine import transaction
from palermo.db.persons import IdentityDocument, PersonName, PersonRecord, normalise_document_number
from palermo.db.reference import Agency, Source
from palermo.db.sharing import ReceivedRecord
from palermo.db.watchlists import Watchlist, WatchlistEntry
from palermo.node import Node, init_node
from palermo.settings import Settings
from palermo.sharing import partners
from palermo.sharing.envelope import Item
from palermo.sharing.keys import node_keys
from palermo.sharing.outbox import deliver_pending
from palermo.sharing.outgoing import envelope_for, seal_for, share_records
from tests.conftest import StoreTemplates
from tests.factories import free_port

START_SECONDS = 120  # a bound for a busy machine, not a measurement
ARRIVAL_SECONDS = 120  # how long a test waits for a node's push in the background: a bound, not a measurement
LATER = dt.timedelta(hours=2)  # past any back-off


@dataclass
class Served:
    node: Node
    country: str
    port: int = field(default_factory=free_port)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.node, warm_up=False), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + START_SECONDS  # bounded: the server starts or the test fails below
        while time.monotonic() < deadline:
            if self.server.started:
                return
            if not self.thread.is_alive():
                break
            time.sleep(0.01)
        raise AssertionError(f"uvicorn did not start on port {self.port}")

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=10)
            self.server = self.thread = None


def sqlite_store(templates: StoreTemplates, folder: Path) -> str:
    """A SQLite store at the latest schema in ``folder`` (a copy of the worker's migrated template)."""
    folder.mkdir(parents=True, exist_ok=True)
    return templates.copy("sqlite", None, templates.migrated("sqlite", None), folder)


def make_node(tmp_path: Path, agency: str, store_url: str) -> Node:
    """A node of ``agency`` on ``store_url`` (a store at the latest schema), with its sharing keys."""
    settings = Settings(home=tmp_path / agency, database_url=store_url, agency=agency)
    created = init_node(settings)
    node_keys(created.home)
    return created


def operator(node: Node, justification: str | None = "JIT-2026-0042") -> Actor:
    parsed = optional_justification(justification, node.settings.case_reference_pattern) if justification else None
    return cli_actor("cli:tester", node.agency_code, parsed)


def connect(a: Served, b: Served) -> None:
    """Register each node as the other's partner and exchange inbox tokens, as operators would out of band."""
    tokens = {}
    for here, there in ((a, b), (b, a)):
        public = node_keys(there.node.home).public
        with transaction(here.node.engine) as session:
            new = partners.add_partner(
                session,
                operator(here.node),
                name=there.node.agency_code,
                agency_code=there.node.agency_code,
                country=there.country,
                signing_key=public.signing_key,
                encryption_key=public.encryption_key,
                url=there.url,
            )
        tokens[(here.node.agency_code, there.node.agency_code)] = new.inbound_token
    for here, there in ((a, b), (b, a)):
        with transaction(here.node.engine) as session:
            token = tokens[(there.node.agency_code, here.node.agency_code)]
            partners.set_outbound_token(session, operator(here.node), there.node.agency_code, token)


def register(here: Served, there: Served) -> None:
    """Register ``there`` at ``here`` by its keys alone (no URL, no token), as an operator does for an originator
    whose records arrive through another partner: fingerprints compared out of band, nothing sent to it."""
    public = node_keys(there.node.home).public
    with transaction(here.node.engine) as session:
        partners.add_partner(
            session,
            operator(here.node),
            name=there.node.agency_code,
            agency_code=there.node.agency_code,
            country=there.country,
            signing_key=public.signing_key,
            encryption_key=public.encryption_key,
        )


def signed_item(node: Node, name: str) -> Item:
    """The item as this node received it (originator signature, hop chain) for the record with primary ``name``."""
    with transaction(node.engine) as session:
        statement = (
            select(ReceivedRecord.signed_item)
            .join(PersonName, PersonName.person_id == ReceivedRecord.record_id)
            .where(ReceivedRecord.record_table == "person_records", PersonName.full_name == name)
        )
        return Item.model_validate(session.scalars(statement).one())


def dishonest_bundle(src: Served, to: str, items: list[Item]) -> str:
    """A records bundle built the way a dishonest node would: whatever items it likes, sealed and signed with its
    own key (the sending code's handling checks skipped)."""
    with transaction(src.node.engine) as session:
        partner = partners.find_partner(session, to)
        return seal_for(src.node, partner, envelope_for(src.node, partner, "records", items=items))


def post(src: Served, dst: Served, bundle: str) -> dict[str, Any]:
    """Push a bundle to ``dst``'s inbox over HTTP with ``src``'s token there; the import report."""
    with transaction(src.node.engine) as session:
        token = partners.find_partner(session, dst.node.agency_code).outbound_token
    answer = httpx.post(
        f"{dst.url}/api/v1/exchange/inbox",
        json={"bundle": bundle},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    report: dict[str, Any] = answer.json()
    return report


def _source(session: Any, node: Node) -> Source:
    source = session.scalars(select(Source).where(Source.name == "local")).first()
    if source is None:
        agency = session.scalars(select(Agency).where(Agency.code == node.agency_code)).one()
        source = Source(name="local", agency_id=agency.id)
        session.add(source)
        session.flush()
    return source


def provenance(node: Node, key: str, **handling: Any) -> dict[str, Any]:
    values = {
        "source_key": key,
        "originator": node.agency_code,
        "handling": "H0",
        "distribution": "partners",
        "source_reliability": "B",
        "information_credibility": "2",
        "sensitivity": "ordinary",
        "row_hash": "x" * 32,
    }
    return {**values, **handling}


def add_person(node: Node, key: str, name: str, birth_date: str = "1999-04-02", **handling: Any) -> int:
    """A person record of this node's own agency with the given handling (defaults: H0, all partners)."""
    given, surname = name.split(" ", 1)
    with transaction(node.engine) as session:
        row = PersonRecord(
            source_id=_source(session, node).id,
            birth_date=birth_date,
            birth_date_precision="day",
            sex="F",
            **provenance(node, key, **handling),
        )
        row.names = [PersonName(position=0, kind="primary", full_name=name, given_names=given, surname=surname)]
        session.add(row)
        session.flush()
        return row.id


def add_document(node: Node, person_id: int, number: str, state: str = "AUT", document_type: str = "passport") -> int:
    """A document of this node's own agency held by ``person_id`` (issued 2020-01-15, expiring 2030-01-14)."""
    with transaction(node.engine) as session:
        row = IdentityDocument(
            source_id=_source(session, node).id,
            person_id=person_id,
            document_type=document_type,
            number=number,
            number_normalised=normalise_document_number(number),
            issuing_state=state,
            issue_date=dt.date(2020, 1, 15),
            expiry_date=dt.date(2030, 1, 14),
            **provenance(node, f"doc-{number}"),
        )
        session.add(row)
        session.flush()
        return row.id


def received_documents(node: Node, name: str) -> list[tuple[str, str, str, dt.date | None, dt.date | None]]:
    """(type, number, issuing state, issued, expires) of the documents of the received person ``name``."""
    with transaction(node.engine) as session:
        statement = (
            select(
                IdentityDocument.document_type,
                IdentityDocument.number,
                IdentityDocument.issuing_state,
                IdentityDocument.issue_date,
                IdentityDocument.expiry_date,
            )
            .join(PersonName, PersonName.person_id == IdentityDocument.person_id)
            .join(ReceivedRecord, ReceivedRecord.record_id == IdentityDocument.person_id)
            .where(ReceivedRecord.record_table == "person_records", PersonName.full_name == name)
            .order_by(IdentityDocument.number)
        )
        return [tuple(row) for row in session.execute(statement)]  # type: ignore[misc]


def add_notice(node: Node, key: str, name: str, category: str, **handling: Any) -> int:
    with transaction(node.engine) as session:
        watchlist = Watchlist(name=f"own-{category}-{key}", category=category)
        session.add(watchlist)
        session.flush()
        row = WatchlistEntry(
            source_id=_source(session, node).id,
            watchlist_id=watchlist.id,
            category=category,
            names=[{"name": name, "kind": "primary"}],  # as `palermo watchlist load` stores them
            birth_date="2009-03-01",
            other_birth_dates=["2008-03-01"],
            nationalities=["ROU"],
            sex="F",
            document_numbers=["RO1234567"],
            reason="reported missing",
            **provenance(node, key, **handling),
        )
        session.add(row)
        session.flush()
        return row.id


def received_names(node: Node) -> list[str]:
    """Primary names of person records received from partners."""
    with transaction(node.engine) as session:
        statement = (
            select(PersonName.full_name)
            .join(PersonRecord)
            .join(Source)
            .where(Source.name.like("partner:%"), PersonName.kind == "primary")
            .order_by(PersonName.full_name)
        )
        return list(session.scalars(statement))


def count(node: Node, model: Any) -> int:
    with transaction(node.engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def audit_actions(node: Node) -> list[tuple[str, str]]:
    """(action, bundle id) of every sharing entry in the node's audit log."""
    with transaction(node.engine) as session:
        return [
            (row.action, row.details.get("bundle_id", ""))
            for row in stream_rows(session)
            if row.details and "bundle_id" in row.details
        ]


def audit_details(node: Node) -> list[dict[str, Any]]:
    """The details of every sharing entry in the node's audit log."""
    with transaction(node.engine) as session:
        return [dict(row.details) for row in stream_rows(session) if row.details and "bundle_id" in row.details]


def share(src: Served, to: str, refs: list[tuple[str, int]], **options: object) -> str:
    """Share records as an operator of ``src`` does: the bundle id (queued), or the bundle itself (``queue=False``)."""
    with transaction(src.node.engine) as session:
        result = share_records(session, src.node, operator(src.node), to, refs, **options)  # type: ignore[arg-type]
    return result.bundle_id if options.get("queue", True) else result.token


def deliver(src: Served) -> None:
    """Deliver everything in ``src``'s outbox, back-off or not; every delivery must succeed."""
    report = deliver_pending(src.node, now=dt.datetime.now(dt.UTC) + LATER)
    assert report.failed == 0, report.errors


def received_id(node: Served, name: str) -> int:
    """The id of the newest person record with ``name`` (0 when there is none)."""
    with transaction(node.node.engine) as session:
        statement = select(PersonName.person_id).where(PersonName.full_name == name)
        return int(session.scalars(statement.order_by(PersonName.person_id.desc())).first() or 0)


def eventually(check: Callable[[], bool], what: str) -> None:
    """Wait for something a node does in the background (a push after its inbox answered), within a bound."""
    deadline = time.monotonic() + ARRIVAL_SECONDS
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {ARRIVAL_SECONDS} s: {what}")


def cli(served: Served, *args: str) -> Result:
    """Run ``palermo ARGS`` as an operator of ``served`` would (its home, agency and store)."""
    settings = served.node.settings
    env = {"PALERMO_HOME": str(settings.home), "PALERMO_AGENCY": settings.agency}
    if settings.database_url:
        env["PALERMO_DATABASE_URL"] = settings.database_url
    return CliRunner().invoke(app, list(args), env=env)
