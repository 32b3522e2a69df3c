"""FollowTheMoney lists as OpenSanctions and yente publish them: nothing an entity says is lost on the way in.

Lines are shaped like the public exports: flat ``entities.ftm.json`` (separate ``Passport`` entities pointing at
their ``holder``), nested targets, and delta files (``{"op": ..., "entity": ...}``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from palermo.db.engine import transaction
from palermo.db.watchlists import WatchlistEntry
from palermo.node import Node
from palermo.screening.requests import ScreeningRequest
from palermo.screening.service import screen
from tests.factories import justified_operator, load

AT = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def person(eid: str, **properties: list[Any]) -> dict[str, Any]:
    return {"id": eid, "schema": "Person", "properties": {"topics": ["crime.traffick"], **properties}}


def write_lines(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def entries(node: Node) -> dict[str, WatchlistEntry]:
    with transaction(node.engine) as session:
        rows = session.scalars(select(WatchlistEntry)).all()
        for row in rows:
            session.expunge(row)
    return {row.source_key: row for row in rows}


def hits(node: Node, **fields: Any) -> list[dict[str, Any]]:
    with transaction(node.engine) as session:
        result = screen(session, justified_operator(node), ScreeningRequest(at=AT, **fields), home=node.home)
    return [hit.model_dump() for hit in result.hits]


def test_every_listed_birth_date_is_kept_and_matched(node: Node, tmp_path: Path) -> None:
    listed = person("os-bd", name=["Aleksandr Zakharov"], birthDate=["1961-07-04", "1962", "1961"])
    load(node, write_lines(tmp_path / "dates.ftm.json", [listed]), name="os", category="suspect")
    entry = entries(node)["os-bd"]
    assert (entry.birth_date, entry.other_birth_dates) == ("1961-07-04", ["1962"])  # "1961" says nothing more
    [by_other_year] = hits(node, names=["Aleksandr Zakharov"], birth_date="1962")
    birth = next(f for f in by_other_year["features"] if f["id"] == "birth_date")
    assert birth["value"] > 0
    assert "1962" in birth["detail"]
    assert not any(f["id"] == "birth_date_conflict" and f["value"] for f in by_other_year["features"])
    [exact] = hits(node, names=["Aleksandr Zakharov"], birth_date="1961-07-04")
    assert next(f for f in exact["features"] if f["id"] == "birth_date")["value"] > birth["value"]
    for other in hits(node, names=["Aleksandr Zakharov"], birth_date="1975-01-01"):
        assert next(f for f in other["features"] if f["id"] == "birth_date_conflict")["value"] == 1.0


def test_delta_lines_add_modify_and_delete_entries(node: Node, tmp_path: Path) -> None:
    first = [
        {"op": "ADD", "entity": person("os-a", name=["Dragan Kovač"], birthDate=["1980"])},
        {"op": "ADD", "entity": person("os-b", name=["Milena Horvat"], birthDate=["1985"])},
    ]
    report = load(node, write_lines(tmp_path / "delta-1.json", first), name="os", category="suspect")
    assert (report.inserted, report.rejected) == (2, 0)
    assert hits(node, names=["Milena Horvat"], birth_date="1985")
    second = [
        {"op": "MOD", "entity": person("os-a", name=["Dragan Kovač"], alias=["Драган Ковач"], birthDate=["1980"])},
        {"op": "DEL", "entity": {"id": "os-b", "schema": "Person"}},
        {"op": "DEL", "entity": {"id": "os-never-listed", "schema": "Person"}},
    ]
    report = load(node, write_lines(tmp_path / "delta-2.json", second), name="os", category="suspect")
    assert (report.updated, report.deleted, report.rejected) == (1, 1, 0)
    listed = entries(node)
    assert set(listed) == {"os-a"}
    assert [n["name"] for n in listed["os-a"].names] == ["Dragan Kovač", "Драган Ковач"]
    assert hits(node, names=["Milena Horvat"], birth_date="1985") == []  # gone from the candidate index too
    rerun = load(node, write_lines(tmp_path / "delta-2.json", second), name="os", category="suspect")
    assert (rerun.updated, rerun.deleted, rerun.inserted) == (0, 0, 0)


def test_an_unknown_delta_op_is_a_rejected_line(node: Node, tmp_path: Path) -> None:
    lines = [{"op": "UPSERT", "entity": person("os-x", name=["Ivo Babić"])}, person("os-y", name=["Ana Babić"])]
    report = load(node, write_lines(tmp_path / "bad-op.json", lines), name="os", category="suspect")
    assert (report.inserted, report.rejected) == (1, 1)
    reject = json.loads(Path(str(report.rejects_path)).read_text(encoding="utf-8").splitlines()[0])
    assert "'UPSERT' is not ADD, MOD or DEL" in reject["reason"]


def test_an_oversized_entity_is_trimmed_with_a_warning_not_rejected(node: Node, tmp_path: Path) -> None:
    aliases = [f"Alias Number{n:03d}" for n in range(260)]
    listed = person("os-big", name=["Viktor Bout"], alias=["X" * 500, *aliases])
    report = load(node, write_lines(tmp_path / "big.ftm.json", [listed]), name="os", category="suspect")
    assert (report.inserted, report.rejected, report.warnings) == (1, 0, 1)
    names = [n["name"] for n in entries(node)["os-big"].names]
    assert len(names) == 200
    assert names[0] == "Viktor Bout"
    assert all(len(n) <= 400 for n in names)
    warnings = [json.loads(line) for line in Path(str(report.warnings_path)).read_text("utf-8").splitlines()]
    assert {w["row"] for w in warnings} == {"os-big"}
    assert any("longer than 400 characters left out" in w["reason"] for w in warnings)
    assert any("261 names: the first 200 kept" in w["reason"] for w in warnings)


def test_separate_passport_entities_of_a_flat_export_reach_their_holder(node: Node, tmp_path: Path) -> None:
    lines = [
        person("os-p", name=["Olena Marchenko"], birthDate=["1990-03-02"]),
        {"id": "os-pp", "schema": "Passport", "properties": {"holder": ["os-p"], "number": ["FK123456"]}},
        {"id": "os-id", "schema": "Identification", "properties": {"holder": ["os-p"], "number": ["TIN: 3012345678"]}},
    ]
    report = load(node, write_lines(tmp_path / "flat.ftm.json", lines), name="os", category="suspect")
    assert (report.inserted, report.skipped, report.rejected) == (1, 2, 0)
    assert entries(node)["os-p"].document_numbers == ["FK123456", "3012345678"]
    [hit] = hits(node, names=["Olena Marchenko"], document_number="FK123456", nationality="UKR")
    assert any(f["id"] == "document_number" and f["value"] == 1.0 for f in hit["features"])


def test_labelled_id_numbers_match_the_bare_number(node: Node, tmp_path: Path) -> None:
    listed = person("os-tin", name=["Farid Haddad"], idNumber=["TIN: 183111242572"], passportNumber=["N 0012345"])
    load(node, write_lines(tmp_path / "ids.ftm.json", [listed]), name="os", category="suspect")
    assert entries(node)["os-tin"].document_numbers == ["N 0012345", "183111242572"]


def test_country_codes_are_mapped_or_reported(node: Node, tmp_path: Path) -> None:
    lines = [
        person("os-xk", name=["Arben Krasniqi"], nationality=["xk"]),
        person("os-dpr", name=["Pavel Gubarev"], nationality=["ua-dpr", "suhh"]),
        person("os-zz", name=["Noone Nowhere"], nationality=["zz"], country=["ru"]),
        person("os-country", name=["Sergei Morozov"], country=["ru"]),
    ]
    report = load(node, write_lines(tmp_path / "countries.ftm.json", lines), name="os", category="suspect")
    assert (report.inserted, report.rejected, report.warnings) == (4, 0, 1)
    listed = entries(node)
    assert listed["os-xk"].nationalities == ["RKS"]
    assert listed["os-dpr"].nationalities == ["UKR", "SUN"]
    assert listed["os-zz"].nationalities == ["RUS"]  # zz says nothing: the country tied to the person stands in
    assert listed["os-country"].nationalities == ["RUS"]
    [warning] = [json.loads(line) for line in Path(str(report.warnings_path)).read_text("utf-8").splitlines()]
    assert (warning["row"], warning["line"]) == ("os-zz", 3)
    assert "country code 'zz' is not known" in warning["reason"]


def test_name_parts_make_the_name_when_an_entity_has_none(node: Node, tmp_path: Path) -> None:
    parts = person(
        "os-parts", firstName=["Nikita"], fatherName=["Aleksandrovich"], middleName=["Ivan"], lastName=["Zakharov"]
    )
    load(node, write_lines(tmp_path / "parts.ftm.json", [parts]), name="os", category="suspect")
    assert [n["name"] for n in entries(node)["os-parts"].names] == ["Nikita Ivan Aleksandrovich Zakharov"]


def test_weak_aliases_match_only_exactly(node: Node, tmp_path: Path) -> None:
    listed = person("os-weak", name=["Abdullah Al-Qasimi"], weakAlias=["Abu", "Tony"], birthDate=["1971"])
    load(node, write_lines(tmp_path / "weak.ftm.json", [listed]), name="os", category="suspect")
    assert [(n["name"], n["kind"]) for n in entries(node)["os-weak"].names] == [
        ("Abdullah Al-Qasimi", "primary"),
        ("Abu", "weak"),
        ("Tony", "weak"),
    ]
    assert hits(node, names=["Abo"], birth_date="1971") == []  # one letter off a weak alias: nothing
    assert hits(node, names=["Tonny"]) == []
    [exact] = hits(node, names=["ABU"], birth_date="1971")
    assert (exact["entry_id"], exact["name"], exact["query_name"]) == ("os-weak", "Abu", "ABU")
    name = next(f for f in exact["features"] if f["id"] == "name")
    assert name["value"] == 0.8
    assert "weak alias 'Abu'" in name["detail"]
    [full] = hits(node, names=["Abdullah Al Qasimi"], birth_date="1971")
    assert full["score"] > exact["score"]  # the listed name itself outweighs the weak alias
