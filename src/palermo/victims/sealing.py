"""Field-level encryption of victim data at rest: AES-256-GCM, the row's table, column and id as associated data.

A sealed field is stored as ``pv1.<key id>.<base64url(nonce || ciphertext || tag)>`` with a fresh 96-bit nonce per
write. The associated data ``<table>.<column>.<row id>`` binds the ciphertext to its place: a value copied to
another row or column does not open. JSON fields (a case's subject, an assessment's outcome) are sealed as their
JSON text; ``None`` stays ``None`` (the store shows that a note is absent, never what it says).

Which fields are sealed (docs/victims.md, "Encryption at rest") is :data:`SEALED_FIELDS`; rows are written with a
placeholder first, because the id that the associated data names exists only once the row is inserted, and sealed
in the same transaction (:func:`seal_fields`).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session

from palermo.db.victims import VictimAssessment, VictimCase, VictimConsent, VictimObservation, VictimReferral
from palermo.errors import ConfigurationError
from palermo.victims.field_key import FieldKey, Keyring, keyring_for

PREFIX = "pv1"
NONCE_BYTES = 12
PENDING = ""  # what a sealed column holds between the insert and the seal, inside one transaction

#: table -> its sealed columns (the ORM attribute is ``sealed_<column>``)
SEALED_FIELDS: dict[str, tuple[str, ...]] = {
    "victim_cases": ("subject", "note"),
    "victim_assessments": ("outcome", "note", "revision_reason"),
    "victim_observations": ("indicator_id", "note"),
    "victim_consents": ("informed_in", "note", "withdrawal_note"),
    "victim_referrals": ("note", "legal_basis_note"),
}
JSON_FIELDS = {("victim_cases", "subject"), ("victim_assessments", "outcome")}
SealedRow = VictimCase | VictimAssessment | VictimObservation | VictimConsent | VictimReferral
MODELS: tuple[type[SealedRow], ...] = (VictimCase, VictimAssessment, VictimObservation, VictimConsent, VictimReferral)


def _aad(table: str, column: str, row_id: int) -> bytes:
    return f"{table}.{column}.{row_id}".encode()


def seal_text(key: FieldKey, table: str, column: str, row_id: int, text: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key.secret).encrypt(nonce, text.encode(), _aad(table, column, row_id))
    return f"{PREFIX}.{key.kid}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def open_text(ring: Keyring, table: str, column: str, row_id: int, stored: str) -> str:
    prefix, _, rest = stored.partition(".")
    kid, _, body = rest.partition(".")
    if prefix != PREFIX or not kid or not body:
        raise ConfigurationError(
            f"{table}.{column} of row {row_id} is not sealed (run `palermo db upgrade`); it is not shown in clear"
        )
    try:
        raw = base64.urlsafe_b64decode(body)
        return (
            AESGCM(ring.find(kid).secret)
            .decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(table, column, row_id))
            .decode()
        )
    except (InvalidTag, binascii.Error, ValueError):
        raise ConfigurationError(
            f"{table}.{column} of row {row_id} does not open with key {kid!r}: the data was altered or moved"
        ) from None


def seal_value(key: FieldKey, table: str, column: str, row_id: int, value: Any) -> str | None:
    if value is None:
        return None
    text = json.dumps(value, ensure_ascii=False, sort_keys=True) if (table, column) in JSON_FIELDS else str(value)
    return seal_text(key, table, column, row_id, text)


def open_value(ring: Keyring, table: str, column: str, row_id: int, stored: str | None) -> Any:
    if stored is None:
        return None
    text = open_text(ring, table, column, row_id, stored)
    return json.loads(text) if (table, column) in JSON_FIELDS else text


def seal_fields(session: Session, row: SealedRow, **values: Any) -> None:
    """Seal ``values`` (column -> clear value) into ``row``, flushing first when the row has no id yet."""
    table = row.__tablename__
    unknown = set(values) - set(SEALED_FIELDS[table])
    assert not unknown, f"{table} has no sealed column {unknown}"
    key = keyring_for(session).current
    if row.id is None:
        for column, value in values.items():  # a placeholder, never the clear value: the row needs its id first
            setattr(row, f"sealed_{column}", None if value is None else PENDING)
        session.add(row)
        session.flush()
    for column, value in values.items():
        setattr(row, f"sealed_{column}", seal_value(key, table, column, row.id, value))


def opened(session: Session, row: SealedRow, column: str) -> Any:
    """The clear value of ``row``'s sealed ``column`` (the caller has guarded the read)."""
    table = row.__tablename__
    assert column in SEALED_FIELDS[table], f"{table}.{column} is not sealed"
    return open_value(keyring_for(session), table, column, row.id, getattr(row, f"sealed_{column}"))
