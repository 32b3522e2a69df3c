"""The Spark engine, in local mode, gives the same links and identities as DuckDB on a small data set.

One Spark session (a JVM) serves every test of the session: ``spark_engine`` is session-scoped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from palermo.resolution import model
from palermo.resolution.cluster import Constraints, cluster
from palermo.resolution.config import default_config
from palermo.resolution.engines import ResolutionEngine, open_engine
from palermo.resolution.features import RawName, RawPerson, feature_row

pytest.importorskip("pyspark", reason="the spark extra is not installed")
pytestmark = pytest.mark.xdist_group("spark")  # one Spark session: every Spark test on one worker

PEOPLE = [
    ("Ivan", "Petrov", "1980-04-02", "P123"),
    ("Maria", "Rossi", "1975-11-30", "Y777"),
    ("Ahmed", "Karimi", "1990-01-15", "K555"),
    ("Elena", "Georgieva", "1988-07-07", "B999"),
    ("John", "Smith", "1965-03-03", "S321"),
]


def _rows() -> list[dict[str, object]]:
    rows, rid = [], 1
    for copy in range(3):
        for given, surname, dob, doc in PEOPLE:
            spelled = surname if copy == 0 else surname[:-1] + surname[-1].upper() + ("a" if copy == 2 else "")
            person = RawPerson(rid, f"s{copy}", [RawName(None, given, spelled)], dob, "M", ["BGR"], [doc])
            rows.append(feature_row(person))
            rid += 1
    return rows


@pytest.fixture(scope="session")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stands for the shared storage of a cluster (``PALERMO_SPARK_CHECKPOINT_DIR``)."""
    return tmp_path_factory.mktemp("shared-storage") / "checkpoints"


@pytest.fixture(scope="session")
def spark_engine(tmp_path_factory: pytest.TempPathFactory, checkpoints: Path) -> Iterator[ResolutionEngine]:
    runner = open_engine("spark", tmp_path_factory.mktemp("spark"), checkpoint_dir=str(checkpoints))
    yield runner
    runner.close()


def _identities(runner: ResolutionEngine, saved: Path) -> tuple[list[list[int]], list[tuple[int, int]]]:
    linker = model.new_linker(runner.register(_rows(), "persons"), saved)
    pairs = model.predict(linker, default_config().link_threshold)
    links = sorted((p.left, p.right) for p in pairs)
    clusters = cluster(range(1, 16), [(p.left, p.right, p.match_weight) for p in pairs], Constraints())
    return clusters, links


@pytest.mark.slow
def test_spark_gives_the_same_identities_as_duckdb(tmp_path: Path, spark_engine: ResolutionEngine) -> None:
    runner = open_engine("duckdb", tmp_path)
    try:
        linker = model.new_linker(runner.register(_rows(), "persons"), model.build_settings(default_config()))
        model.train(linker, default_config())
        saved = tmp_path / "model.json"
        saved.write_text(json.dumps(model.model_dict(linker)))
        duck = _identities(runner, saved)
    finally:
        runner.close()
    spark = _identities(spark_engine, saved)
    assert duck == spark
    assert len(duck[0]) == len(PEOPLE)


@pytest.mark.slow
def test_splink_writes_its_intermediate_tables_where_it_is_told(
    spark_engine: ResolutionEngine, checkpoints: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "model.json"
    runner = open_engine("duckdb", tmp_path)
    try:
        linker = model.new_linker(runner.register(_rows(), "persons"), model.build_settings(default_config()))
        model.train(linker, default_config())
        saved.write_text(json.dumps(model.model_dict(linker)))
    finally:
        runner.close()
    _identities(spark_engine, saved)
    assert any(p.suffix == ".parquet" for p in checkpoints.rglob("*"))  # the predictions, broken off their lineage
    assert spark_engine._spark is not None
    assert spark_engine._spark.conf.get("spark.sql.shuffle.partitions") == "8"  # local mode: few partitions


def test_spark_keeps_its_warehouse_in_the_engine_workdir(spark_engine: ResolutionEngine) -> None:
    """Nothing lands in the current folder (Spark's default is ./spark-warehouse)."""
    assert spark_engine._spark is not None
    warehouse = spark_engine._spark.conf.get("spark.sql.warehouse.dir")
    assert "spark-warehouse" in warehouse
    assert not warehouse.removeprefix("file:").startswith(str(Path.cwd()))
