"""victims: seal victim data at rest, field by field (AES-256-GCM under the node's victim field key)

The columns docs/victims.md lists ("Encryption at rest") become text holding ``pv1.<key id>.<sealed>``; rows already
in the store are sealed here, in the migration's transaction. The key is the node's
(``<home>/keys/victim-fields.key``), created when the node has none: ``palermo db upgrade`` and ``palermo init`` hand
the node home in. A store with victim rows migrated without its home is refused (nothing is left in clear).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 12:40:00
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from palermo.errors import ConfigurationError
from palermo.victims.field_key import ensure_field_key, load_keyring
from palermo.victims.sealing import JSON_FIELDS, SEALED_FIELDS, open_value, seal_value

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

#: sealed columns whose type changes to text (the others were text already); and what they were
RETYPED: dict[tuple[str, str], str] = {
    ("victim_cases", "subject"): "JSON",
    ("victim_assessments", "outcome"): "JSON",
    ("victim_observations", "indicator_id"): "VARCHAR(64)",
    ("victim_consents", "informed_in"): "VARCHAR(64)",
}


Converter = Callable[[str, str, int, Any], str | None]


def _rows(connection: sa.Connection, table: str, columns: tuple[str, ...]) -> list[sa.Row[Any]]:
    return list(connection.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")))


def _keyring_home(connection: sa.Connection) -> Path | None:
    has_rows = any(connection.execute(sa.text(f"SELECT 1 FROM {t} LIMIT 1")).first() for t in SEALED_FIELDS)
    home = context.config.attributes.get("home")
    if has_rows and home is None:
        raise ConfigurationError(
            "this store holds victim data, which migration 0018 seals under the node's victim field key: run it with "
            "`palermo db upgrade` (PALERMO_HOME set to the node's home)"
        )
    return Path(home) if home is not None and has_rows else None


def _clear(table: str, column: str, value: Any) -> Any:
    """A stored clear value as Python: JSON columns read back as text on SQLite and parsed on PostgreSQL."""
    return json.loads(value) if (table, column) in JSON_FIELDS and isinstance(value, str) else value


def _rewrite(connection: sa.Connection, convert: Converter, new_type: Callable[[str], str]) -> None:
    """Each sealed column: a new column of ``new_type``, every value converted into it, the old column replaced."""
    for table, columns in SEALED_FIELDS.items():
        values = {row[0]: row[1:] for row in _rows(connection, table, columns)}
        for index, column in enumerate(columns):
            retyped = (table, column) in RETYPED
            target, kind = (f"{column}__new", new_type(RETYPED[(table, column)])) if retyped else (column, "TEXT")
            if retyped:
                empty = "'{}'" if kind == "JSON" else "''"
                op.execute(f"ALTER TABLE {table} ADD COLUMN {target} {kind} NOT NULL DEFAULT {empty}")
            value = f"CAST(:value AS {kind})" if connection.dialect.name == "postgresql" else ":value"
            update = sa.text(f"UPDATE {table} SET {target} = {value} WHERE id = :id")
            for row_id, row in values.items():
                connection.execute(update, {"value": convert(table, column, row_id, row[index]), "id": row_id})
            if retyped:
                op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
                op.execute(f"ALTER TABLE {table} RENAME COLUMN {target} TO {column}")
                if connection.dialect.name == "postgresql":
                    op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")


def upgrade() -> None:
    connection = op.get_bind()
    home = _keyring_home(connection)
    key = ensure_field_key(home) if home is not None else None

    def seal(table: str, column: str, row_id: int, value: Any) -> str | None:
        assert key is not None  # rows exist only when the home is known (_keyring_home)
        return seal_value(key, table, column, row_id, _clear(table, column, value))

    _rewrite(connection, seal, new_type=lambda _old: "TEXT")


def downgrade() -> None:
    connection = op.get_bind()
    home = _keyring_home(connection)
    ring = load_keyring(home) if home is not None else None

    def unseal(table: str, column: str, row_id: int, value: Any) -> str | None:
        assert ring is not None
        clear = open_value(ring, table, column, row_id, value)
        return json.dumps(clear) if (table, column) in JSON_FIELDS and clear is not None else clear

    _rewrite(connection, unseal, new_type=lambda old: old)
