"""Structured logging: every library log line is an ``event`` with key=value fields, never ``print``."""

from __future__ import annotations

import io
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import structlog

LEVELS = logging.getLevelNamesMapping()

_lock = threading.Lock()
_wanted: tuple[str, bool] = ("WARNING", False)  # (level, json): what configure() asked for
_applied: tuple[str, bool] | None = None  # what structlog is configured with (None: not imported yet)
_threshold = LEVELS["WARNING"]


def _stderr_logger(*_args: object) -> structlog.PrintLogger:
    """A logger on the *current* ``sys.stderr`` (not the one at configure time, which a test runner may close)."""
    import structlog

    return structlog.PrintLogger(file=sys.stderr)


def configure(level: str = "INFO", json: bool = False) -> None:
    """Set the process's log level and format. Library code only calls :func:`get_logger`.

    structlog itself is imported and configured at the first event at or above the level: importing it (with the
    rich and asyncio modules it pulls in) is ~0.1 s of CPU, a tenth of a CLI call's start-up, and most calls log
    nothing at the default level (WARNING).
    """
    global _wanted, _threshold
    logging.basicConfig(level=level, stream=sys.stderr, format="%(message)s")
    with _lock:
        _wanted, _threshold = (level, json), LEVELS[level.upper()]
        if _applied is not None or "structlog" in sys.modules:  # already paid for: apply now
            _apply()


def configured() -> tuple[str, bool]:
    """The level and format :func:`configure` last set: ``(level, json)``."""
    return _wanted


def _apply() -> None:
    """Configure structlog as :func:`configure` asked (the caller holds ``_lock``)."""
    global _applied
    import structlog

    level, json = _wanted
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.processors.KeyValueRenderer(key_order=["event"])
    )
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(LEVELS[level.upper()]),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
    _applied = _wanted


class Logger:
    """A named logger: events below the configured level cost one comparison; the first one above it imports and
    configures structlog, which writes every event (key=value or JSON lines on stderr)."""

    __slots__ = ("_bound", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._bound: Any = None

    def _emit(self, level: int, method: str, event: str, fields: dict[str, Any]) -> None:
        if level < _threshold:
            return
        if self._bound is None:
            with _lock:
                if _applied is None:
                    _apply()
            import structlog

            self._bound = structlog.get_logger(self.name)
        getattr(self._bound, method)(event, **fields)

    def debug(self, event: str, **fields: Any) -> None:
        self._emit(logging.DEBUG, "debug", event, fields)

    def info(self, event: str, **fields: Any) -> None:
        self._emit(logging.INFO, "info", event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._emit(logging.WARNING, "warning", event, fields)

    def error(self, event: str, **fields: Any) -> None:
        self._emit(logging.ERROR, "error", event, fields)

    def exception(self, event: str, **fields: Any) -> None:
        self._emit(logging.ERROR, "exception", event, fields)


def get_logger(name: str) -> Logger:
    return Logger(name)


class _FolderMakingFileHandler(logging.FileHandler):
    """A file handler that creates its folder when it first writes (the folder may not exist yet)."""

    def _open(self) -> io.TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


@contextmanager
def library_logs_to(path: Path) -> Iterator[Path]:
    """Send third-party libraries' log records and Python warnings to ``path`` instead of the terminal.

    For commands whose output is a report a person reads (``palermo demo``): Splink's training notes and the like
    are kept, in the file, not mixed into the report. Palermo's own events (structlog) still go to stderr.
    """
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    handler = _FolderMakingFileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers = [handler]
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    try:
        yield path
    finally:
        logging.captureWarnings(False)
        root.handlers = saved_handlers
        root.setLevel(saved_level)
        handler.close()
