"""Special-category protection on both stores: victim fields sealed at rest under a key outside the store, counts only
without ``victims.read`` (alerts included), every read logged with its justification, the key rotated and missing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from palermo import alerts
from palermo.db import migrate
from palermo.db.engine import make_engine, transaction
from palermo.errors import ConfigurationError, PermissionDenied
from palermo.node import Node, init_node
from palermo.screening.requests import ScreeningRequest
from palermo.screening.service import screen
from palermo.settings import Settings
from palermo.victims import rekey
from palermo.victims.assessments import AssessmentIn, record_assessment
from palermo.victims.case_file import get_case
from palermo.victims.cases import CaseIn, CaseSubject, list_cases, open_case
from palermo.victims.consent import ConsentIn, record_consent
from palermo.victims.counts import case_counts
from palermo.victims.field_key import key_path
from palermo.victims.providers import load_providers
from palermo.victims.referrals import ReferralIn, refer
from tests.factories import justified_operator, load, operator, write_list
from tests.victims.helpers import audit_entries, person, refused

PROVIDERS = Path(__file__).parent / "providers.csv"
SECRETS = ("Mariana Zbarciuc", "MZ771204", "locked in the flat in Linz", "Tigrinya", "hospital in Graz", "ec.low_pay")
QUERIES = {
    "victim_cases": "SELECT subject, note FROM victim_cases",
    "victim_assessments": "SELECT outcome, note FROM victim_assessments",
    "victim_observations": "SELECT indicator_id, note FROM victim_observations",
    "victim_consents": "SELECT informed_in, note FROM victim_consents",
    "victim_referrals": "SELECT legal_basis_note, note FROM victim_referrals",
}


def _filled(node: Node) -> int:
    """A case with every sealed field filled with something recognisable (SECRETS)."""
    worker = person(node, "caseworker", "victim_support")
    with transaction(node.engine) as session:
        load_providers(session, operator(node), PROVIDERS)
        subject = CaseSubject(names=[SECRETS[0]], birth_date="1998-12-04", document_numbers=[SECRETS[1]])
        case_id = open_case(session, worker, CaseIn(subject=subject, note=SECRETS[2])).id
        observations = [{"indicator": i, "note": SECRETS[2]} for i in ("dr.job_nature", "dr.wages", SECRETS[5])]
        assessment = {"exploitation": "labour", "population": "adult", "observations": observations, "note": "n"}
        record_assessment(session, worker, case_id, AssessmentIn.model_validate(assessment))
        terms = {"provider": "shelter-vienna", "data_categories": ["identity"], "services": ["shelter"]}
        until = dt.date.today() + dt.timedelta(days=30)
        given = {"valid_until": until, "informed_in": SECRETS[3], "note": SECRETS[2]}
        record_consent(session, worker, case_id, ConsentIn.model_validate(terms | given))
        basis = {"legal_basis": "vital_interests", "legal_basis_note": SECRETS[4], "note": SECRETS[2]}
        shared = {"provider": "shelter-vienna", "service": "shelter", "data_categories": ["identity"]}
        refer(session, worker, case_id, ReferralIn.model_validate(shared | basis))
    return case_id


def _raw(node: Node) -> dict[str, list[str | None]]:
    with node.engine.connect() as connection:
        return {
            table: [v if v is None else str(v) for row in connection.execute(text(query)) for v in row]
            for table, query in QUERIES.items()
        }


def test_every_sealed_column_holds_ciphertext_and_the_core_reads_it_back(node: Node) -> None:
    case_id = _filled(node)
    raw = _raw(node)
    for table, values in raw.items():
        present = [v for v in values if v is not None]
        assert present, table
        assert all(v.startswith("pv1.") for v in present), (table, present)
        for secret in SECRETS:
            assert not any(secret in v for v in present), (table, secret)
    with transaction(node.engine) as session:
        case = get_case(session, person(node, "reader", "victim_support"), case_id)
    assert case.subject["names"] == [SECRETS[0]]
    assert case.note == SECRETS[2]
    assert case.consents[0].informed_in == SECRETS[3]
    assert case.referrals[0].legal_basis_note == SECRETS[4]


def test_a_sealed_value_moved_to_another_row_does_not_open(node: Node) -> None:
    first = _filled(node)
    with transaction(node.engine) as session:
        second = open_case(session, justified_operator(node), CaseIn(subject=CaseSubject(names=["Someone Else"]))).id
    with node.engine.begin() as connection:
        connection.execute(
            text("UPDATE victim_cases SET subject = (SELECT subject FROM victim_cases WHERE id = :a) WHERE id = :b"),
            {"a": first, "b": second},
        )
    with refused(node, ConfigurationError, "altered or moved") as session:
        get_case(session, person(node, "reader", "supervisor"), second)


def test_without_the_key_file_victim_data_is_neither_read_nor_written(node: Node) -> None:
    case_id = _filled(node)
    kept = key_path(node.home).read_bytes()
    key_path(node.home).unlink()
    reader = person(node, "reader", "supervisor")
    with refused(node, ConfigurationError, "victim-fields.key is missing") as session:
        get_case(session, reader, case_id)
    with refused(node, ConfigurationError, "is missing") as session:
        open_case(session, reader, CaseIn(subject=CaseSubject(names=["New Person"])))
    key_path(node.home).write_bytes(kept)
    key_path(node.home).chmod(0o600)
    with transaction(node.engine) as session:
        assert get_case(session, reader, case_id).note == SECRETS[2]


def test_rotation_reseals_every_field_under_a_new_key_and_retires_the_old(node: Node) -> None:
    case_id = _filled(node)
    before = _raw(node)
    old_key = key_path(node.home).read_text()
    admin = person(node, "keeper", "admin", justified=False)
    with transaction(node.engine) as session:
        new_kid = rekey.prepare_next_key(node.home)
        report = rekey.reseal_all(session, admin, node.home, new_kid)
    rekey.finish_rotation(node.home)
    assert report.fields["victim_observations"] == 6
    assert report.fields["victim_cases"] == 2
    assert key_path(node.home).read_text() != old_key
    assert new_kid in key_path(node.home).read_text()
    after = _raw(node)
    for table in QUERIES:
        assert all(v is None or v.startswith(f"pv1.{new_kid}.") for v in after[table])
        assert all(a != b for a, b in zip(before[table], after[table], strict=True) if a is not None)
    with transaction(node.engine) as session:
        assert get_case(session, person(node, "reader", "supervisor"), case_id).subject["names"] == [SECRETS[0]]
    with refused(node, PermissionDenied, "victims.rekey") as session:
        rekey.reseal_all(session, person(node, "worker2", "victim_support"), node.home, new_kid)


def test_without_victims_read_a_reader_gets_counts_only(node: Node) -> None:
    _filled(node)
    officer = person(node, "officer", "border_officer", basis="border_control")
    with refused(node, PermissionDenied, "victims.read") as session:
        list_cases(session, officer)
    with transaction(node.engine) as session:
        counts = case_counts(session, officer)
    assert (counts.total, counts.by_origin["manual"], counts.assessed, counts.presumed_victims) == (1, 1, 1, 0)
    assert SECRETS[0] not in counts.model_dump_json()


def test_every_read_is_logged_with_its_justification(node: Node) -> None:
    case_id = _filled(node)
    with transaction(node.engine) as session:
        get_case(session, person(node, "reader", "supervisor", basis="victim_protection"), case_id)
    reads = [e for e in audit_entries(node, "consultation") if e.details.get("permission") == "victims.read"]
    assert reads
    assert reads[-1].actor == "user:reader"
    assert reads[-1].justification == "legal_basis:victim_protection"
    assert reads[-1].objects == [{"type": "victim_case", "id": str(case_id)}]


def test_a_protect_alert_shows_readers_without_victims_read_only_the_hand_over(node: Node, tmp_path: Path) -> None:
    load(node, write_list(tmp_path))
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    request = ScreeningRequest(at=at, names=["Olena Shevchenko"], birth_date="2009-07-05")
    with transaction(node.engine) as session:
        result = screen(session, justified_operator(node), request, home=node.home)
    assert result.decision == "protect"
    assert result.alert_id is not None
    analyst = person(node, "analyst", "analyst", basis="border_control")
    with transaction(node.engine) as session:
        seen = alerts.get_alert(session, analyst, result.alert_id)
        listed = alerts.list_alerts(session, analyst)
        full = alerts.get_alert(session, person(node, "boss", "supervisor"), result.alert_id)
    assert seen.withheld
    assert listed[0].withheld
    assert not full.withheld
    assert [e["kind"] for e in seen.explanation] == ["victim_case", "withheld"]
    assert seen.person_id is None
    assert seen.watchlist_entry_id is None
    assert "Olena" not in seen.model_dump_json()
    assert "Shevchenko" not in listed[0].model_dump_json()
    assert len(full.explanation) > 2


def test_the_migration_seals_rows_written_before_it(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0016")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO victim_cases (opened_by, origin, status, subject, note, handling, sensitivity) "
                    "VALUES ('t', 'manual', 'open', :subject, 'kept in a cellar', 'H0', 'special')"
                ),
                {"subject": json.dumps({"names": ["Old Record"], "document_numbers": []})},
            )
        with pytest.raises(ConfigurationError, match="palermo db upgrade"):
            migrate.upgrade(engine)  # without the node home, nothing is sealed and nothing migrates
        home = tmp_path / "home"
        migrate.upgrade(engine, home=home)
        with engine.connect() as connection:
            subject, note = connection.execute(text("SELECT subject, note FROM victim_cases")).one()
        assert str(subject).startswith("pv1.")
        assert str(note).startswith("pv1.")
        assert "Old" not in str(subject)
    finally:
        engine.dispose()
    node = init_node(Settings(home=home, database_url=database_url, agency="test-agency"))
    try:
        with transaction(node.engine) as session:
            case = get_case(session, person(node, "reader", "supervisor"), 1)
        assert (case.subject["names"], case.note) == (["Old Record"], "kept in a cellar")
    finally:
        node.engine.dispose()
