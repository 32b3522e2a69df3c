"""Engines and sessions for the two supported stores: SQLite (embedded default) and PostgreSQL.

Concurrency is designed in, not retried (docs/concurrency.md):

* SQLite runs in WAL mode with a busy timeout on every connection, so readers never wait for the writer and a
  writer waits its turn instead of failing. SQLite allows one writer at a time, and a transaction that has read
  cannot later take the write lock if anyone committed meanwhile (``database is locked`` at once, whatever the
  timeout). So a transaction here *reads without locking* and, at its first write, ends its read snapshot and takes
  the write lock with ``BEGIN IMMEDIATE`` (waiting up to the busy timeout); from then on it is serialised with every
  other writer until it commits. That is PostgreSQL's READ COMMITTED seen from the code: read-then-write decisions
  must be one atomic statement (``UPDATE ... SET n = n + 1 RETURNING n``) or run in :func:`write_transaction`,
  which holds the write lock from its first statement.
* Writers of one process queue for SQLite's write lock on a Python lock (:class:`_WriterTurn`), handed to the
  next writer the moment the previous one commits. Left to SQLite, a writer that finds the lock taken sleeps in
  its busy handler (1, 2, 5, 10 ... up to 100 ms a try, whatever happened meanwhile), and a request thread that
  holds the lock can lose the GIL to dozens of such threads: the queue grew seconds-long tails at 50 clients.
  Between processes (``palermo serve --workers``, the CLI beside the server) the writer whose process's turn it is
  takes an ``flock`` on ``FILE-writer.lock`` (:class:`_WriterFileLock`) before SQLite's lock, rather than
  sleeping in SQLite's busy handler.
* PostgreSQL goes through psycopg 3 with a connection pool sized by ``PALERMO_DATABASE_POOL_SIZE``. A transaction
  reads without one (autocommit: each statement on its own, as READ COMMITTED would run it) and sends ``BEGIN`` just
  before its first write, so a request that only reads saves two round trips (:func:`_begin_at_first_write`).

Write work that every request does (the audit append, a token's last use) runs at commit (:func:`on_commit`), so a
request holds SQLite's write lock, or PostgreSQL's audit counter row, for a millisecond rather than for its whole
duration.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from palermo.errors import ConfigurationError

SUPPORTED_DIALECTS = ("sqlite", "postgresql")
BUSY_TIMEOUT_MS = 30_000
WRITE_OPTION = "palermo_write"  # execution option: a transaction that takes the write lock at once
_WRITING = "palermo_writing"  # the transaction has written (or holds the write lock)
_TURN = "palermo_sqlite_turn"
_ON_COMMIT = "palermo_on_commit"
_AFTER_COMMIT = "palermo_after_commit"
IN_BATCH = 500  # ids per IN (...) list
T = TypeVar("T")
_NOT_WRITES = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "RELEASE", "EXPLAIN")
_PG_IDLE = 0  # psycopg's pq.TransactionStatus.IDLE: no transaction open on the connection


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 driver opens transactions implicitly and not before a SAVEPOINT, so RELEASE of a savepoint
    # can commit the whole transaction. Take transaction control away from the driver and emit BEGIN ourselves
    # (the recipe in SQLAlchemy's SQLite dialect documentation), so savepoints nest and a batch commits whole.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache: index maintenance during bulk ingest
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


class _WriterTurn:
    """One writer at a time among one engine's connections, handed over as soon as the holder's transaction ends.

    Taken just before SQLite's write lock is (``BEGIN IMMEDIATE``), given back once the ``COMMIT`` or ``ROLLBACK``
    has run: SQLAlchemy's ``commit``/``rollback`` events fire before the driver's call, so those handlers end the
    transaction themselves (the driver's own call then finds none open and does nothing). Waiting is bounded by the
    busy timeout, and then fails as SQLite itself would (``database is locked``).
    """

    def __init__(self, between_processes: _WriterFileLock | None = None) -> None:
        self._lock = threading.Lock()
        self._between_processes = between_processes

    def take(self, connection: Any) -> None:
        if connection.info.get(_TURN):
            return
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        if not self._lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError("database is locked")
        try:
            if self._between_processes is not None and not self._between_processes.acquire(deadline):
                raise sqlite3.OperationalError("database is locked")
        except BaseException:
            self._lock.release()
            raise
        connection.info[_TURN] = True

    def give_back(self, info: dict[str, Any]) -> None:
        if info.pop(_TURN, False):
            if self._between_processes is not None:
                self._between_processes.release()
            self._lock.release()

    def begin(self, connection: Any) -> None:
        immediate = bool(connection.get_execution_options().get(WRITE_OPTION))
        connection.info[_WRITING] = immediate
        if immediate:
            self.take(connection)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    def before_write(
        self, connection: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _executemany: bool
    ) -> None:
        """Before a transaction's first write: end its read snapshot, wait for the write lock (module docstring)."""
        if connection.info.get(_WRITING, True) or not connection.in_transaction() or not _is_write(statement, context):
            return
        connection.info[_WRITING] = True
        self.take(connection)
        raw = connection.connection.dbapi_connection
        raw.execute("COMMIT")  # nothing written yet: this only ends the read snapshot
        raw.execute("BEGIN IMMEDIATE")

    def _end(self, connection: Any, verb: str) -> None:
        if not connection.info.get(_TURN):
            return
        try:
            raw = connection.connection.dbapi_connection
            if raw.in_transaction:
                raw.execute(verb)
        finally:
            self.give_back(connection.info)

    def commit(self, connection: Any) -> None:
        self._end(connection, "COMMIT")

    def rollback(self, connection: Any) -> None:
        self._end(connection, "ROLLBACK")

    def checkin(self, _dbapi_connection: Any, record: Any) -> None:
        """A connection back in the pool holds no turn (a transaction ended without its events, e.g. invalidated)."""
        self.give_back(record.info)

    def listen(self, engine: Engine) -> None:
        event.listen(engine, "begin", self.begin)
        event.listen(engine, "before_cursor_execute", self.before_write)
        event.listen(engine, "commit", self.commit)
        event.listen(engine, "rollback", self.rollback)
        event.listen(engine.pool, "checkin", self.checkin)


class _WriterFileLock:
    """The writer's turn between processes on one SQLite file: an exclusive ``flock`` on ``FILE-writer.lock``.

    Without it, a writer of one server worker that finds the write lock held by another worker sleeps in SQLite's
    busy handler (1, 2, 5, 10 ... ms a try, however soon the lock was freed). Only the thread holding its process's
    turn asks for this lock, so there is one waiter per process; it retries every 0.2 ms at first, backing off to
    2 ms, until the busy timeout. A process that dies holding it releases it (the kernel closes its descriptor).
    Writers that do not take it (an ``sqlite3`` shell) are still arbitrated by SQLite's own lock.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._pid = 0

    def _descriptor(self) -> int:
        if self._fd is None or self._pid != os.getpid():  # a forked child opens its own (locks follow descriptors)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self, deadline: float) -> bool:
        descriptor, delay = self._descriptor(), 0.0002
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
            time.sleep(delay)
            delay = min(delay * 2, 0.002)

    def release(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            fcntl.flock(self._fd, fcntl.LOCK_UN)


def _writer_file_lock(database: str | None) -> _WriterFileLock | None:
    """The cross-process writer lock of a SQLite file (none for an in-memory database)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return _WriterFileLock(Path(f"{database}-writer.lock"))


def _begin_at_first_write(engine: Engine) -> None:
    """PostgreSQL: read without a transaction, ``BEGIN`` just before the first write (module docstring).

    The connections are in autocommit mode, so a statement that only reads runs on its own, as it would in a READ
    COMMITTED transaction (each statement there sees the data committed when it starts), without the ``BEGIN``
    and ``COMMIT`` round trips: a booth's consultation, which writes nothing but its audit entry (appended by
    :mod:`palermo.audit.group_commit`), makes two statements instead of four. ``BEGIN`` is sent just before the
    first statement that writes (or takes a savepoint, a lock, a setting: anything not a plain read) and before a
    read through a server-side cursor (``yield_per``: PostgreSQL declares those only in a transaction); from there
    on the transaction is an ordinary one: its reads see its writes, and the session's commit or rollback ends it
    (psycopg sends ``COMMIT``/``ROLLBACK`` when a transaction is open, nothing otherwise). :data:`WRITE_OPTION`
    begins at once. Each connection's info says whether its transaction has written (:func:`writes_nothing`).
    """

    def begin(connection: Any) -> None:
        connection.info[_WRITING] = False
        if connection.get_execution_options().get(WRITE_OPTION):
            _begin_now(connection)

    def before_execute(
        connection: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _executemany: bool
    ) -> None:
        if connection.info.get(_WRITING, True) or not connection.in_transaction():
            return
        if _is_write(statement, context) or _streams(context):
            _begin_now(connection)

    event.listen(engine, "begin", begin)
    event.listen(engine, "before_cursor_execute", before_execute)


def _streams(context: Any) -> bool:
    """A read through a server-side cursor (``yield_per``, ``stream_results``): PostgreSQL needs a transaction."""
    return context is not None and bool(context.execution_options.get("stream_results"))


def _begin_now(connection: Any) -> None:
    connection.info[_WRITING] = True
    raw = connection.connection.dbapi_connection
    if raw.info.transaction_status == _PG_IDLE:
        raw.execute("BEGIN")


def _is_write(statement: str, context: Any) -> bool:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    return not statement.lstrip().upper().startswith(_NOT_WRITES)


def json_text(value: Any) -> str:
    """A JSON column's text: orjson, about ten times the standard library's encoder (a watchlist load writes four JSON
    columns a row, the audit log two an entry); the standard library for the little orjson refuses (integers beyond
    64 bits). Both stores read either's text the same (PostgreSQL parses it; SQLite keeps it as text)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(value)


def json_value(text: str) -> Any:
    """A JSON column's value: orjson, the standard library for what orjson refuses (``NaN`` written long ago)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def make_engine(url: str, *, pool_size: int = 10, **kwargs: Any) -> Engine:
    """An engine for ``url``; refuses dialects Palermo is not tested on."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"PALERMO_DATABASE_URL is not a database URL: {exc}") from None
    if parsed.get_backend_name() not in SUPPORTED_DIALECTS:
        raise ConfigurationError(
            f"unsupported database {parsed.get_backend_name()!r}; Palermo supports SQLite and PostgreSQL"
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.database not in (None, "", ":memory:"):  # a file or a server: pool_size kept open, as many again
        kwargs = {"pool_size": pool_size, "max_overflow": pool_size, **kwargs}
    if parsed.get_backend_name() == "postgresql":
        kwargs = {"isolation_level": "AUTOCOMMIT", **kwargs}  # transactions begin at the first write
    engine = create_engine(parsed, json_serializer=json_text, json_deserializer=json_value, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        _WriterTurn(_writer_file_lock(parsed.database)).listen(engine)
    else:
        _begin_at_first_write(engine)
        _ping_when_idle(engine)
    return engine


#: a pooled PostgreSQL connection that rested longer than this is pinged before it is handed out
PING_AFTER_IDLE_SECONDS = 5.0
_RESTING_SINCE = "palermo_resting_since"


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only when it has rested (SQLAlchemy's ``pool_pre_ping`` pings always).

    A ping is a round trip, and a booth's request makes two to six others (token, entries; audit counter and
    entry with begin and commit when it appends): pinging every checkout cost a screening a fifth of its CPU on
    PostgreSQL (when it made five). A connection in steady use
    is known to work; one that rested (a server restart, a firewall dropping idle connections) is pinged, and a
    dead one is replaced before the request sees it. A server that dies while connections are busy fails the
    requests in flight, which answer 503 (``palermo.api.errors``) and are retried by the client; the pool drops
    every connection of that server.
    """

    def rested(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        record.info[_RESTING_SINCE] = time.monotonic()

    def checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_RESTING_SINCE)
        if since is not None and time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # any failure: the pool replaces the connection and checks out another
            raise DisconnectionError(f"a pooled connection failed its ping: {exc}") from exc

    event.listen(engine, "connect", rested)
    event.listen(engine, "checkin", rested)
    event.listen(engine, "checkout", checked_out)


def connections_at_most(engine: Engine) -> int | None:
    """How many connections ``engine``'s pool opens at most (``None``: no limit).

    A caller that holds a connection while it waits for something else (a worker thread) must not let more holders
    in than this, or waiters for a connection can hold up the holders for good (see palermo.api.deps.get_session).
    """
    pool = engine.pool
    if isinstance(pool, QueuePool):
        return pool.size() + pool._max_overflow  # the limit it was built with (no public accessor)
    return None


_FACTORIES: weakref.WeakKeyDictionary[Engine, sessionmaker[Session]] = weakref.WeakKeyDictionary()
_FACTORIES_LOCK = threading.Lock()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """``engine``'s session maker, made once: a sessionmaker builds a Session subclass of its own, and with it an
    event dispatch, which cost every request more than its queries when made per request."""
    factory = _FACTORIES.get(engine)
    if factory is None:
        with _FACTORIES_LOCK:
            factory = _FACTORIES.setdefault(engine, sessionmaker(engine, expire_on_commit=False))
    return factory


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error."""
    with session_factory(engine)() as session, session.begin():
        yield session


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Session]:
    """Like :func:`transaction`, holding SQLite's write lock from the first statement (read-then-write logic)."""
    with transaction(engine.execution_options(**{WRITE_OPTION: True})) as session:
        yield session


def _run_on_commit(session: Session) -> None:
    while session.info.get(_ON_COMMIT):
        session.info[_ON_COMMIT].pop(0)(session)


def _forget_on_commit(session: Session, *_args: Any) -> None:
    root = session.get_transaction()
    if root is not None and root.is_active:  # a savepoint rolled back: the transaction goes on, its work with it
        return
    session.info.pop(_ON_COMMIT, None)
    session.info.pop(_AFTER_COMMIT, None)


def _run_after_commit(session: Session) -> None:
    while session.info.get(_AFTER_COMMIT):
        session.info[_AFTER_COMMIT].pop(0)()


# Listened to on the class once: a listener added to each session builds that session its own event dispatch,
# which cost every request more than the hooks themselves.
event.listen(Session, "before_commit", _run_on_commit)
event.listen(Session, "after_rollback", _forget_on_commit)
event.listen(Session, "after_commit", _run_after_commit)


def writes_nothing(session: Session) -> bool:
    """Whether committing ``session`` now would write nothing: no statement of its transaction has written, no
    ORM change waits to be flushed and no :func:`on_commit` work is queued (what commit-time hooks then add, such
    as audit entries, is all the commit would carry)."""
    if session.info.get(_ON_COMMIT) or session.new or session.dirty or session.deleted:
        return False
    if not session.in_transaction():
        return True
    return not session.connection().info.get(_WRITING, True)


def on_commit(session: Session, work: Callable[[Session], None]) -> None:
    """Run ``work(session)`` just before the session's transaction commits (dropped if it rolls back).

    For the short writes every request makes (the audit append, a token's last use): done last, they hold the
    write lock only for the moment the commit takes.
    """
    session.info.setdefault(_ON_COMMIT, []).append(work)


def after_commit(session: Session, work: Callable[[], None]) -> None:
    """Run ``work()`` once the session's transaction has committed (dropped if it rolls back).

    For what lives outside the database but must follow it, such as the screening index: done before the commit, a
    rollback would leave it describing rows that never existed. ``work`` cannot use the session (it has no
    transaction then); it opens its own when it must read.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(work)


def in_chunks(values: Sequence[T]) -> Iterator[list[T]]:
    """``values`` in lists short enough for one ``IN (...)`` (well under every store's limit on bound parameters)."""
    for start in range(0, len(values), IN_BATCH):
        yield list(values[start : start + IN_BATCH])
