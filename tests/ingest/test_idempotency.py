"""Re-running a file changes nothing; a changed row is updated in place; provenance defaults come from the source."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from palermo.db.engine import transaction
from palermo.db.tables import IngestRun, PersonName, PersonRecord
from palermo.node import Node
from tests.factories import PERSON_HEADER, ensure_source, person_rows, run, write_csv
from tests.ingest.helpers import count_persons, rejects


def test_rerun_of_the_same_file_changes_nothing(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, person_rows(25))
    first = run(node, path, "persons", batch_size=10)
    second = run(node, path, "persons", batch_size=10)
    assert (first.inserted, first.unchanged) == (25, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 25)
    assert count_persons(node) == 25
    with transaction(node.engine) as session:
        assert len(session.scalars(select(PersonName)).all()) == 25
        runs = session.scalars(select(IngestRun).order_by(IngestRun.id)).all()
        assert [(r.status, r.rows_read, r.inserted, r.unchanged) for r in runs] == [
            ("completed", 25, 25, 0),
            ("completed", 25, 0, 25),
        ]


def test_changed_row_is_updated_with_its_names_replaced(node: Node, tmp_path: Path) -> None:
    header = [*PERSON_HEADER, "aliases"]
    run(
        node,
        write_csv(tmp_path / "a.csv", header, [["p1", "Ivanov", "Ivan", "1985", "M", "RUS", "Vanya;Иван Иванов"]]),
        "persons",
    )
    changed = write_csv(tmp_path / "b.csv", header, [["p1", "Ivanova", "Ivan", "1985-03", "M", "RUS", "Vanya"]])
    summary = run(node, changed, "persons")
    assert (summary.inserted, summary.updated) == (0, 1)
    with transaction(node.engine) as session:
        person = session.scalars(select(PersonRecord)).one()
        assert person.birth_date == "1985-03"
        assert [(n.kind, n.full_name, n.script) for n in person.names] == [
            ("primary", "Ivan Ivanova", "Latn"),
            ("alias", "Vanya", "Latn"),
        ]


def test_scripts_are_detected_for_every_name(node: Node, tmp_path: Path) -> None:
    header = ["source_key", "full_name", "transliterations"]
    rows = [["p1", "Александр Иванов", "Aleksandr Ivanov;Alexandros Ioannou;Ιωάννου;محمد علي;王伟;สมชาย"]]
    run(node, write_csv(tmp_path / "p.csv", header, rows), "persons")
    with transaction(node.engine) as session:
        names = session.scalars(select(PersonName).order_by(PersonName.position)).all()
    assert [n.script for n in names] == ["Cyrl", "Latn", "Latn", "Grek", "Arab", "Hani", "Thai"]


def test_records_inherit_the_sources_handling_and_grading(node: Node, tmp_path: Path) -> None:
    ensure_source(
        node,
        "police",
        handling="H2",
        distribution="group",
        sharing_group="jit-1",
        reliability="B",
        credibility="2",
        sensitivity="special",
        review_after_days=365,
        delete_after_days=1825,
    )
    header = [*PERSON_HEADER, "handling", "source_reliability"]
    rows = [["p1", "A", "B", "", "", "", "", ""], ["p2", "A", "B", "", "", "", "H1", "A"]]
    run(node, write_csv(tmp_path / "p.csv", header, rows), "persons", source="police")
    with transaction(node.engine) as session:
        stored = {p.source_key: p for p in session.scalars(select(PersonRecord))}
    p1, p2 = stored["p1"], stored["p2"]
    assert (p1.handling, p1.distribution, p1.sharing_group, p1.source_reliability, p1.information_credibility) == (
        "H2",
        "group",
        "jit-1",
        "B",
        "2",
    )
    assert (p1.sensitivity, p1.originator) == ("special", "test-agency")
    assert p1.review_at is not None
    assert p1.delete_at is not None
    assert (p1.delete_at - p1.review_at).days == 1825 - 365
    assert (p2.handling, p2.source_reliability, p2.information_credibility) == ("H1", "A", "2")


def test_worker_process_gives_the_same_result_as_in_process(node: Node, tmp_path: Path) -> None:
    rows = [*person_rows(30), ["p3", "Dup", "Key", "", "", ""], ["bad", "A", "B", "1985-13", "", ""]]
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, rows)
    parallel = run(node, path, "persons", batch_size=7, workers=1, parallel_min_bytes=0)
    parallel_rejects = rejects(path)
    assert (parallel.inserted, parallel.rejected) == (30, 2)
    assert [r["line"] for r in parallel_rejects] == [32, 33]
    again = run(node, path, "persons", batch_size=7, workers=0)
    assert (again.unchanged, again.rejected) == (30, 2)
    assert rejects(path) == parallel_rejects
