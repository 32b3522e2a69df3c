"""The blocking index of resolved records, for incremental linking: a DuckDB file in the node home.

It holds every resolved record's comparison columns and one row per blocking key. The keys are made from the same
declared blocking rules Splink uses for batch prediction (rule number, then the values of its columns, one key
per element of an exploded array), so a new record meets exactly the records batch blocking would pair it with.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from palermo.resolution.config import ResolutionConfig
from palermo.resolution.engines import arrow_table
from palermo.resolution.features import FEATURE_COLUMNS


def index_path(home: Path) -> Path:
    return home / "resolution" / "index.duckdb"


def _values(row: dict[str, Any], column: str, exploded: bool) -> list[str]:
    value = row.get(column)
    if value is None:
        return []
    return [str(v) for v in value if v is not None] if exploded else [str(value)]


def blocking_keys(row: dict[str, Any], config: ResolutionConfig) -> list[str]:
    """The keys of a record under every blocking rule (none for a rule with a missing value)."""
    keys: set[str] = set()
    for number, rule in enumerate(config.blocking_rules):
        parts = [_values(row, c, c in rule.explode) for c in rule.columns]
        keys.update(f"{number}|" + "|".join(combo) for combo in itertools.product(*parts))
    return sorted(keys)


@contextmanager
def connect(home: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    path = index_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(path), read_only=read_only)
    try:
        yield connection
    finally:
        connection.close()


def _key_rows(rows: Sequence[dict[str, Any]], config: ResolutionConfig) -> Any:
    import pyarrow as pa

    pairs = [(k, row["unique_id"]) for row in rows for k in blocking_keys(row, config)]
    return pa.table({"key": [p[0] for p in pairs], "unique_id": pa.array([p[1] for p in pairs], pa.int64())})


def rebuild(home: Path, rows: Sequence[dict[str, Any]], config: ResolutionConfig) -> None:
    """Replace the index with ``rows`` (after a batch run)."""
    records = arrow_table([{c: r.get(c) for c in FEATURE_COLUMNS} for r in rows])
    keys = _key_rows(rows, config)
    with connect(home) as con:
        con.register("new_records", records)
        con.register("new_keys", keys)
        con.execute("CREATE OR REPLACE TABLE records AS SELECT * FROM new_records")
        con.execute("CREATE OR REPLACE TABLE keys AS SELECT * FROM new_keys ORDER BY key")
        con.execute("CREATE INDEX keys_key ON keys (key)")
        con.execute("CREATE UNIQUE INDEX records_id ON records (unique_id)")


def add(con: duckdb.DuckDBPyConnection, row: dict[str, Any], config: ResolutionConfig) -> None:
    """Add (or replace) one record in an open index."""
    con.execute("DELETE FROM keys WHERE unique_id = ?", [row["unique_id"]])
    con.execute("DELETE FROM records WHERE unique_id = ?", [row["unique_id"]])
    con.register("one_record", arrow_table([{c: row.get(c) for c in FEATURE_COLUMNS}]))
    con.execute("INSERT INTO records SELECT * FROM one_record")
    con.unregister("one_record")
    for key in blocking_keys(row, config):
        con.execute("INSERT INTO keys VALUES (?, ?)", [key, row["unique_id"]])


def candidates(con: duckdb.DuckDBPyConnection, row: dict[str, Any], config: ResolutionConfig) -> list[dict[str, Any]]:
    """Records sharing at least one blocking key with ``row`` (itself excluded), at most ``max_candidates``."""
    keys = blocking_keys(row, config)
    if not keys:
        return []
    placeholders = ", ".join("?" for _ in keys)
    ids = con.execute(
        f"SELECT DISTINCT unique_id FROM keys WHERE key IN ({placeholders}) AND unique_id <> ? LIMIT ?",
        [*keys, row["unique_id"], config.max_candidates],
    ).fetchall()
    if not ids:
        return []
    found = con.execute(
        f"SELECT * FROM records WHERE unique_id IN ({', '.join('?' for _ in ids)})", [i[0] for i in ids]
    )
    columns = [d[0] for d in found.description]
    return [dict(zip(columns, values, strict=True)) for values in found.fetchall()]
