"""One-line factories shared by the test folders, in one place instead of imported from each other's modules.

Accounts (users with a known password, tokens, bearer headers), the CLI operator, records through the real ingest
pipeline, watchlists loaded and indexed, passports and the lost/stolen registry, names for property tests, a free
local port, the access decisions as the structured log states them, and the hand-built network world. Helpers
used by one folder only stay there.
"""

from __future__ import annotations

import csv
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import structlog
import structlog.testing
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import select

from palermo import logs
from palermo.auth import tokens, users
from palermo.auth.actor import Actor, cli_actor, user_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.db.reference import Agency
from palermo.documents import LostStolenRegistry, MrzSpec, make_mrz
from palermo.documents.mrz_formats import MrzFormatName
from palermo.errors import InvalidInput, NotFound
from palermo.ingest.pipeline import IngestOptions, IngestSummary, ingest_file
from palermo.ingest.sources import SourceSpec, add_source, get_source
from palermo.names import prepare_name
from palermo.node import Node
from palermo.screening.candidate_index.node_cache import forget, refresh_index
from palermo.screening.watchlists import LoadReport, load_watchlist
from palermo.sharing.partners import _service_account

# --- the operator and accounts ---------------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"


def operator(node: Node) -> Actor:
    """The node's operator on the command line, without a justification."""
    return cli_actor("cli:tester", node.agency_code)


def justified_operator(node: Node) -> Actor:
    """The node's operator with the legal basis ``border_control`` (may consult personal data)."""
    return cli_actor("cli:tester", node.agency_code, Justification("legal_basis", "border_control"))


def make_user(node: Node, username: str, role: str, password: str = PASSWORD) -> None:
    """A user who has already replaced the one-time password with ``password`` (a service account: no password)."""
    if users.is_service_account(role):
        with transaction(node.engine) as session:
            agency = session.scalars(select(Agency).where(Agency.code == node.agency_code)).one()
            _service_account(session, username, agency)
        return
    with transaction(node.engine) as session:
        new = users.create_user(session, operator(node), username=username, role=role)
    with transaction(node.engine) as session:
        user = users.find_user(session, username)
        actor = user_actor(user, node.agency_code)
        users.change_password(session, actor, current=new.one_time_password, new=password)


def make_token(node: Node, username: str, scopes: list[str] | None = None, days: int = 30) -> str:
    with transaction(node.engine) as session:
        new = tokens.create_token(session, operator(node), username=username, name="test", scopes=scopes, days=days)
    return new.secret


def bearer(secret: str, justification: str | None = None) -> dict[str, str]:
    """The headers of an API request with token ``secret`` (and a justification)."""
    headers = {"Authorization": f"Bearer {secret}"}
    if justification:
        headers["X-Palermo-Justification"] = justification
    return headers


# --- records through the real ingest pipeline -------------------------------------------------------------------

PERSON_HEADER = ["source_key", "surname", "given_names", "birth_date", "sex", "nationalities"]


