"""Rotation of the victim field key: every sealed field re-sealed under a new key, then the old key is gone.

The new key is written to ``victim-fields.key.next`` first; every sealed field of every victim table is opened and
sealed again under it in one transaction; only after the commit does the new key replace the old file. A rotation
cut short anywhere leaves every field readable: before the commit the fields are still under the old key, after it
the ``.next`` file is part of the key ring until it is moved into place (a second ``rekey`` finishes the job).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.logs import get_logger
from palermo.victims.field_key import key_path, load_keyring, new_field_key, next_key_path, write_key
from palermo.victims.sealing import MODELS, SEALED_FIELDS, SealedRow, open_value, seal_value

log = get_logger(__name__)


class RekeyReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    old_key: str
    new_key: str
    fields: dict[str, int]  # table -> fields re-sealed (absent values not counted)


def prepare_next_key(home: Path) -> str:
    """The next key's id, writing the key first when no rotation is under way (a cut-short one is resumed)."""
    following = next_key_path(home)
    if not following.exists():
        write_key(following, new_field_key())
    ring = load_keyring(home)
    return ring.others[0].kid


def reseal_all(session: Session, actor: Actor, home: Path, new_kid: str) -> RekeyReport:
    """Open every sealed field and seal it under the key ``new_kid`` (``victims.rekey``)."""
    guard(session, actor, "victims.rekey", subject="victim_field_key")
    ring = load_keyring(home)
    new = ring.find(new_kid)
    counts: dict[str, int] = {}
    for model in MODELS:
        table = model.__tablename__
        counts[table] = 0
        rows: list[SealedRow] = list(session.scalars(select(model)))
        for row in sorted(rows, key=lambda r: r.id):
            for column in SEALED_FIELDS[table]:
                clear = open_value(ring, table, column, row.id, getattr(row, f"sealed_{column}"))
                if clear is not None:
                    setattr(row, f"sealed_{column}", seal_value(new, table, column, row.id, clear))
                    counts[table] += 1
    session.flush()
    return RekeyReport(old_key=ring.current.kid, new_key=new_kid, fields=counts)


def finish_rotation(home: Path) -> None:
    """Put the next key in place of the old one (after the re-sealing committed)."""
    next_key_path(home).replace(key_path(home))
    log.info("victim_field_key_rotated", home=str(home))
