"""One error hierarchy for the whole node.

Every error Palermo raises on purpose is a :class:`PalermoError`. Each subclass says what kind of problem it is
and which HTTP status the API answers with; the CLI maps the same classes to exit codes. Messages are written for
the person who has to fix the problem: what was wrong, where, and what was expected.
"""

from __future__ import annotations

from typing import Any, ClassVar


class PalermoError(Exception):
    """Base class of every deliberate Palermo error."""

    status_code: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1
    code: ClassVar[str] = "error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": self.code,
            "message": self.message,
            **({"details": self.details} if self.details else {}),
        }


class ConfigurationError(PalermoError):
    """A setting is missing, malformed or unsafe for the environment."""

    status_code = 500
    exit_code = 78  # EX_CONFIG
    code = "configuration"


class InvalidInput(PalermoError):
    """Input from a user or a file that cannot be accepted as it is."""

    status_code = 422
    exit_code = 2
    code = "invalid_input"


class PayloadTooLarge(PalermoError):
    """A request body larger than the node accepts (``PALERMO_MAX_REQUEST_BYTES``)."""

    status_code = 413
    exit_code = 2
    code = "payload_too_large"


class NotFound(PalermoError):
    """A named object (source, record, node home) does not exist."""

    status_code = 404
    exit_code = 3
    code = "not_found"


class Conflict(PalermoError):
    """The request contradicts the current state (e.g. a node already initialised)."""

    status_code = 409
    exit_code = 4
    code = "conflict"


class NotAuthenticated(PalermoError):
    """No valid credentials: no session, an unknown or expired token, or a wrong password."""

    status_code = 401
    exit_code = 5
    code = "not_authenticated"


class TooManyAttempts(PalermoError):
    """Login is locked for this user or client address after repeated failures."""

    status_code = 429
    exit_code = 5
    code = "too_many_attempts"


class PermissionDenied(PalermoError):
    """The actor may not perform this operation, or gave no justification where one is required."""

    status_code = 403
    exit_code = 5
    code = "permission_denied"


class StoreError(PalermoError):
    """The database is unreachable, or its schema is not at the version this code expects."""

    status_code = 503
    exit_code = 6
    code = "store"


class NotReady(PalermoError):
    """The node is starting: it is loading what screening keeps in memory and does not take traffic yet."""

    status_code = 503
    exit_code = 75  # EX_TEMPFAIL
    code = "not_ready"
