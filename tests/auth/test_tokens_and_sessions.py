"""API tokens and web sessions on a real store: hashed at rest, scoped, expiring, revocable, idle timeout."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select, text

from palermo.auth import sessions, tokens
from palermo.auth.actor import user_actor
from palermo.auth.clock import as_utc
from palermo.auth.permissions import role_permissions
from palermo.auth.users import find_user
from palermo.db.accounts import ApiToken, WebSession
from palermo.db.engine import transaction
from palermo.errors import InvalidInput, NotAuthenticated, PermissionDenied
from palermo.node import Node
from tests.factories import make_token, make_user, operator

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def resolve(node: Node, secret: str, now: dt.datetime | None = None) -> tokens.LiveToken:
    with transaction(node.engine) as session:
        _, row = tokens.resolve_token(session, secret, now=now)
        return row


def test_tokens_are_stored_only_as_sha256(node: Node) -> None:
    make_user(node, "alice", "analyst")
    secret = make_token(node, "alice")
    assert secret.startswith("plm_")
    assert len(secret) > 40
    with node.engine.connect() as conn:
        dumped = " ".join(str(v) for row in conn.execute(text("SELECT * FROM api_tokens")) for v in row)
    assert secret not in dumped
    assert hashlib.sha256(secret.encode()).hexdigest() in dumped


def test_a_token_defaults_to_everything_its_owner_holds_and_records_last_use(node: Node) -> None:
    make_user(node, "alice", "border_officer")
    row = resolve(node, make_token(node, "alice"))
    assert set(row.scopes.split()) == role_permissions("border_officer")
    assert {"screening.run", "documents.check"} <= set(row.scopes.split())
    assert "users.manage" not in row.scopes.split()


def _last_use(node: Node) -> dt.datetime | None:
    with transaction(node.engine) as session:
        return as_utc(session.scalars(select(ApiToken.last_used_at)).one())


def test_a_token_records_its_last_use_at_most_once_a_minute(node: Node) -> None:
    """One write a minute per token, not one per request: reads stay reads (issue 17)."""
    make_user(node, "alice", "border_officer")
    secret = make_token(node, "alice")
    assert _last_use(node) is None
    resolve(node, secret, now=NOW)
    assert _last_use(node) == NOW
    resolve(node, secret, now=NOW + dt.timedelta(seconds=30))
    assert _last_use(node) == NOW
    resolve(node, secret, now=NOW + dt.timedelta(seconds=61))
    assert _last_use(node) == NOW + dt.timedelta(seconds=61)


def test_a_token_cannot_be_scoped_beyond_its_owner(node: Node) -> None:
    make_user(node, "alice", "border_officer")
    with pytest.raises(PermissionDenied, match="alice does not hold it"):
        make_token(node, "alice", scopes=["users.manage"])
    with pytest.raises(InvalidInput, match=r"unknown permission 'persons\.delete'"):
        make_token(node, "alice", scopes=["persons.delete"])


def test_expired_and_revoked_tokens_stop_working(node: Node) -> None:
    make_user(node, "alice", "analyst")
    secret = make_token(node, "alice", days=1)
    with pytest.raises(NotAuthenticated, match="expired"):
        resolve(node, secret, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    token_id = resolve(node, secret).id
    with transaction(node.engine) as session:
        tokens.revoke_token(session, operator(node), token_id)
    with pytest.raises(NotAuthenticated, match="revoked"):
        resolve(node, secret)
    with pytest.raises(NotAuthenticated, match="unknown API token"):
        resolve(node, secret + "x")


def test_users_see_and_revoke_only_their_own_tokens(node: Node) -> None:
    make_user(node, "alice", "analyst")
    make_user(node, "bob", "analyst")
    bobs = resolve(node, make_token(node, "bob")).id
    with transaction(node.engine) as session:
        alice = user_actor(find_user(session, "alice"), node.agency_code)
        assert tokens.list_tokens(session, alice) == []
        with pytest.raises(PermissionDenied, match=r"tokens\.manage_all"):
            tokens.revoke_token(session, alice, bobs)


def start(node: Node, username: str, now: dt.datetime) -> sessions.NewSession:
    with transaction(node.engine) as session:
        user = find_user(session, username)
        return sessions.start_session(session, user, client_address="10.0.0.1", settings=node.settings, now=now)


def test_session_ids_and_csrf_tokens_are_stored_hashed(node: Node) -> None:
    make_user(node, "alice", "analyst")
    started = start(node, "alice", NOW)
    with transaction(node.engine) as session:
        row = session.scalars(select(WebSession)).one()
        assert (row.session_hash, row.csrf_hash) == (
            sessions.sha256(started.session_id),
            sessions.sha256(started.csrf_token),
        )
        sessions.check_csrf(row, started.csrf_token)
        with pytest.raises(PermissionDenied, match="CSRF"):
            sessions.check_csrf(row, "forged")


def test_sessions_end_after_the_idle_timeout_and_activity_extends_them(node: Node) -> None:
    make_user(node, "alice", "analyst")
    started = start(node, "alice", NOW)
    idle = dt.timedelta(minutes=node.settings.session_idle_minutes)
    with transaction(node.engine) as session:
        sessions.resolve_session(session, started.session_id, settings=node.settings, now=NOW + idle / 2)
    with transaction(node.engine) as session:
        sessions.resolve_session(session, started.session_id, settings=node.settings, now=NOW + idle)
    with pytest.raises(NotAuthenticated, match="expired"), transaction(node.engine) as session:
        sessions.resolve_session(session, started.session_id, settings=node.settings, now=NOW + 3 * idle)


def test_sessions_end_at_the_absolute_limit_however_active(node: Node) -> None:
    make_user(node, "alice", "analyst")
    started = start(node, "alice", NOW)
    step = dt.timedelta(minutes=node.settings.session_idle_minutes - 1)
    limit = NOW + dt.timedelta(hours=node.settings.session_max_hours)
    moment = NOW
    while moment + step < limit:
        moment += step
        with transaction(node.engine) as session:
            sessions.resolve_session(session, started.session_id, settings=node.settings, now=moment)
    with pytest.raises(NotAuthenticated), transaction(node.engine) as session:
        sessions.resolve_session(session, started.session_id, settings=node.settings, now=limit)
