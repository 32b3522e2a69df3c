"""Make a process's first screening as fast as its hundredth: load what screening keeps in memory before traffic.

The server calls :func:`warm_screening` at start-up (``/readyz`` answers 503 until it is done); the CLI needs no
warm-up (it screens once). Nothing here reads personal data for anyone or leaves anything in the store:

1. it loads the name-symbol table (or rigour's tagger), compiles ICU's transliteration of the scripts it handles
   (``palermo.names.transliterate.warm``) and assesses one made-up traveller read-only, which loads
   the parameter files, taxonomies, candidate index and lost/stolen registry on the way; then it scores the
   traveller against a made-up entry in memory, so that the path of a hit (person score, name explanation, the
   hit's reasons and answer) has run too;
2. it rehearses what a screening request reads and writes, in one transaction that is rolled back: the token
   look-up (of a token that does not exist), the token's last-use stamp (of no row), a hit's watchlist entries (of
   no id), the access check and its audit entry, and an alert. The request's commit runs inside a savepoint so
   that the audit append (made at commit) is rehearsed too; the outer rollback then gives the audit sequence
   number back and leaves no entry, alert or stamp.

So every query, compiled statement and answer serialiser of a screening request exists before the first real
traveller (SQLAlchemy compiles each statement on first use: about 10 ms of a first request). Steps 1 (the hit) and
2 run :data:`REHEARSALS` times, so that the interpreter has specialised their code too.
"""

from __future__ import annotations

import datetime as dt
import time
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy.orm import Session

from palermo.alerts.lifecycle import AlertSubject, open_alert
from palermo.auth.actor import Actor
from palermo.auth.justification import Justification
from palermo.auth.tokens import resolve_token, stamp_last_use
from palermo.errors import NotAuthenticated
from palermo.logs import get_logger
from palermo.names.symbols import warm as warm_symbols
from palermo.names.transliterate import warm as warm_transliteration
from palermo.node import Node
from palermo.screening.candidate_index.index import ScoredCandidate
from palermo.screening.candidate_index.node_cache import resources_for
from palermo.screening.person_score import EntryFacts
from palermo.screening.requests import ScreeningRequest
from palermo.screening.risk.model import RiskScore
from palermo.screening.scoring_config import default_screening_config
from palermo.screening.service import Assessment, assess, entry_facts, rank_hits, screen, traveller_of
from palermo.taxonomies import taxonomy

log = get_logger(__name__)

_WARM_NAME = "Palermo Warmup"
# Each path runs this many times: CPython (3.11+) specialises a function's bytecode only after it has run a few
# times, so a path run once is still slower on its next few runs (the first real requests were 1.5 times slower
# than the hundredth with one rehearsal).
REHEARSALS = 12


@dataclass(frozen=True)
class WarmReport:
    symbols: str  # "table" or "tagger"
    index_entries: int
    seconds: float


def warm_screening(node: Node) -> WarmReport:
    """Load everything the first screening of this process would otherwise load while a traveller waits."""
    started = time.perf_counter()
    symbols = warm_symbols()
    warm_transliteration()
    request = ScreeningRequest(names=[_WARM_NAME], birth_date="1980", nationality="ITA", border_point="WARM")
    with Session(node.engine) as session:
        resources = resources_for(node.home, session)
        found = assess(session, request, home=node.home, at=dt.datetime.now(dt.UTC))
        session.rollback()
    found.result(alert_id=None, elapsed_ms=0.0).model_dump_json()
    for _ in range(REHEARSALS):
        rehearse_hit(request, found.risk)
        rehearse_request(node, request)
    report = WarmReport(symbols, len(resources.index), time.perf_counter() - started)
    log.info("screening.warm", symbols=report.symbols, entries=report.index_entries, seconds=round(report.seconds, 3))
    return report


def rehearse_request(node: Node, request: ScreeningRequest) -> None:
    """A screening request's reads and writes, as a booth's would run them, rolled back (see the module docstring)."""
    now = dt.datetime.now(dt.UTC)
    basis = taxonomy("legal_bases").ids[0]
    actor = Actor(
        name="system:warm-up",
        kind="token",
        role="border_officer",
        agency_code=node.agency_code,
        justification=Justification("legal_basis", basis),
    )
    with node.engine.connect() as connection:
        outer = connection.begin()
        try:
            with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
                with suppress(NotAuthenticated):
                    resolve_token(session, "palermo-warm-up-is-no-token")
                stamp_last_use(session, 0, now)
                entry_facts(session, [0], now.date())  # a hit's watchlist entries
                screen(session, actor, request, home=node.home)
                open_alert(
                    session,
                    actor.name,
                    kind="screening",
                    subject=AlertSubject(),
                    decision="refer",
                    score=0.0,
                    explanation=[],
                )
                session.commit()  # the savepoint: the commit hooks (audit append) run, nothing is kept
        finally:
            outer.rollback()


def rehearse_hit(request: ScreeningRequest, risk: RiskScore) -> None:
    """Score ``request``'s traveller against a made-up entry of the same name, in memory, and serialise the answer."""
    config = default_screening_config()
    traveller = traveller_of(request, None)
    name = traveller.names[0]
    entry = EntryFacts(
        entry_id=0,
        source_key="warm-up",
        watchlist="warm-up",
        category="suspect",
        names=[name],
        birth_date=traveller.birth_date,
        nationalities=list(traveller.nationalities),
        sex=None,
        document_numbers=[],
        reason="warm-up",
        handling="H1",
    )
    hits = rank_hits(traveller, [entry], {0: ScoredCandidate(0, 1.0, name, name)}, config)
    found = Assessment(
        verdict="refer",
        score=1.0,
        reasons=[],
        hits=hits,
        indicators=[],
        risk=risk,
        document_checks=None,
        traveller=traveller,
    )
    found.result(alert_id=0, elapsed_ms=0.0).model_dump_json()
