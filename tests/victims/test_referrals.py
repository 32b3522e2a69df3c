"""Providers, consent and referral on both stores: refused without consent or a recorded legal basis, stopped by a
withdrawal, every refusal and disclosure in the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from palermo.db.engine import transaction
from palermo.db.victims import VictimReferral
from palermo.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from palermo.node import Node
from palermo.victims.case_file import get_case
from palermo.victims.cases import CaseIn, CaseSubject, open_case
from palermo.victims.consent import ConsentIn, record_consent, withdraw_consent
from palermo.victims.providers import list_providers, load_providers
from palermo.victims.referrals import ReferralIn, refer
from tests.factories import justified_operator, operator
from tests.victims.helpers import audit_entries, person, refused

PROVIDERS = Path(__file__).parent / "providers.csv"
TODAY = dt.date(2026, 11, 3)


@pytest.fixture
def case_id(node: Node) -> int:
    with transaction(node.engine) as session:
        load_providers(session, operator(node), PROVIDERS)
        subject = CaseSubject(
            names=["Ana Popescu"], birth_date="1990-05-17", nationality="ROU", document_numbers=["X1"]
        )
        return open_case(session, justified_operator(node), CaseIn(subject=subject)).id


def consent(**fields: object) -> ConsentIn:
    values: dict[str, object] = {
        "provider": "shelter-vienna",
        "data_categories": ["identity", "circumstances"],
        "services": ["shelter"],
        "valid_until": TODAY + dt.timedelta(days=90),
        "informed_in": "ro (written leaflet, interpreter)",
    }
    return ConsentIn.model_validate(values | fields)


def referral(**fields: object) -> ReferralIn:
    values: dict[str, object] = {"provider": "shelter-vienna", "service": "shelter", "data_categories": ["identity"]}
    return ReferralIn.model_validate(values | fields)


def test_providers_load_from_a_file_idempotently_and_list_by_service(node: Node, tmp_path: Path) -> None:
    with transaction(node.engine) as session:
        first = load_providers(session, operator(node), PROVIDERS)
        again = load_providers(session, operator(node), PROVIDERS)
        children = list_providers(session, operator(node), service="child_protection")
        every = list_providers(session, operator(node))
    assert (first.inserted, first.updated, again.unchanged) == (4, 0, 4)
    assert [p.key for p in children] == ["child-at"]
    assert [p.country for p in every] == ["AUT"] * 4
    assert every[1].languages == ["de", "en", "uk"]
    assert every[1].active  # an empty 'active' is yes
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "key,name,services,country,contact\nok,Fine,shelter,AT,x\nBad Key,Name,spa,ZZ,\n,,,,\n", encoding="utf-8"
    )
    with refused(node, InvalidInput, r"2 bad rows: line 3: missing contact; line 4: missing") as session:
        load_providers(session, operator(node), bad)


def test_a_referral_without_consent_is_refused_and_the_refusal_logged(node: Node, case_id: int) -> None:
    worker = person(node, "caseworker", "victim_support")
    with refused(node, PermissionDenied, "no consent covers sharing identity with shelter-vienna") as session:
        refer(session, worker, case_id, referral(), today=TODAY)
    [refusal] = audit_entries(node, "refusal")
    assert refusal.details["permission"] == "victims.refer"
    assert "the case holds no consent" in refusal.details["reason"]
    assert refusal.justification == "legal_basis:victim_protection"
    assert audit_entries(node, "disclosure") == []
    with transaction(node.engine) as session:
        assert session.scalars(select(VictimReferral)).all() == []


def test_a_consent_covers_only_its_provider_service_categories_and_time(node: Node, case_id: int) -> None:
    worker = person(node, "caseworker", "victim_support")
    with transaction(node.engine) as session:
        given = record_consent(session, worker, case_id, consent(), today=TODAY)
    assert (given.provider, given.explained_by, given.given_by) == ("shelter-vienna", "user:caseworker", "person")
    for wrong, words in [
        (referral(data_categories=["identity", "health"]), "does not cover health"),
        (referral(service="medical"), "not for medical .only shelter."),
        (referral(provider="legal-aid-at", service="legal_aid"), "given for another provider"),
    ]:
        with refused(node, PermissionDenied, f"consent {given.id}: {words}") as session:
            refer(session, worker, case_id, wrong, today=TODAY)
    with refused(node, PermissionDenied, r"expired on 2027-02-01") as session:
        refer(session, worker, case_id, referral(), today=TODAY + dt.timedelta(days=91))
    with transaction(node.engine) as session:
        done = refer(session, worker, case_id, referral(data_categories=["identity", "circumstances"]), today=TODAY)
    assert done.basis == f"consent:{given.id}"
    assert done.shared is not None
    assert set(done.shared) == {"identity", "circumstances"}
    assert done.shared["identity"]["names"] == ["Ana Popescu"]
    assert "documents" not in done.shared  # document numbers were not consented to
    [disclosure] = audit_entries(node, "disclosure")
    assert (disclosure.actor, disclosure.objects) == ("user:caseworker", [{"type": "victim_case", "id": str(case_id)}])
    assert len(audit_entries(node, "refusal")) == 4


def test_withdrawal_stops_further_sharing_and_is_logged(node: Node, case_id: int) -> None:
    worker = person(node, "caseworker", "victim_support")
    with transaction(node.engine) as session:
        given = record_consent(session, worker, case_id, consent(), today=TODAY)
        first = refer(session, worker, case_id, referral(), today=TODAY)
    with transaction(node.engine) as session:
        withdrawn = withdraw_consent(session, worker, given.id, "the person left the shelter and wants no contact")
    assert withdrawn.stopped_referrals == [first.id]
    assert withdrawn.withdrawn_by == "user:caseworker"
    with refused(node, PermissionDenied, f"consent {given.id}: withdrawn on") as session:
        refer(session, worker, case_id, referral(), today=TODAY)
    with refused(node, Conflict, "already withdrawn") as session:
        withdraw_consent(session, worker, given.id)
    with transaction(node.engine) as session:
        case = get_case(session, worker, case_id)
    assert case.consents[0].withdrawn_at is not None
    assert case.referrals[0].stopped_at is not None
    alterations = [e for e in audit_entries(node, "alteration") if e.details["permission"] == "victims.consent"]
    assert [e.objects for e in alterations] == [
        [{"type": "victim_case", "id": str(case_id)}],
        [{"type": "victim_consent", "id": str(given.id)}],
    ]


def test_a_recorded_legal_basis_replaces_consent_only_with_a_note(node: Node, case_id: int) -> None:
    worker = person(node, "caseworker", "victim_support")
    urgent = referral(provider="child-at", service="child_protection", legal_basis="child_protection_duty")
    with refused(node, PermissionDenied, "child_protection_duty needs a note") as session:
        refer(session, worker, case_id, urgent, today=TODAY)
    noted = urgent.model_copy(update={"legal_basis_note": "age assessment pending; the law requires the referral"})
    with transaction(node.engine) as session:
        done = refer(session, worker, case_id, noted, today=TODAY)
    assert (done.basis, done.legal_basis_note) == ("child_protection_duty", noted.legal_basis_note)
    with refused(node, InvalidInput, "unknown referral_legal_bases value 'convenience'") as session:
        refer(session, worker, case_id, urgent.model_copy(update={"legal_basis": "convenience"}), today=TODAY)


def test_consent_and_referral_need_their_permissions(node: Node, case_id: int) -> None:
    officer = person(node, "officer", "border_officer")
    admin = person(node, "admin1", "admin")
    with refused(node, PermissionDenied, "permission 'victims.consent'") as session:
        record_consent(session, officer, case_id, consent(), today=TODAY)
    with refused(node, PermissionDenied, "permission 'victims.refer'") as session:
        refer(session, officer, case_id, referral(), today=TODAY)
    with refused(node, PermissionDenied, "permission 'victims.providers'") as session:
        list_providers(session, admin)
    with transaction(node.engine) as session:
        assert len(list_providers(session, officer)) == 4
    logged = [(e.actor, e.details["permission"]) for e in audit_entries(node, "refusal")]
    assert logged == [
        ("user:officer", "victims.consent"),
        ("user:officer", "victims.refer"),
        ("user:admin1", "victims.providers"),
    ]


def test_bad_consent_input_is_refused_clearly(node: Node, case_id: int) -> None:
    worker = person(node, "caseworker", "victim_support")
    for wrong, words in [
        (consent(services=["legal_aid"]), "provider 'shelter-vienna' does not offer legal_aid"),
        (consent(valid_until=TODAY - dt.timedelta(days=1)), "has already expired"),
        (consent(data_categories=["secrets"]), "unknown victim_data_categories value 'secrets'"),
        (consent(provider="nobody"), "no service provider 'nobody'"),
    ]:
        with pytest.raises((InvalidInput, NotFound), match=words), transaction(node.engine) as session:
            record_consent(session, worker, case_id, wrong, today=TODAY)
