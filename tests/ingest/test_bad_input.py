"""Every kind of bad input gets a precise message, and every good row around it is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from palermo.db.engine import transaction
from palermo.db.tables import IngestRun, PersonRecord
from palermo.errors import InvalidInput
from palermo.ingest.readers import SNIFF_BYTES
from palermo.node import Node
from tests.factories import PERSON_HEADER, person_rows, run, write_csv
from tests.ingest.helpers import count_persons, rejects, write_jsonl


def test_utf8_bom_is_read_as_utf8(node: Node, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    write_csv(path, PERSON_HEADER, [["p1", "Müller", "Jürgen", "1980", "M", "DEU"]], encoding="utf-8-sig")
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (1, 0)
    with transaction(node.engine) as session:
        person = session.scalars(select(PersonRecord)).one()
        assert person.names[0].surname == "Müller"


def test_latin1_file_is_refused_with_advice_and_nothing_written(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "latin.csv", PERSON_HEADER, [["p1", "Müller", "Jürgen", "1980", "M", "DEU"]], "latin-1")
    with pytest.raises(InvalidInput, match=r"not UTF-8: byte 0xFC on line 2.*--encoding cp1252"):
        run(node, path, "persons")
    assert count_persons(node) == 0
    with transaction(node.engine) as session:
        assert session.scalars(select(IngestRun)).all() == []


def test_latin1_file_ingests_with_declared_encoding(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "latin.csv", PERSON_HEADER, [["p1", "Müller", "Jürgen", "1980", "M", "DEU"]], "latin-1")
    assert run(node, path, "persons", encoding="cp1252").inserted == 1
    with transaction(node.engine) as session:
        assert session.scalars(select(PersonRecord)).one().names[0].full_name == "Jürgen Müller"


def test_mixed_encoding_rejects_only_the_bad_row(node: Node, tmp_path: Path) -> None:
    # Wide rows (a 1 KiB note each) put the bad byte past the first MiB, which is sniffed as UTF-8.
    rows = [[*row, "n" * 1024] for row in person_rows(1_100)]
    path = write_csv(tmp_path / "mixed.csv", [*PERSON_HEADER, "notes"], rows)
    assert path.stat().st_size > SNIFF_BYTES
    with path.open("ab") as handle:
        handle.write("bad,Caf\xe9,Anna,1980,F,FRA,note\r\n".encode("latin-1"))
        handle.write(b"p-last,Last,One,1980,F,FRA,note\r\n")
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (1_101, 1)
    [reject] = rejects(path)
    assert reject["line"] == 1_102
    assert reject["field"] == "surname"
    assert "not valid UTF-8" in reject["reason"]
    assert reject["row"]["surname"] == "Caf\\xe9"


def test_missing_required_column_refuses_the_file(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", ["surname", "given_names"], [["A", "B"]])
    with pytest.raises(InvalidInput, match="missing required column"):
        run(node, path, "persons")
    assert count_persons(node) == 0


def test_unknown_column_is_named_with_a_suggestion(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", ["source_key", "surname", "birthdate"], [["p1", "A", "1980"]])
    with pytest.raises(InvalidInput, match=r"unknown column\(s\) 'birthdate' \(did you mean 'birth_date'\?\)"):
        run(node, path, "persons")
    assert count_persons(node) == 0
    assert run(node, path, "persons", ignore_unknown_columns=True).inserted == 1


def test_partial_dates_are_kept_with_their_precision_and_bad_dates_rejected(node: Node, tmp_path: Path) -> None:
    rows = [
        ["p1", "A", "B", "1985", "M", ""],
        ["p2", "A", "B", "1985-07", "M", ""],
        ["p3", "A", "B", "1985-07-00", "M", ""],
        ["p4", "A", "B", "1985-02-30", "M", ""],
        ["p5", "A", "B", "17/05/1985", "M", ""],
        ["p6", "A", "B", "2999-01-01", "M", ""],
    ]
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, rows)
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (3, 3)
    with transaction(node.engine) as session:
        stored = {p.source_key: (p.birth_date, p.birth_date_precision) for p in session.scalars(select(PersonRecord))}
    assert stored == {"p1": ("1985", "year"), "p2": ("1985-07", "month"), "p3": ("1985-07", "month")}
    reasons = {r["line"]: r["reason"] for r in rejects(path)}
    assert reasons[5] == "'1985-02-30' is not a calendar date"
    assert "expected YYYY, YYYY-MM or YYYY-MM-DD" in reasons[6]
    assert "not a plausible date of birth" in reasons[7]


def test_unknown_country_codes_are_rejected_and_icao_codes_accepted(node: Node, tmp_path: Path) -> None:
    rows = [["p1", "A", "B", "", "", "D;XXA;gb"], ["p2", "A", "B", "", "", "AUT;ZZZ"]]
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, rows)
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (1, 1)
    [reject] = rejects(path)
    assert reject["field"] == "nationalities.1"
    assert "unknown country code 'ZZZ'" in reject["reason"]
    with transaction(node.engine) as session:
        person = session.scalars(select(PersonRecord)).one()
        assert [n.country for n in person.nationalities] == ["DEU", "XXA", "GBR"]


def test_unparseable_phone_numbers_are_rejected(node: Node, tmp_path: Path) -> None:
    write_csv(
        tmp_path / "bp.csv", ["source_key", "code", "name", "country", "point_kind"], [["b", "VIE", "V", "AUT", "air"]]
    )
    run(node, tmp_path / "bp.csv", "border_points", source="points")
    write_csv(tmp_path / "p.csv", PERSON_HEADER, person_rows(1))
    run(node, tmp_path / "p.csv", "persons")
    header = ["source_key", "person_key", "border_point", "direction", "occurred_at", "mode", "contact_phone"]
    rows = [
        ["t1", "p0", "VIE", "entry", "2026-03-01T08:00:00+01:00", "air", "+43 660 1234567"],
        ["t2", "p0", "VIE", "entry", "2026-03-01T09:00:00", "air", "+43 12"],
        ["t3", "p0", "VIE", "entry", "2026-03-01T09:00:00", "air", "call me"],
        ["t4", "p0", "VIE", "entry", "2026-03-01T09:00:00", "air", "0660 1234567"],
    ]
    path = write_csv(tmp_path / "t.csv", header, rows)
    summary = run(node, path, "travel_events")
    assert (summary.inserted, summary.rejected) == (1, 3)
    reasons = {r["line"]: r["reason"] for r in rejects(path)}
    assert "not a valid phone number" in reasons[3]
    assert "not a phone number" in reasons[4] or "no international prefix" in reasons[4]
    assert "no international prefix and the source has no phone region" in reasons[5]


def test_duplicate_keys_inside_one_file_keep_the_first(node: Node, tmp_path: Path) -> None:
    rows = [
        *person_rows(5),
        ["p1", "Other", "Name", "", "", ""],
        *person_rows(3, start=10),
        ["p11", "X", "Y", "", "", ""],
    ]
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, rows)
    summary = run(node, path, "persons", batch_size=4)  # the duplicates fall in later batches than their first
    assert (summary.inserted, summary.rejected) == (8, 2)
    assert {(r["line"], r["reason"]) for r in rejects(path)} == {
        (7, "duplicate source_key 'p1': first seen on line 3"),
        (11, "duplicate source_key 'p11': first seen on line 9"),
    }
    with transaction(node.engine) as session:
        first = session.scalars(select(PersonRecord).where(PersonRecord.source_key == "p1")).one()
        assert first.names[0].surname == "Surname1"


def test_empty_file_is_refused(node: Node, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InvalidInput, match="is empty"):
        run(node, path, "persons")


def test_header_only_file_ingests_nothing(node: Node, tmp_path: Path) -> None:
    summary = run(node, write_csv(tmp_path / "p.csv", PERSON_HEADER, []), "persons")
    assert (summary.read, summary.inserted, summary.rejected) == (0, 0, 0)


def test_truncated_last_csv_line_is_rejected(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, person_rows(3))
    with path.open("a", encoding="utf-8") as handle:
        handle.write("p9,Trunc")
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (3, 1)
    [reject] = rejects(path)
    assert reject["line"] == 5
    assert reject["reason"] == "row has 2 fields, the header has 6 (truncated line?)"
    assert reject["row"] == "p9,Trunc"


def test_unterminated_quote_at_the_end_is_rejected(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, person_rows(2))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('p9,"Unterminated,Anna,1980,F,AUT\n')
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (2, 1)
    assert "unreadable CSV from line 4" in rejects(path)[0]["reason"]


def test_truncated_last_jsonl_line_is_rejected(node: Node, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "p.jsonl", [{"source_key": "p1", "surname": "A"}, {"source_key": "p2", "surname": "B"}]
    )
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"source_key": "p3", "surn')
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (2, 1)
    [reject] = rejects(path)
    assert reject["line"] == 3
    assert "not valid JSON" in reject["reason"]
    assert "truncated last line?" in reject["reason"]


def test_unknown_jsonl_keys_and_wrong_types_are_rejected_per_row(node: Node, tmp_path: Path) -> None:
    rows = [
        {"source_key": "p1", "surname": "A", "nationalities": ["AUT", "HUN"]},
        {"source_key": "p2", "surname": "B", "shoe_size": 44},
        {"source_key": "p3", "surname": "C", "names": [{"full_name": "Сергей", "kind": "nickname"}]},
        ["not", "an", "object"],
    ]
    path = write_jsonl(tmp_path / "p.jsonl", rows)  # type: ignore[arg-type]
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (2, 2)
    reasons = {r["line"]: (r["field"], r["reason"]) for r in rejects(path)}
    assert reasons[2] == ("shoe_size", "Extra inputs are not permitted")
    assert reasons[4][1] == "expected a JSON object, got list"


def test_absurdly_long_field_is_rejected(node: Node, tmp_path: Path) -> None:
    rows = [*person_rows(1), ["p2", "A" * 1_000_000, "B", "", "", ""]]
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, rows)
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (1, 1)
    [reject] = rejects(path)
    assert (reject["field"], reject["reason"]) == ("surname", "value is 1000000 characters long, the limit is 10000")


def test_handling_rules_are_checked_per_row(node: Node, tmp_path: Path) -> None:
    header = [*PERSON_HEADER, "handling", "handling_note", "distribution", "sharing_group"]
    rows = [
        ["p1", "A", "B", "", "", "", "H3", "only for JIT Danube", "group", "jit-danube"],
        ["p2", "A", "B", "", "", "", "H3", "", "", ""],
        ["p3", "A", "B", "", "", "", "", "", "group", ""],
        ["p4", "A", "B", "", "", "", "H9", "", "", ""],
    ]
    path = write_csv(tmp_path / "p.csv", header, rows)
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (1, 3)
    reasons = {r["line"]: r["reason"] for r in rejects(path)}
    assert reasons[3] == "handling H3 needs a handling_note saying the restriction"
    assert reasons[4] == "distribution 'group' needs a sharing_group"
    assert "unknown handling_codes value 'H9'" in reasons[5]


def test_a_column_of_another_kind_refuses_the_file(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "o.csv", ["source_key", "name", "names"], [["o1", "Acme", "x"]])
    with pytest.raises(InvalidInput, match=r"unknown column\(s\) 'names'"):
        run(node, path, "organisations")


def test_a_nul_character_rejects_only_its_row(node: Node, tmp_path: Path) -> None:
    """Issue 17: one NUL in one CSV field made ingest on PostgreSQL exit with a traceback and 0 rows."""
    rows = [*person_rows(2), ["p9", "Iva\x00nova", "Olga", "1990-05-17", "F", "AUT"], *person_rows(2, start=3)]
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, rows)
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (4, 1)
    [reject] = rejects(path)
    assert (reject["line"], reject["field"]) == (4, "surname")
    assert "NUL" in reject["reason"]
    assert count_persons(node) == 4


def test_a_nul_character_in_a_json_line_rejects_only_its_row(node: Node, tmp_path: Path) -> None:
    good = {"source_key": "j1", "surname": "Petrova", "given_names": "Anna"}
    bad = {"source_key": "j2", "surname": "Petrov", "given_names": "Ivan", "nationalities": ["RU\u0000S"]}
    path = write_jsonl(tmp_path / "p.jsonl", [good, bad])
    summary = run(node, path, "persons")
    assert (summary.inserted, summary.rejected) == (1, 1)
    assert rejects(path)[0]["line"] == 2