def write_csv(path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def ensure_source(node: Node, name: str = "src", **spec: Any) -> None:
    with transaction(node.engine) as session:
        try:
            get_source(session, name)
        except NotFound:
            add_source(session, SourceSpec(name=name, agency=node.agency_code, **spec))


def run(node: Node, path: Path, kind: str, source: str = "src", **options: Any) -> IngestSummary:
    """Ingest ``path`` as ``kind`` into ``source`` (created with default handling if new)."""
    ensure_source(node, source)
    return ingest_file(node.engine, path, IngestOptions(kind=kind, source=source, **options), actor="test")


def person_rows(n: int, start: int = 0) -> list[list[Any]]:
    return [[f"p{i}", f"Surname{i}", "Given", "1990-05-17", "F", "AUT"] for i in range(start, start + n)]


def add_persons(node: Node, tmp_path: Path, rows: list[list[str]], source: str = "src") -> None:
    """Person records through the real ingest pipeline; rows are [source_key, surname, given_names]."""
    path = write_csv(tmp_path / f"{source}.csv", PERSON_HEADER, [[*r, "1990-05-17", "F", "AUT"] for r in rows])
    run(node, path, "persons", source=source)


# --- watchlists -------------------------------------------------------------------------------------------------

WATCHLIST_HEADER = "id,name,aliases,birth_date,nationality,sex,document_numbers,category,reason\n"
WATCHLIST_ROWS = [
    "S-1,Александр Иванов,Sasha Ivanov;Aleksandr Ivanov,1975-03-14,RUS,M,7512345678,suspect,smuggling network",
    "S-2,محمد الحسن,Mohammed Al-Hassan,1980,SYR,M,,wanted,warrant 2024/17",
    "M-1,Olena Shevchenko,,2009-05-07,UKR,F,FA123456,missing_person,reported missing by family",
]


def write_list(folder: Path, rows: list[str] = WATCHLIST_ROWS, name: str = "list.csv") -> Path:
    path = folder / name
    path.write_text(WATCHLIST_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def load(node: Node, path: Path, name: str = "mixed", category: str | None = "suspect") -> LoadReport:
    """Load a watchlist file and bring the node's candidate index up to date."""
    forget(node.home)
    with transaction(node.engine) as session:
        report = load_watchlist(
            session, justified_operator(node), path, name=name, agency_code=node.agency_code, list_category=category
        )
        refresh_index(session, node.home, report.changed, report.removed)
    return report


# --- documents --------------------------------------------------------------------------------------------------

REGISTRY_HEADER = "document_number,issuing_state,document_type,status,reported_date,reporting_agency\n"


def passport(
    number: str,
    surname: str = "MARTIN",
    given_names: str = "CLAIRE",
    state: str = "FRA",
    born: date = date(1990, 3, 4),
    sex: str = "F",
) -> list[str]:
    """The MRZ of a genuine passport numbered ``number`` (by default French, of Claire Martin)."""
    spec = MrzSpec(
        format=MrzFormatName.TD3,
        issuing_state=state,
        document_number=number,
        surname=surname,
        given_names=given_names,
        nationality=state,
        birth_date=born,
        sex=sex,
        expiry_date=date(2030, 3, 4),
    )
    return make_mrz(spec)


def load_registry(node: Node, tmp_path: Path, rows: str) -> None:
    """Load CSV ``rows`` (after :data:`REGISTRY_HEADER`) into the node's lost/stolen registry."""
    path = tmp_path / f"sltd-{len(rows)}.csv"
    path.write_text(REGISTRY_HEADER + rows, encoding="utf-8")
    LostStolenRegistry.open(node.home).load_csv(path)


# --- names for property tests -----------------------------------------------------------------------------------

ALPHABETS = st.sampled_from(
    [
        "abcdefghijklmnopqrstuvwxyz",
        "абвгдежзийклмнопрстуфхцчшщыэюя",
        "αβγδεζηθικλμνξοπρστυφχψω",
        "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
        "àáâãäåèéêëìíîïòóôõöùúûüýđ",
        "李王张刘陈杨黄赵吴周",
    ]
)


@st.composite
def names(draw: st.DrawFn) -> str:
    """A name of one to four words in one script, joined by a space, a hyphen or a comma."""
    alphabet = draw(ALPHABETS)
    words = draw(st.lists(st.text(alphabet, min_size=1, max_size=9), min_size=1, max_size=4))
    separator = draw(st.sampled_from([" ", "-", " ", ", "]))
    return separator.join(words)


NAME_PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def preparable(text: str) -> bool:
    """Whether ``text`` is a name the matcher accepts (``prepare_name`` does not refuse it)."""
    try:
        prepare_name(text)
    except InvalidInput:
        return False
    return True


# --- servers and the access log ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class LoggedAccess:
    """An access decision as the structured log's ``access`` event states it."""

    actor: str
    permission: str
    granted: bool
    subject: str | None
    justification: str | None


@contextmanager
def recorded_access() -> Iterator[list[LoggedAccess]]:
    """Every access decision made inside the block, read from the structured log (event ``access``) that
    ``palermo.auth.access.record_access`` writes for each one; the list is filled when the block ends."""
    seen: list[LoggedAccess] = []
    saved = logs.configured()
    logs.configure("INFO", saved[1])
    try:
        with structlog.testing.capture_logs() as entries:
            yield seen
    finally:
        logs.configure(*saved)
    fields = ("actor", "permission", "granted", "subject", "justification")
    seen.extend(LoggedAccess(*(e[f] for f in fields)) for e in entries if e["event"] == "access")


HANDLING = ["originator", "handling", "handling_note", "distribution", "sharing_group", "source_reliability"]
HANDLING += ["information_credibility", "sensitivity", "review_at", "delete_at"]
PERSONS = ["source_key", *HANDLING, "given_names", "surname", "birth_date", "sex", "nationalities"]
RELATIONSHIPS = ["source_key", *HANDLING, "relationship_kind", "subject_key", "subject_type", "object_key"]
RELATIONSHIPS += ["object_type"]
TRANSACTIONS = ["source_key", *HANDLING, "occurred_at", "amount", "currency", "payer_key", "payee_key"]
BORDER_POINTS = ["source_key", *HANDLING, "code", "name", "country", "point_kind"]
TRAVEL = ["source_key", *HANDLING, "person_key", "border_point", "direction", "occurred_at", "mode", "booking_ref"]
TRAVEL += ["contact_phone"]

VICTIMS = ("V1", "V2", "V3", "V4")
NETWORK = ("R", "E", "F", *VICTIMS)
FAMILY = ("M1", "M2")


def handling_row(sensitivity: str = "") -> list[str]:
    return ["", "", "", "", "", "", "", sensitivity, "", ""]


def ingest_network(node: Node, folder: Path) -> None:
    """The hand-built network world of tests/network and tests/web, through the real pipeline: recruiter R, escort
    E, financier F and victims V1-V4 (special); a family M1, M2; a lone traveller X."""
    people = [
        ["R", *handling_row(), "Rado", "Recruiter", "1970-01-01", "M", "BGR"],
        ["E", *handling_row(), "Emil", "Escort", "1975-02-02", "M", "BGR"],
        ["F", *handling_row(), "Filip", "Financier", "1965-03-03", "M", "BGR"],
        *[[v, *handling_row("special"), "Vera", f"Victim{v}", "2000-04-04", "F", "MDA"] for v in VICTIMS],
        ["M1", *handling_row(), "Maria", "Family", "1980-05-05", "F", "GRC"],
        ["M2", *handling_row(), "Nikos", "Family", "1979-06-06", "M", "GRC"],
        ["X", *handling_row(), "Xenia", "Alone", "1990-07-07", "F", "GRC"],
    ]
    run(node, write_csv(folder / "persons.csv", PERSONS, people), "persons")
    relationships = [[f"RR{v}", *handling_row(), "recruited_by", v, "person", "R", "person"] for v in VICTIMS]
    relationships += [[f"RT{v}", *handling_row(), "transported_by", v, "person", "E", "person"] for v in VICTIMS]
    relationships += [["RF", *handling_row(), "financed_by", "R", "person", "F", "person"]]
    run(node, write_csv(folder / "relationships.csv", RELATIONSHIPS, relationships), "relationships")
    payments = [[f"T{i}", *handling_row(), f"2025-0{i}-01T10:00:00Z", "900.00", "EUR", "F", "R"] for i in (1, 2)]
    run(node, write_csv(folder / "transactions.csv", TRANSACTIONS, payments), "transactions")
    run(
        node,
        write_csv(folder / "points.csv", BORDER_POINTS, [["BP", *handling_row(), "FCO", "Rome", "ITA", "air"]]),
        "border_points",
    )
    crossings = [
        ["C1", *handling_row(), "E", "FCO", "entry", "2025-03-01T10:00:00Z", "air", "BK1", ""],
        ["C2", *handling_row("special"), "V1", "FCO", "entry", "2025-03-01T10:00:00Z", "air", "BK1", "+393471234567"],
        ["C3", *handling_row("special"), "V2", "FCO", "entry", "2025-03-01T10:00:00Z", "air", "BK1", "+393471234567"],
        ["C4", *handling_row(), "E", "FCO", "entry", "2025-04-01T10:00:00Z", "air", "BK2", ""],
        ["C5", *handling_row("special"), "V3", "FCO", "entry", "2025-04-01T10:00:00Z", "air", "BK2", "+393471234567"],
        ["C6", *handling_row("special"), "V4", "FCO", "entry", "2025-04-01T10:00:00Z", "air", "BK2", ""],
        ["C7", *handling_row(), "M1", "FCO", "entry", "2025-05-01T10:00:00Z", "air", "FAM1", "+306912438485"],
        ["C8", *handling_row(), "M2", "FCO", "entry", "2025-05-01T10:00:00Z", "air", "FAM1", "+306912438485"],
        ["C9", *handling_row(), "X", "FCO", "entry", "2025-05-01T10:00:00Z", "air", "", ""],
    ]
    run(node, write_csv(folder / "travel.csv", TRAVEL, crossings), "travel_events")


def person_keys(node: Node) -> dict[str, str]:
    """Source key (``R``, ``V1`` ...) -> the graph's node key of the record (``person:<id>``)."""
    with transaction(node.engine) as session:
        rows = session.execute(select(PersonRecord.source_key, PersonRecord.id))
        return {key: f"person:{rid}" for key, rid in rows}
