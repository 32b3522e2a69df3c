"""Login on a real store: Argon2id at rest, wrong passwords counted, lockouts per user and address, TOTP."""

from __future__ import annotations

import datetime as dt
import threading

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from palermo.auth import login, passwords, users
from palermo.auth.actor import user_actor
from palermo.db.accounts import LoginThrottle, User
from palermo.db.engine import transaction
from palermo.errors import InvalidInput, NotAuthenticated, TooManyAttempts
from palermo.node import Node
from tests.factories import PASSWORD, make_user, operator

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def attempt(
    node: Node,
    username: str,
    password: str,
    *,
    address: str = "10.0.0.1",
    totp: str | None = None,
    now: dt.datetime = NOW,
) -> User:
    with transaction(node.engine) as session:
        return login.authenticate(
            session,
            username=username,
            password=password,
            totp_code=totp,
            client_address=address,
            settings=node.settings,
            now=now,
        )


def stored(node: Node, username: str) -> User:
    with transaction(node.engine) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        session.expunge(user)
        return user


def test_passwords_are_stored_as_argon2id_hashes(node: Node) -> None:
    make_user(node, "alice", "analyst")
    row = stored(node, "alice")
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert not row.must_change_password


def test_a_hash_made_with_other_parameters_still_verifies_and_is_redone_at_login(node: Node) -> None:
    make_user(node, "alice", "analyst")
    stronger = PasswordHasher(time_cost=2, memory_cost=7168 * 3, parallelism=2).hash(PASSWORD)
    with transaction(node.engine) as session:
        session.execute(update(User).where(User.username == "alice").values(password_hash=stronger))
    assert passwords.needs_rehash(stronger)
    assert attempt(node, "alice", PASSWORD).username == "alice"
    rehashed = stored(node, "alice").password_hash
    assert rehashed != stronger
    assert not passwords.needs_rehash(rehashed)
    assert attempt(node, "alice", PASSWORD).username == "alice"


def test_new_users_must_change_their_one_time_password(node: Node) -> None:
    with transaction(node.engine) as session:
        new = users.create_user(session, operator(node), username="bob", role="analyst")
    assert attempt(node, "bob", new.one_time_password).must_change_password


def test_good_login_returns_the_user_and_stamps_it(node: Node) -> None:
    make_user(node, "alice", "analyst")
    assert attempt(node, "alice", PASSWORD).username == "alice"
    assert stored(node, "alice").last_login_at is not None


def test_wrong_password_is_refused_and_counted_although_the_request_fails(node: Node) -> None:
    make_user(node, "alice", "analyst")
    with pytest.raises(NotAuthenticated, match="wrong username or password"):
        attempt(node, "alice", "not the password")
    assert stored(node, "alice").failed_logins == 1


def test_lockout_after_max_failures_refuses_even_the_right_password_until_it_ends(node: Node) -> None:
    make_user(node, "alice", "analyst")
    limit, lockout = node.settings.login_max_failures, node.settings.login_lockout_seconds
    for i in range(limit):
        with pytest.raises(NotAuthenticated):
            attempt(node, "alice", "wrong", address=f"10.0.1.{i}")
    with pytest.raises(NotAuthenticated, match="wrong username or password"):
        attempt(node, "alice", PASSWORD, address="10.0.2.1")
    later = NOW + dt.timedelta(seconds=lockout + 1)
    assert attempt(node, "alice", PASSWORD, address="10.0.2.1", now=later).failed_logins == 0


def test_each_failure_beyond_the_limit_doubles_the_lockout(node: Node) -> None:
    make_user(node, "alice", "analyst")
    limit, lockout = node.settings.login_max_failures, node.settings.login_lockout_seconds
    for i in range(limit):
        with pytest.raises(NotAuthenticated):
            attempt(node, "alice", "wrong", address=f"10.0.1.{i}")
    after_first = NOW + dt.timedelta(seconds=lockout + 1)
    with pytest.raises(NotAuthenticated):
        attempt(node, "alice", "wrong", address="10.0.3.1", now=after_first)
    locked_until = stored(node, "alice").locked_until
    assert locked_until is not None
    assert locked_until.replace(tzinfo=dt.UTC) == after_first + dt.timedelta(seconds=2 * lockout)


def test_one_address_guessing_many_usernames_is_locked_out(node: Node) -> None:
    make_user(node, "alice", "analyst")
    for i in range(node.settings.login_max_failures):
        with pytest.raises(NotAuthenticated):
            attempt(node, f"nobody{i}", "guess", address="192.0.2.9")
    with pytest.raises(TooManyAttempts, match="this address"):
        attempt(node, "alice", PASSWORD, address="192.0.2.9")
    assert attempt(node, "alice", PASSWORD, address="192.0.2.10").username == "alice"
    with transaction(node.engine) as session:
        assert session.get(LoginThrottle, "192.0.2.9") is not None


