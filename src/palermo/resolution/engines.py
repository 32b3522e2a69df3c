"""The SQL engine Splink runs on: DuckDB in-process (default) or Apache Spark (national scale, optional extra).

Both run the same Splink model and the same code path; only the ``db_api`` differs. Spark is imported lazily, so
the core works without the ``spark`` extra.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pyarrow as pa

from palermo.errors import ConfigurationError, InvalidInput
from palermo.resolution.features import ARRAY_COLUMNS, FEATURE_COLUMNS

EngineName = Literal["duckdb", "spark"]
ENGINES: tuple[EngineName, ...] = ("duckdb", "spark")


@dataclass
class ResolutionEngine:
    """A Splink ``db_api`` and what it needs to be shut down."""

    name: EngineName
    db_api: Any
    _spark: Any = field(default=None, repr=False)
    _tables: int = 0

    def register(self, rows: Sequence[dict[str, Any]] | pd.DataFrame, label: str) -> Any:
        """Register records (feature rows) as a Splink table; each call gets a fresh table name."""
        records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
        self._tables += 1
        name = f"{label}_{self._tables}"
        if self._spark is not None:
            return self.db_api.register(_spark_frame(self._spark, records), table_name=name)
        return self.db_api.register(arrow_table(records), table_name=name)

    def close(self) -> None:
        if self._spark is not None:
            self._spark.stop()


def pyspark_available() -> bool:
    return importlib.util.find_spec("pyspark") is not None


def _columns(records: Sequence[dict[str, Any]]) -> list[str]:
    return list(records[0]) if records else list(FEATURE_COLUMNS)


def arrow_table(records: Sequence[dict[str, Any]]) -> pa.Table:
    """Typed columns (arrays of strings, 64-bit ids, strings), so an all-empty column keeps its type."""
    fields = []
    for column in _columns(records):
        kind = (
            pa.list_(pa.string()) if column in ARRAY_COLUMNS else pa.int64() if column == "unique_id" else pa.string()
        )
        fields.append(pa.field(column, kind))
    schema = pa.schema(fields)
    return pa.Table.from_pylist([{c: _typed(c, r.get(c)) for c in schema.names} for r in records], schema=schema)


def _typed(column: str, value: Any) -> Any:
    if value is None or column in ARRAY_COLUMNS or column == "unique_id":
        return value
    return str(value)


def _spark_frame(spark: Any, records: Sequence[dict[str, Any]]) -> Any:
    from pyspark.sql import types as st

    fields = []
    for column in _columns(records):
        kind: Any = st.StringType()
        if column in ARRAY_COLUMNS:
            kind = st.ArrayType(st.StringType())
        elif column == "unique_id":
            kind = st.LongType()
        fields.append(st.StructField(column, kind, True))
    names = [f.name for f in fields]
    rows = [tuple(_typed(c, r.get(c)) for c in names) for r in records]
    return spark.createDataFrame(rows, schema=st.StructType(fields))


def _spark_session(workdir: Path, master: str, checkpoint_dir: str | None) -> Any:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    checkpoints = checkpoint_dir
    if checkpoints is None:
        (workdir / "spark-checkpoints").mkdir(parents=True, exist_ok=True)
        checkpoints = str(workdir / "spark-checkpoints")
    builder = (
        SparkSession.builder.master(master)
        .appName("palermo-resolution")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        # Spark's default is ./spark-warehouse in the current folder; keep everything in the engine's workdir.
        .config("spark.sql.warehouse.dir", str(workdir / "spark-warehouse"))
    )
    if master.startswith("local"):
        # one machine: few shuffle partitions (Spark's 200 suit a cluster, whose spark-defaults.conf decides)
        builder = builder.config("spark.sql.shuffle.partitions", "8")
    spark = builder.getOrCreate()
    spark.sparkContext.setCheckpointDir(checkpoints)
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def open_engine(
    name: str, workdir: Path, *, spark_master: str = "local[2]", checkpoint_dir: str | None = None
) -> ResolutionEngine:
    """A fresh engine: ``duckdb`` (in-process, in memory) or ``spark`` (``spark_master``, e.g. a cluster URL; Splink
    writes its intermediate tables as Parquet under ``checkpoint_dir``, by default ``workdir/spark-checkpoints``)."""
    if name == "duckdb":
        from splink import DuckDBAPI

        return ResolutionEngine("duckdb", DuckDBAPI(connection=":memory:"))
    if name == "spark":
        if not pyspark_available():
            raise ConfigurationError("the spark engine needs pyspark: install palermo with the `spark` extra")
        from splink import SparkAPI

        spark = _spark_session(workdir, spark_master, checkpoint_dir)
        api = SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]
        return ResolutionEngine("spark", api, _spark=spark)
    raise InvalidInput(f"unknown resolution engine {name!r}; expected one of {', '.join(ENGINES)}", field="engine")
