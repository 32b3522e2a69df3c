"""Fixtures of the audit tests: a fresh migrated node store, a signing key, a small signed log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from palermo.audit import AuditEvent, ObjectRef, append, sign_tree_head
from palermo.audit.keys import SigningKey, create_signing_key
from palermo.db.engine import transaction


@pytest.fixture
def key(tmp_path: Path) -> SigningKey:
    return create_signing_key(tmp_path / "key-home")


def _event(n: int, action: str = "consultation") -> AuditEvent:
    """One synthetic event; ``n`` makes it distinct."""
    return AuditEvent(
        actor=f"analyst-{n % 3}",
        agency="BPOL",
        action=action,
        objects=(ObjectRef(type="person_record", id=str(1000 + n)),),
        justification=f"CASE-2026-{n:04d}",
        result_count=n % 5,
        client_address="10.0.0.7",
        details={"query": f"name~Ivanova {n}", "page": n, "ключ": "значение"},
    )


def _fill(engine: Engine, key: SigningKey, count: int, sign_every: int = 0) -> None:
    """Append ``count`` events, one transaction each, signing a head after every ``sign_every`` appends."""
    for n in range(count):
        with transaction(engine) as session:
            append(session, _event(n))
            if sign_every and (n + 1) % sign_every == 0:
                sign_tree_head(session, key)


Fill = Callable[[Engine, SigningKey, int, int], None]
MakeEvent = Callable[[int], AuditEvent]


@pytest.fixture
def event() -> MakeEvent:
    """``event(n)``: a distinct synthetic consultation event."""
    return _event


@pytest.fixture
def fill() -> Callable[..., None]:
    """``fill(engine, key, count, sign_every=0)``: append events in separate transactions, signing heads."""
    return _fill
