"""The demo's sign-in: an account with a one-time password, made for whoever runs ``palermo demo``."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from palermo.auth import users
from palermo.auth.actor import cli_actor
from palermo.db.accounts import User
from palermo.db.engine import transaction
from palermo.node import Node

DEMO_ROLE = "supervisor"  # sees the dashboard, persons, users; oversight and admin pages need their own roles


def demo_login(node: Node, *, role: str = DEMO_ROLE, operator: str = "cli:demo") -> tuple[str, str]:
    """Create a demo account (``demo-<random>``) and return its username and one-time password.

    The password must be changed at first sign-in, like every one-time password.
    """
    with transaction(node.engine) as session:
        taken = set(session.scalars(select(User.username).where(User.username.like("demo-%"))))
        username = next(name for name in (f"demo-{secrets.token_hex(2)}" for _ in range(100)) if name not in taken)
        created = users.create_user(
            session, cli_actor(operator, node.agency_code), username=username, role=role, display_name="Demo user"
        )
    return created.user.username, created.one_time_password
