"""Make a process's first screening as fast as its hundredth: load what screening keeps in memory before traffic.

The server calls :func:`warm_screening` at start-up (``/readyz`` answers 503 until it is done); the CLI needs no
warm-up (it screens once). Nothing here reads personal data for anyone or writes to the store: it loads the
name-symbol table (or rigour's tagger) and assesses one made-up traveller read-only, which loads the parameter
files, taxonomies, candidate index and lost/stolen registry on the way (no access check, no audit entry, no alert:
the transaction is rolled back and the answer discarded), so that every query, compiled statement and answer
serialiser of a screening exists before the first real traveller.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from palermo.logs import get_logger
from palermo.names.symbols import warm as warm_symbols
from palermo.node import Node
from palermo.screening.requests import ScreeningRequest
from palermo.screening.runtime import resources_for
from palermo.screening.service import assess

log = get_logger(__name__)

_WARM_NAME = "Palermo Warmup"


@dataclass(frozen=True)
class WarmReport:
    symbols: str  # "table" or "tagger"
    index_entries: int
    seconds: float


def warm_screening(node: Node) -> WarmReport:
    """Load everything the first screening of this process would otherwise load while a traveller waits."""
    started = time.perf_counter()
    symbols = warm_symbols()
    request = ScreeningRequest(names=[_WARM_NAME], birth_date="1980", nationality="ITA", border_point="WARM")
    with Session(node.engine) as session:
        resources = resources_for(node.home, session)
        found = assess(session, request, home=node.home, at=dt.datetime.now(dt.UTC))
        session.rollback()
    found.result(alert_id=None, elapsed_ms=0.0).model_dump_json()
    report = WarmReport(symbols, len(resources.index), time.perf_counter() - started)
    log.info("screening.warm", symbols=report.symbols, entries=report.index_entries, seconds=round(report.seconds, 3))
    return report
