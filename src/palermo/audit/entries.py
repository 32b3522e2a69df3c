"""What one audit entry says, and its canonical serialisation: the bytes that become a Merkle leaf.

The leaf data of an entry is its *record* written as canonical JSON: an object with exactly the keys of
:data:`RECORD_KEYS`, keys sorted, no insignificant whitespace (separators ``,`` and ``:``), non-ASCII characters
written as themselves, encoded in UTF-8. ``logged_at`` is UTC with microseconds, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.
``v`` is the version of this format (1). The leaf hash is ``SHA-256(0x00 || leaf data)`` (RFC 9162).

The same record is what an export carries, so an oversight body recomputes every leaf hash with any JSON library
that can sort keys.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from palermo.audit.merkle import leaf_hash
from palermo.errors import InvalidInput, PermissionDenied
from palermo.taxonomies import taxonomy

FORMAT_VERSION = 1
RECORD_KEYS = (
    "v",
    "seq",
    "logged_at",
    "actor",
    "agency",
    "action",
    "objects",
    "justification",
    "result_count",
    "client_address",
    "details",
)


def canonical_json(value: Any) -> bytes:
    """Canonical JSON: sorted keys, compact separators, UTF-8, no NaN or infinity."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def utc_text(moment: dt.datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffffZ``; a naive datetime (as SQLite returns it) is taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"


def parse_utc(text: str) -> dt.datetime:
    """The inverse of :func:`utc_text`, returning an aware UTC datetime."""
    try:
        return dt.datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=dt.UTC)
    except ValueError:
        raise InvalidInput(f"not a UTC timestamp: {text!r}; expected YYYY-MM-DDTHH:MM:SS.ffffffZ") from None


class ObjectRef(BaseModel):
    """A reference to what an operation touched: ``type`` is a table or concept, ``id`` its identifier."""

    model_config = ConfigDict(frozen=True)

    type: str = Field(min_length=1, max_length=64)
    id: str = Field(min_length=1, max_length=200)


class AuditEvent(BaseModel):
    """An operation to log, as the caller describes it; :func:`palermo.audit.log.append` gives it seq and time."""

    model_config = ConfigDict(frozen=True)

    actor: str = Field(min_length=1, max_length=200, description="User id, or `cli:<os user>` for the CLI.")
    agency: str = Field(min_length=1, max_length=64)
    action: str = Field(description="An id of the `audit_actions` taxonomy.")
    objects: tuple[ObjectRef, ...] = ()
    justification: str | None = Field(None, max_length=200, description="Case reference or legal-basis code.")
    result_count: int | None = Field(None, ge=0)
    client_address: str | None = Field(None, max_length=100)
    details: dict[str, Any] = Field(default_factory=dict)

    @field_validator("actor", "agency", "justification", "client_address")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        if value is not None and "\x00" in value:
            raise ValueError("NUL characters cannot be stored")
        return value

    @field_validator("details")
    @classmethod
    def _json_round_trip(cls, value: dict[str, Any]) -> dict[str, Any]:
        """Keep details exactly as they will read back from the store, so the leaf hash is reproducible."""
        try:
            parsed: dict[str, Any] = json.loads(canonical_json(value))
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"details must be plain JSON (str, int, float, bool, null, lists, objects): {exc}"
            ) from None
        return parsed

    @model_validator(mode="after")
    def _known_action_and_justified(self) -> AuditEvent:
        term = taxonomy("audit_actions").require(self.action)
        if term.attributes.get("requires_justification") and not self.justification:
            raise PermissionDenied(
                f"a {self.action} of personal data needs a justification (case reference or legal-basis code); "
                "the CLI reads it from PALERMO_JUSTIFICATION"
            )
        return self


def build_record(
    seq: int,
    logged_at: dt.datetime | str,
    actor: str,
    agency: str,
    action: str,
    objects: list[dict[str, str]],
    justification: str | None,
    result_count: int | None,
    client_address: str | None,
    details: dict[str, Any],
) -> dict[str, Any]:
    """The record of one entry (the object whose canonical JSON is the leaf data)."""
    return {
        "v": FORMAT_VERSION,
        "seq": seq,
        "logged_at": logged_at if isinstance(logged_at, str) else utc_text(logged_at),
        "actor": actor,
        "agency": agency,
        "action": action,
        "objects": objects,
        "justification": justification,
        "result_count": result_count,
        "client_address": client_address,
        "details": details,
    }


def event_record(event: AuditEvent, seq: int, logged_at: dt.datetime) -> dict[str, Any]:
    objects = [{"type": o.type, "id": o.id} for o in event.objects]
    return build_record(
        seq,
        logged_at,
        event.actor,
        event.agency,
        event.action,
        objects,
        event.justification,
        event.result_count,
        event.client_address,
        event.details,
    )


def record_leaf_hash(record: dict[str, Any]) -> bytes:
    """The RFC 9162 leaf hash of a record."""
    return leaf_hash(canonical_json(record))