def test_disabled_accounts_cannot_log_in(node: Node) -> None:
    make_user(node, "alice", "analyst")
    with transaction(node.engine) as session:
        users.set_disabled(session, operator(node), "alice")
    with pytest.raises(NotAuthenticated, match="disabled"):
        attempt(node, "alice", PASSWORD)


def enrol_totp(node: Node, username: str) -> str:
    secret_key = node.settings.secret_key
    with transaction(node.engine) as session:
        actor = user_actor(users.find_user(session, username), node.agency_code)
        secret, uri = users.begin_totp(session, actor, secret_key)
        assert uri.startswith("otpauth://totp/")
        users.confirm_totp(session, actor, pyotp.TOTP(secret).now(), secret_key)
    return secret


def test_totp_second_factor(node: Node) -> None:
    make_user(node, "alice", "analyst")
    secret = enrol_totp(node, "alice")
    row = stored(node, "alice")
    assert row.totp_enabled
    assert row.totp_secret_encrypted is not None
    assert secret not in row.totp_secret_encrypted
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(NotAuthenticated, match="give the current TOTP code"):
        attempt(node, "alice", PASSWORD, now=now)
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 500_000) % 1_000_000:06d}"
    with pytest.raises(NotAuthenticated, match="wrong TOTP code"):
        attempt(node, "alice", PASSWORD, totp=wrong, now=now)
    assert stored(node, "alice").failed_logins == 1
    assert attempt(node, "alice", PASSWORD, totp=pyotp.TOTP(secret).now(), now=now).username == "alice"


def test_reset_gives_a_new_one_time_password_and_clears_the_lockout(node: Node) -> None:
    make_user(node, "alice", "analyst")
    for i in range(node.settings.login_max_failures):
        with pytest.raises(NotAuthenticated):
            attempt(node, "alice", "wrong", address=f"10.0.1.{i}")
    with transaction(node.engine) as session:
        new = users.reset_password(session, operator(node), "alice")
    user = attempt(node, "alice", new.one_time_password, address="10.0.9.9")
    assert user.must_change_password


def test_a_locked_account_answers_as_an_unknown_one_does(node: Node) -> None:
    """Account enumeration (issue 17): the lockout must not tell that the username exists."""
    make_user(node, "alice", "analyst")
    for i in range(node.settings.login_max_failures):
        with pytest.raises(NotAuthenticated):
            attempt(node, "alice", "wrong", address=f"10.0.1.{i}")
    with pytest.raises(NotAuthenticated) as locked:
        attempt(node, "alice", "wrong", address="10.0.4.1")
    with pytest.raises(NotAuthenticated) as unknown:
        attempt(node, "nobody", "wrong", address="10.0.4.2")
    assert (locked.value.status_code, locked.value.message) == (unknown.value.status_code, unknown.value.message)
    assert "alice" not in locked.value.message


def test_parallel_wrong_passwords_are_all_counted(node: Node) -> None:
    """Issue 17: parallel guesses raced the counter (5 of 100 counted); each one is one atomic increment."""
    make_user(node, "alice", "analyst")
    guesses = 12
    lenient = node.settings.model_copy(update={"login_max_failures": 100})
    outcomes: list[str] = []

    def guess(n: int) -> None:
        try:
            with transaction(node.engine) as session:
                login.authenticate(
                    session,
                    username="alice",
                    password=f"guess {n}",
                    totp_code=None,
                    client_address="198.51.100.7",
                    settings=lenient,
                )
        except NotAuthenticated:
            outcomes.append("refused")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["refused"] * guesses
    assert stored(node, "alice").failed_logins == guesses
    with transaction(node.engine) as session:
        throttle = session.get(LoginThrottle, "198.51.100.7")
        assert throttle is not None
        assert throttle.failures == guesses


def test_a_partner_service_account_never_signs_in_with_a_password(node: Node) -> None:
    """Service accounts (role partner_node) authenticate with their API token only; `users reset` refuses them."""
    with pytest.raises(InvalidInput, match="partners add"), transaction(node.engine) as session:
        users.create_user(session, operator(node), username="partner-x", role="partner_node")
    make_user(node, "carol", "analyst")
    with transaction(node.engine) as session:  # an account made partner_node by other means (an older version)
        session.execute(update(User).where(User.username == "carol").values(role="partner_node"))
    with pytest.raises(NotAuthenticated, match="wrong username or password"):
        attempt(node, "carol", PASSWORD)
    with pytest.raises(InvalidInput, match="API token"), transaction(node.engine) as session:
        users.reset_password(session, operator(node), "carol")
