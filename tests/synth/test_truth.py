"""The truth tables agree with the files: every reference resolves, every source record is accounted for."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.synth.conftest import manifest, read_csv

pytestmark = pytest.mark.xdist_group("small-world")  # the small world is generated once, on one worker


def _keys(root: Path) -> set[tuple[str, str, str]]:
    return {
        (s["name"], e["kind"], row["source_key"])
        for s in manifest(root)["sources"]
        for e in s["files"]
        for row in read_csv(root / e["path"])
    }


def test_every_truth_record_resolves_to_a_row_and_a_person(tiny_world: Path) -> None:
    keys = _keys(tiny_world)
    persons = {r["person_id"] for r in read_csv(tiny_world / "truth/persons.csv")}
    documents = {r["document_id"] for r in read_csv(tiny_world / "truth/documents.csv")}
    organisations = {r["organisation_id"] for r in read_csv(tiny_world / "truth/organisations.csv")}
    for row in read_csv(tiny_world / "truth/records.csv"):
        assert (row["source"], row["kind"], row["source_key"]) in keys
        assert row["person_id"] in persons or row["organisation_id"] in organisations
        assert row["kind"] != "documents" or row["document_id"] in documents


def test_every_person_and_document_record_has_a_truth_row(tiny_world: Path) -> None:
    mapped = {(r["source"], r["kind"], r["source_key"]) for r in read_csv(tiny_world / "truth/records.csv")}
    for source, kind, key in _keys(tiny_world):
        if kind in ("persons", "documents", "organisations"):
            assert (source, kind, key) in mapped


def test_every_travel_event_is_a_movement_of_a_known_person(tiny_world: Path) -> None:
    events = {(s, k) for s, kind, k in _keys(tiny_world) if kind == "travel_events"}
    persons = {r["person_id"] for r in read_csv(tiny_world / "truth/persons.csv")}
    movements = list(read_csv(tiny_world / "truth/movements.csv"))
    assert {(m["source"], m["source_key"]) for m in movements} == events
    assert all(m["person_id"] in persons for m in movements)
    assert any(m["trafficking"] == "1" for m in movements)


def test_watchlist_truth_points_at_entries_and_persons(tiny_world: Path) -> None:
    persons = {r["person_id"] for r in read_csv(tiny_world / "truth/persons.csv")}
    entries = {r["id"] for name in ("suspects", "missing_persons") if (tiny_world / f"watchlists/{name}.csv").exists()
               for r in read_csv(tiny_world / f"watchlists/{name}.csv")}  # fmt: skip
    for row in read_csv(tiny_world / "truth/watchlist_matches.csv"):
        assert row["person_id"] in persons
        assert row["match"] != "true_match" or row["entry_id"] in entries


def test_forged_documents_are_in_the_source_files(small_world: Path) -> None:
    forged = {r["number"]: r for r in read_csv(small_world / "truth/documents.csv") if r["status"] != "genuine"}
    used = {r["number"] for r in read_csv(small_world / "sources/border_ita/documents.csv")}
    used |= {
        r["number"]
        for name in ("border_grc", "border_bgr")
        for r in read_csv(small_world / f"sources/{name}/documents.csv")
    }
    assert forged
    travelled = [n for n in forged if n in used]
    assert len(travelled) >= 0.5 * len(forged)
    stolen = {r["document_number"] for r in read_csv(small_world / "lost_stolen/documents.csv")}
    altered = [r for r in forged.values() if r["status"] == "altered_stolen"]
    assert all(r["derived_from_number"] in stolen and r["number"] not in stolen for r in altered)


def _one_change_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def test_the_registry_has_every_status_and_the_truth_of_each_stolen_blank(small_world: Path) -> None:
    registry = {(r["issuing_state"], r["document_number"]): r["status"]
                for r in read_csv(small_world / "lost_stolen/documents.csv")}  # fmt: skip
    assert set(registry.values()) == {"lost", "stolen", "stolen_blank", "revoked", "invalidated"}
    blanks = [r for r in read_csv(small_world / "truth/documents.csv") if r["status"] == "stolen_blank"]
    assert blanks
    for row in blanks:
        assert registry[(row["issuing_state"], row["derived_from_number"])] == "stolen_blank"
        assert row["reported"] == "stolen_blank"
        assert row["number"] == row["derived_from_number"] or _one_change_apart(
            row["number"], row["derived_from_number"]
        )
    assert any(row["number"] != row["derived_from_number"] for row in blanks)


def test_reported_genuine_documents_are_in_the_registry_with_their_status(small_world: Path) -> None:
    registry = {(r["issuing_state"], r["document_number"]): r["status"]
                for r in read_csv(small_world / "lost_stolen/documents.csv")}  # fmt: skip
    reported = [r for r in read_csv(small_world / "truth/documents.csv") if r["reported"] and r["status"] == "genuine"]
    assert {r["reported"] for r in reported} == {"lost", "stolen", "revoked", "invalidated"}
    assert all(registry[(r["issuing_state"], r["number"])] == r["reported"] for r in reported)
