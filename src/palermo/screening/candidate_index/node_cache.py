"""What screening holds in memory per node: the candidate index and the lost/stolen registry, kept current.

The index lives in ``home/index`` (``files.py``). A watchlist load or removal updates it in place
(:func:`refresh_index`: remove changed entries, add their current versions, save), and every process reloads it
when the saved files are newer than its copy (:func:`resources_for`), so the CLI, the API and the replay agree.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from palermo.db.engine import after_commit, in_chunks
from palermo.db.watchlists import WatchlistEntry
from palermo.documents import LostStolenRegistry
from palermo.errors import NotFound
from palermo.logs import get_logger
from palermo.screening.candidate_index.files import ARRAYS, index_folder, load_index, save_index
from palermo.screening.candidate_index.from_store import INDEX_COLUMNS, build_from_store, index_entry
from palermo.screening.candidate_index.index import CandidateIndex

log = get_logger(__name__)
LOCK = "refresh.lock"


@dataclass
class Resources:
    """The in-memory index and registry of one node home, with the file times they were read at."""

    index: CandidateIndex
    registry: LostStolenRegistry
    index_stamp: float
    registry_stamp: float


_cache: dict[Path, Resources] = {}
_lock = threading.Lock()


def _stamp(path: Path) -> float:
    return path.stat().st_mtime_ns if path.exists() else 0.0


def _registry_stamp(home: Path) -> float:
    return _stamp(home / "registry" / "meta.json")


def _index_stamp(home: Path) -> float:
    return _stamp(index_folder(home) / ARRAYS)


def refresh_index(session: Session, home: Path, changed: list[int], removed: list[int]) -> None:
    """Bring the saved index up to date with the store for these entry ids, once ``session`` commits.

    Done after the commit, so that a rolled-back load never reaches the index, and under a lock on the index folder
    with the entries read as committed then, so that two processes refreshing at once (a partner's notices arriving
    while a list loads) neither lose the other's update nor apply them out of order. When the index cannot be
    written, it is removed (and logged): the next screening rebuilds it from the store rather than miss the change.
    """
    engine = session.get_bind()
    after_commit(session, lambda: _refresh_committed(engine, home, sorted({*changed}), sorted({*removed})))


def _refresh_committed(engine: Engine | Connection, home: Path, changed: list[int], removed: list[int]) -> None:
    folder = index_folder(home)
    if not changed and not removed and (folder / ARRAYS).is_file():
        return
    try:
        with _folder_lock(folder), Session(engine) as session:
            try:
                index = load_index(folder)
            except NotFound:
                save_index(build_from_store(session), folder)
                return
            for entry_id in {*changed, *removed}:
                if index.contains(entry_id):
                    index.remove(entry_id)
            current = WatchlistEntry.current_on(dt.datetime.now(dt.UTC).date())
            for chunk in in_chunks(changed):
                for row in session.execute(select(*INDEX_COLUMNS).where(WatchlistEntry.id.in_(chunk), current)):
                    index.add(index_entry(row))
            save_index(index, folder)
    except (OSError, DBAPIError) as exc:
        log.error("index_refresh_failed", folder=str(folder), error=str(exc), action="index removed; rebuilt on use")
        (folder / ARRAYS).unlink(missing_ok=True)
        return
    log.info("index_refreshed", changed=len(changed), removed=len(removed), entries=len(index))


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the index folder, between threads and processes (``flock`` on a lock file in it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def rebuild_index(session: Session, home: Path) -> CandidateIndex:
    """Build the index from the store's current entries and save it (after expiries, or to start afresh), under the
    refreshes' lock: a rebuild that read the store before a refresh saved must not overwrite it afterwards."""
    folder = index_folder(home)
    with _folder_lock(folder):
        index = build_from_store(session)
        save_index(index, folder)
    return index


def resources_for(home: Path, session: Session | None = None) -> Resources:
    """The node's index and registry, loaded once per process and reloaded when their files change."""
    with _lock:
        cached = _cache.get(home)
        index_stamp, registry_stamp = _index_stamp(home), _registry_stamp(home)
        if cached is not None and cached.index_stamp == index_stamp and cached.registry_stamp == registry_stamp:
            return cached
        index = cached.index if cached is not None and cached.index_stamp == index_stamp else _open_index(home, session)
        registry = LostStolenRegistry.open(home)
        resources = Resources(index, registry, _index_stamp(home), registry_stamp)
        _cache[home] = resources
        return resources


def _open_index(home: Path, session: Session | None) -> CandidateIndex:
    try:
        return load_index(index_folder(home))
    except NotFound:
        if session is None:
            return CandidateIndex()
        return rebuild_index(session, home)


def forget(home: Path) -> None:
    """Drop the cached resources of ``home`` (tests, and after a node home is removed)."""
    with _lock:
        _cache.pop(home, None)
