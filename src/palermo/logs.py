"""Structured logging: every library log line is an ``event`` with key=value fields, never ``print``."""

from __future__ import annotations

import logging
import sys

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
