"""Structured logging: every library log line is an ``event`` with key=value fields, never ``print``."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import structlog

_configured = False


def _stderr_logger(*_args: object) -> structlog.PrintLogger:
    """A logger on the *current* ``sys.stderr`` (not the one at configure time, which a test runner may close)."""
    return structlog.PrintLogger(file=sys.stderr)


def configure(level: str = "INFO", json: bool = False) -> None:
    """Set up structlog once for the process. Library code only calls :func:`get_logger`."""
    global _configured
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.processors.KeyValueRenderer(key_order=["event"])
    )
    logging.basicConfig(level=level, stream=sys.stderr, format="%(message)s")
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level.upper()]),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )
    _configured = True


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    if not _configured:
        configure("WARNING")
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger


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
