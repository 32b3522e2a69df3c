"""The store itself holds the rules the core relies on under concurrency and against direct writes, on both stores:
one version per number and one revision per version, a revision names its predecessor, a referral has exactly one
basis and a legal basis is explained."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from palermo.db.engine import transaction
from palermo.db.victims import VictimAssessment, VictimReferral, VictimServiceProvider
from palermo.node import Node
from palermo.victims.cases import CaseSubject, new_case


def _assessment(case_id: int, version: int, revises_id: int | None) -> VictimAssessment:
    return VictimAssessment(
        case_id=case_id,
        version=version,
        revises_id=revises_id,
        recorded_by="test",
        interviewed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        interviewer="test",
        indicator_list="adult_labour",
        population_basis="stated",
        presumed_victim=False,
        rule_version="ilo-ec-2009",
        sealed_outcome="",
    )


def _chain(node: Node) -> tuple[int, int]:
    with transaction(node.engine) as session:
        case = new_case(session, "test", origin="manual", subject=CaseSubject(names=["A B"]))
        first = _assessment(case.id, 1, None)
        session.add(first)
        session.flush()
        return case.id, first.id


@pytest.mark.parametrize(
    ("version", "revises_first"),
    [(2, True), (1, False), (3, False)],
    ids=["second revision of version 1", "second version 1", "a revision naming nothing"],
)
def test_a_version_is_written_once_and_only_a_revision_names_a_predecessor(
    node: Node, version: int, revises_first: bool
) -> None:
    case_id, first_id = _chain(node)
    with transaction(node.engine) as session:
        session.add(_assessment(case_id, 2, first_id))  # the one revision of version 1 is accepted
    with pytest.raises(IntegrityError), transaction(node.engine) as session:
        session.add(_assessment(case_id, version, first_id if revises_first else None))


def _referral(node: Node, **fields: Any) -> None:
    case_id, _ = _chain(node)
    with transaction(node.engine) as session:
        provider = VictimServiceProvider(
            key="p", name="P", services=["shelter"], country="AUT", contact="x", languages=[], serves_children=False,
            active=True, loaded_by="test",
        )  # fmt: skip
        session.add(provider)
        session.flush()
        session.add(
            VictimReferral(
                case_id=case_id,
                provider_id=provider.id,
                service="shelter",
                data_categories=[],
                referred_by="t",
                **fields,
            )
        )


@pytest.mark.parametrize(
    "fields", [{}, {"legal_basis": "vital_interests"}], ids=["no basis", "legal basis without a note"]
)
def test_a_referral_rests_on_one_explained_basis(node: Node, fields: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError):
        _referral(node, **fields)


def test_a_referral_with_an_explained_legal_basis_is_stored(node: Node) -> None:
    _referral(node, legal_basis="vital_interests", sealed_legal_basis_note="(sealed note)")
