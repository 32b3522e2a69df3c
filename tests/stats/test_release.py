"""Statistics releases: k-anonymous microdata (k >= 11 over every released variable, small groups suppressed) and
differentially private counts with the epsilon OpenDP confirms; on both stores, never a raw record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from palermo.alerts.lifecycle import AlertSubject, open_alert
from palermo.auth import users
from palermo.auth.actor import Actor, user_actor
from palermo.auth.justification import Justification
from palermo.cli.main import app
from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.errors import InvalidInput, PermissionDenied
from palermo.node import Node
from palermo.stats.kanon import check_k, k_anonymise
from palermo.stats.noisy import noisy_histogram
from palermo.stats.release import VARIABLES, make_release
from palermo.stats.sources import traveller_indicators
from palermo.victims.cases import CaseSubject, new_case
from tests.factories import add_persons, make_user

THIS_YEAR = dt.date.today().year


def _record(age: str, sex: str, country: str, exploitation: str = "labour", year: str = "2025") -> dict[str, str]:
    return {"age_band": age, "sex": sex, "citizenship": country, "exploitation": exploitation, "year": year}


def test_small_groups_are_suppressed_and_the_release_passes_its_check() -> None:
    records = [_record("24-26", "F", "ROU")] * 20 + [_record("30-38", "M", "ROU")] * 15 + [_record("9-17", "F", "NGA")]
    release = k_anonymise(records, VARIABLES, k=11, max_suppressed=0.05)
    assert release.suppressed == 1  # the one Nigerian girl: no generalisation makes her one of 11
    assert release.records_in == 36
    assert len(release.rows) == 35
    assert release.smallest_class == 15
    assert check_k(release.rows, VARIABLES, 11) == 15
    assert [g.level for g in release.generalisation] == [0, 0, 0, 0, 0]  # nothing needed generalising
    assert release.precision_loss == 0
    assert "1 suppressed" in release.explanation


def test_generalisation_is_taken_when_it_saves_records() -> None:
    records = (
        [_record("24-26", "F", "ROU")] * 6 + [_record("27-29", "F", "BGR")] * 6 + [_record("21-23", "F", "MDA")] * 6
    )
    release = k_anonymise(records, VARIABLES, k=11, max_suppressed=0.05)
    assert release.suppressed == 0
    assert {g.variable: g.says for g in release.generalisation}["age_band"] == "child or adult"
    assert {g.variable: g.says for g in release.generalisation}["citizenship"] == "UN subregion"
    assert {r["citizenship"] for r in release.rows} == {"Eastern Europe"}
    assert 0 < release.precision_loss < 1


def test_a_release_below_k_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"not 11-anonymous: .* shared by 10"):
        check_k([_record("24-26", "F", "ROU")] * 10, VARIABLES, 11)
    with pytest.raises(InvalidInput, match="k is at least 11"):
        k_anonymise([], VARIABLES, k=5)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["0-8", "9-17", "18-20", "24-26", "48+", "unknown"]),
            st.sampled_from(["M", "F", "X"]),
            st.sampled_from(["ROU", "BGR", "NGA", "VNM", "UKR", "BRA", "unknown"]),
            st.sampled_from(["labour", "sexual", "not assessed"]),
            st.sampled_from(["2024", "2025"]),
        ),
        max_size=120,
    )
)
def test_every_release_of_any_data_is_k_anonymous(rows: list[tuple[str, str, str, str, str]]) -> None:
    release = k_anonymise([_record(*r) for r in rows], VARIABLES, k=11)
    assert release.suppressed + len(release.rows) == len(rows)
    check_k(release.rows, VARIABLES, 11)


def test_noisy_counts_spend_the_stated_epsilon_over_fixed_categories() -> None:
    units = [["a"]] * 40 + [["b"]] * 5 + [["z"]] * 7  # z is no category: not counted, not revealed
    histogram = noisy_histogram("h", "case", ["a", "b", "c"], units, epsilon=0.5)
    assert (histogram.epsilon, histogram.scale, histogram.error_95) == (0.5, 2.0, 6)
    assert list(histogram.counts) == ["a", "b", "c"]
    assert all(v >= 0 for v in histogram.counts.values())
    assert abs(histogram.counts["a"] - 40) <= 40  # noisy, not wild
    bounded = noisy_histogram("h", "alert", ["a", "b", "c"], [["a", "b", "c"]], epsilon=1.0, bound=2)
    assert (bounded.epsilon, bounded.scale) == (1.0, 2.0)
    with pytest.raises(InvalidInput, match="epsilon is above 0"):
        noisy_histogram("h", "case", ["a"], [], epsilon=0)


def _supervisor(node: Node, name: str = "boss", role: str = "supervisor") -> Actor:
    make_user(node, name, role)
    with transaction(node.engine) as session:
        return user_actor(
            users.find_user(session, name), node.agency_code, justification=Justification("legal_basis", "oversight")
        )


def test_a_release_from_the_store_never_holds_a_raw_record(node: Node) -> None:
    with transaction(node.engine) as session:
        for i in range(24):
            subject = CaseSubject(names=[f"Person Number{i}"], birth_date="1999-03-01", nationality="ROU", sex="F")
            new_case(session, "test", origin="manual", subject=subject)
        for i in range(2):
            subject = CaseSubject(names=[f"Rare Boy{i}"], birth_date=f"{THIS_YEAR - 12}", nationality="ERI", sex="M")
            new_case(session, "test", origin="manual", subject=subject)
    boss = _supervisor(node)
    with transaction(node.engine) as session:
        made = make_release(session, boss, epsilon=1.0, max_suppressed=0.1)
    assert made.microdata.records_in == 26
    assert made.microdata.suppressed == 2  # 2 of 26 is within 10 %: the two boys are left out, nothing generalised
    assert check_k(made.microdata.rows, VARIABLES, 11) == 24
    assert {r["age_band"] for r in made.microdata.rows} <= {"24-26", "27-29"}
    assert made.epsilon_total == pytest.approx(1.0)
    assert [c.name for c in made.counts][:2] == ["victim cases by year", "victim cases by form of exploitation"]
    assert made.counts[3].unit == "traveller"
    text = made.model_dump_json()
    for raw in ("Person", "Number", "Rare", "1999-03-01", "ERI"):
        assert raw not in text
    with transaction(node.engine) as session:
        strict = make_release(session, boss, max_suppressed=0.05)  # 2 of 26 is too many: generalise instead
    assert strict.microdata.suppressed == 0
    assert check_k(strict.microdata.rows, VARIABLES, 11) == 26
    assert strict.microdata.precision_loss > 0
    with transaction(node.engine) as session:
        logged = session.execute(
            select(AuditEntry.actor, AuditEntry.result_count, AuditEntry.justification)
            .where(AuditEntry.action == "disclosure")
            .order_by(AuditEntry.seq)
        ).all()
    assert [tuple(e) for e in logged] == [
        ("user:boss", 24, "legal_basis:oversight"),
        ("user:boss", 26, "legal_basis:oversight"),
    ]
    with pytest.raises(PermissionDenied, match=r"stats\.release"), transaction(node.engine) as session:
        make_release(session, _supervisor(node, "ana", "analyst"))


def test_fewer_variables_keep_more_detail_and_k_holds_over_those_released(node: Node) -> None:
    with transaction(node.engine) as session:
        for i, country in enumerate(["ROU"] * 12 + ["BGR"] * 12 + ["NGA"] * 3):
            subject = CaseSubject(names=[f"P{i}"], birth_date=f"{1980 + i % 20}", nationality=country, sex="MF"[i % 2])
            new_case(session, "test", origin="manual", subject=subject)
    boss = _supervisor(node)
    with transaction(node.engine) as session:
        narrow = make_release(session, boss, variables=["citizenship"], max_suppressed=0.2)
        everything = make_release(session, boss, max_suppressed=0.2)
    assert narrow.microdata.variables == ["citizenship"]
    assert [g.says for g in narrow.microdata.generalisation] == ["country"]
    assert sorted({r["citizenship"] for r in narrow.microdata.rows}) == ["BGR", "ROU"]
    assert (narrow.microdata.suppressed, check_k(narrow.microdata.rows, ["citizenship"], 11)) == (3, 12)
    assert set(narrow.microdata.rows[0]) == {"citizenship"}
    assert check_k(everything.microdata.rows, VARIABLES, 11) >= 11
    assert everything.microdata.precision_loss > narrow.microdata.precision_loss
    with pytest.raises(InvalidInput, match=r"epsilon of a release is 0\.01 to 10"), transaction(node.engine) as session:
        make_release(session, boss, epsilon=0.001)
    for wrong in (["name"], [], ["sex", "sex"]):
        with pytest.raises(InvalidInput, match="variables are one or more of"), transaction(node.engine) as session:
            make_release(session, boss, variables=wrong)


def test_the_indicator_counts_protect_a_traveller_not_an_alert(node: Node, tmp_path: Path) -> None:
    add_persons(node, tmp_path, [["k1", "Kowalska", "Anna"]])
    with transaction(node.engine) as session:
        record = session.scalars(select(PersonRecord.id)).one()
    payer, destination = ({"kind": "indicator", "id": i} for i in ("third_party_payer", "shared_destination"))
    alerts = [
        ("screening", AlertSubject(person_id=record), [payer, destination]),
        ("screening", AlertSubject(person_id=record), [payer]),  # the same traveller met again: counted once
        ("screening", AlertSubject(ref="t:1"), [payer]),  # no person record: the alert is the unit
        ("screening", AlertSubject(ref="t:2"), [{"kind": "hit", "id": "x"}]),
        ("rule", AlertSubject(ref="t:3"), [payer]),  # not a border screening
    ]
    with transaction(node.engine) as session:
        for kind, subject, explanation in alerts:
            open_alert(session, "t", kind=kind, subject=subject, decision="refer", score=0.5, explanation=explanation)
    with transaction(node.engine) as session:
        found = traveller_indicators(session, range(THIS_YEAR, THIS_YEAR + 1))
        assert traveller_indicators(session, range(THIS_YEAR - 3, THIS_YEAR)) == []
    assert sorted(found) == [[], ["third_party_payer"], ["third_party_payer", "shared_destination"]]


def test_the_command_line_writes_a_release(node: Node) -> None:
    env = {
        "PALERMO_HOME": str(node.home),
        "PALERMO_DATABASE_URL": node.settings.effective_database_url,
        "PALERMO_AGENCY": node.agency_code,
        "PALERMO_JUSTIFICATION": "oversight",
    }
    out = node.home / "release.json"
    result = CliRunner().invoke(app, ["stats", "release", "--epsilon", "0.8", "--output", str(out)], env=env)
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text())
    assert written["epsilon_total"] == pytest.approx(0.8)
    assert written["microdata"]["k"] == 11
    narrow = CliRunner().invoke(
        app, ["stats", "release", "--variables", "sex, exploitation", "--from", "2020"], env=env
    )
    assert narrow.exit_code == 0, narrow.output
    assert '"variables": [' in narrow.output
    refused = CliRunner().invoke(app, ["stats", "release", "--k", "5"], env=env)
    assert refused.exit_code != 0
    assert "k is at least 11" in refused.output
