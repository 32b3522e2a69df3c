"""Building the candidate index from the store's watchlist entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.bulk_work import fewer_collections
from palermo.db.watchlists import WatchlistEntry
from palermo.screening.candidate_index.index import CandidateIndex, IndexEntry
from palermo.screening.candidate_index.parameters import IndexConfig

BATCH = 5000


def entry_names(names: list[dict[str, Any]], *, weak: bool = False) -> list[str]:
    """The name strings of a ``WatchlistEntry.names`` list (``name`` or ``full_name`` of each item): the names
    matched as names, or with ``weak`` the weak aliases (kind ``weak``, matched only exactly)."""
    found = []
    for item in names or []:
        text = item.get("name") or item.get("full_name")
        if isinstance(text, str) and text.strip() and (item.get("kind") == "weak") == weak:
            found.append(text)
    return found


def birth_year(birth_date: str | None) -> int | None:
    """The year of a partial ISO date (``1980``, ``1980-05``, ``1980-05-17``), else ``None``."""
    if birth_date and len(birth_date) >= 4 and birth_date[:4].isdigit():
        return int(birth_date[:4])
    return None


#: what the index reads of an entry: selected as columns, not as entities (at 1M entries, building the ORM objects
#: and decoding their other JSON columns was a quarter of the index build)
INDEX_COLUMNS = (WatchlistEntry.id, WatchlistEntry.names, WatchlistEntry.birth_date, WatchlistEntry.document_numbers)


def index_entry(row: Any) -> IndexEntry:
    """The index entry of a row of :data:`INDEX_COLUMNS` (or a ``WatchlistEntry``)."""
    return IndexEntry(
        row.id,
        entry_names(row.names),
        birth_year(row.birth_date),
        list(row.document_numbers or []),
        weak_names=entry_names(row.names, weak=True),
    )


def current_entries(session: Session, today: dt.date | None = None) -> Iterator[IndexEntry]:
    """Every watchlist entry that has not expired on ``today`` (default: the current UTC date)."""
    today = today or dt.datetime.now(dt.UTC).date()
    query = (
        select(*INDEX_COLUMNS)
        .where(WatchlistEntry.current_on(today))
        .order_by(WatchlistEntry.id)
        .execution_options(yield_per=BATCH)
    )
    for row in session.execute(query):
        yield index_entry(row)


def build_from_store(
    session: Session, today: dt.date | None = None, config: IndexConfig | None = None
) -> CandidateIndex:
    """A candidate index of the store's current (not expired) watchlist entries."""
    with fewer_collections():  # the index keeps what it builds: collections would find no garbage
        return CandidateIndex.build(current_entries(session, today), config)
