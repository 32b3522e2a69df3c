"""One-line factories for accounts: users with a known password, tokens, person records, the access decisions logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import structlog
import structlog.testing
from sqlalchemy import select

from palermo.auth import tokens, users
from palermo.auth.actor import Actor, cli_actor, user_actor
from palermo.db.engine import transaction
from palermo.db.reference import Agency
from palermo.node import Node
from palermo.sharing.partners import _service_account
from tests.ingest.helpers import run, write_csv

PASSWORD = "correct horse battery staple"


def operator(node: Node) -> Actor:
    return cli_actor("cli:tester", node.agency_code)


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


def add_persons(node: Node, tmp_path: Path, rows: list[list[str]], source: str = "src") -> None:
    """Person records through the real ingest pipeline; rows are [source_key, surname, given_names]."""
    header = ["source_key", "surname", "given_names", "birth_date", "sex", "nationalities"]
    path = write_csv(tmp_path / f"{source}.csv", header, [[*r, "1990-05-17", "F", "AUT"] for r in rows])
    run(node, path, "persons", source=source)


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
    saved = structlog.get_config()["wrapper_class"]
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    try:
        with structlog.testing.capture_logs() as entries:
            yield seen
    finally:
        structlog.configure(wrapper_class=saved)
    fields = ("actor", "permission", "granted", "subject", "justification")
    seen.extend(LoggedAccess(*(e[f] for f in fields)) for e in entries if e["event"] == "access")
