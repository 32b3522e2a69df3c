"""Permissions are data, checked in the core: roles, token scopes, one-time passwords, justifications."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from palermo.auth.actor import Actor, cli_actor
from palermo.auth.justification import HEADER, Justification, parse_justification
from palermo.auth.permissions import authorize, effective_permissions, permissions, role_permissions
from palermo.db.accounts import ROLES
from palermo.errors import PermissionDenied
from palermo.settings import Settings
from palermo.taxonomies import taxonomy

PATTERN = Settings().case_reference_pattern
BORDER = Justification("legal_basis", "border_control")


def actor(role: str, **fields: object) -> Actor:
    return Actor(name=f"user:{role}", kind="user", role=role, user_id=1, **fields)  # type: ignore[arg-type]


def test_roles_taxonomy_matches_the_store_constraint() -> None:
    assert taxonomy("roles").ids == ROLES


def test_every_permission_names_known_roles_and_says_whether_it_touches_personal_data() -> None:
    declared = taxonomy("permissions")
    assert all(set(t.attributes["roles"]) <= set(ROLES) for t in declared.terms)
    assert all(isinstance(t.attributes["personal_data"], bool) for t in declared.terms)
    assert {"persons.read", "persons.search", "screening.run", "export.write"} <= {
        p.id for p in permissions().values() if p.personal_data
    }


def test_admin_holds_no_personal_data_permission() -> None:
    assert [p for p in role_permissions("admin") if permissions()[p].personal_data] == []


def test_a_role_without_the_permission_is_refused_with_the_reason() -> None:
    with pytest.raises(PermissionDenied, match="role victim_support of user:victim_support does not hold"):
        authorize(actor("victim_support"), "persons.read", BORDER)


def test_personal_data_without_justification_is_refused_saying_how_to_give_one() -> None:
    with pytest.raises(PermissionDenied) as refused:
        authorize(actor("analyst"), "persons.read")
    assert HEADER in refused.value.message
    assert "--justification" in refused.value.message
    assert "border_control" in refused.value.message


def test_a_granted_access_record_carries_the_justification_and_subject() -> None:
    record = authorize(actor("analyst"), "persons.read", BORDER, subject="person_records:7")
    assert record.granted
    entry = record.to_entry()
    assert (entry["justification"], entry["subject"], entry["permission"]) == (
        "legal_basis:border_control",
        "person_records:7",
        "persons.read",
    )


def test_token_scopes_narrow_the_role() -> None:
    scoped = actor("analyst", scopes=frozenset({"sources.read"}))
    assert effective_permissions(scoped) == {"sources.read"}
    with pytest.raises(PermissionDenied, match=r"not scoped for 'ingest\.write'"):
        authorize(scoped, "ingest.write")


def test_scopes_cannot_widen_the_role() -> None:
    assert effective_permissions(actor("border_officer", scopes=frozenset({"users.manage"}))) == set()


def test_a_one_time_password_allows_only_changing_it() -> None:
    fresh = actor("admin", must_change_password=True)
    assert effective_permissions(fresh) == {"auth.self"}
    with pytest.raises(PermissionDenied, match="must change the one-time password"):
        authorize(fresh, "users.manage")


def test_the_cli_operator_may_do_anything_but_still_justifies_personal_data() -> None:
    operator = cli_actor("cli:tester", "agency")
    assert authorize(operator, "users.manage").granted
    with pytest.raises(PermissionDenied, match="needs a justification"):
        authorize(operator, "persons.search")
    assert authorize(operator, "persons.search", Justification("case", "JIT-2026-0042")).granted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("border_control", Justification("legal_basis", "border_control")),
        (" victim_protection ", Justification("legal_basis", "victim_protection")),
        ("JIT-2026-0042", Justification("case", "JIT-2026-0042")),
        ("CASE/26/A17", Justification("case", "CASE/26/A17")),
    ],
)
def test_justifications_parse(text: str, expected: Justification) -> None:
    assert parse_justification(text, PATTERN) == expected


@pytest.mark.parametrize("text", ["", "because", "jit-2026-0042", "Border_Control", "JIT-2026-0042; DROP TABLE"])
def test_anything_else_is_refused_with_how_to(text: str) -> None:
    with pytest.raises(PermissionDenied, match="neither a legal-basis code nor a case reference"):
        parse_justification(text, PATTERN)


@given(st.text(max_size=80))
def test_any_text_is_a_justification_or_a_clear_refusal(text: str) -> None:
    outcome: str
    try:
        outcome = parse_justification(text, PATTERN).value
    except PermissionDenied as refused:
        outcome = refused.message
    assert outcome == text.strip() or HEADER in outcome
