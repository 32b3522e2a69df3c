"""What ``palermo demo`` does at its end: a demo account with a one-time password, then serve the application."""

from __future__ import annotations

import secrets

import uvicorn
from sqlalchemy import select

from palermo.auth import users
from palermo.auth.actor import cli_actor
from palermo.db.accounts import User
from palermo.db.engine import transaction
from palermo.node import Node
from palermo.web.deps import WEB_PREFIX

DEMO_HOST = "127.0.0.1"
DEMO_PORT = 8000
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


def address(host: str, port: int) -> str:
    """The address to print for the pages of a node served on ``host:port``."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 (comparing, not binding)
    return f"http://{shown}:{port}{WEB_PREFIX}/"


def serve(node: Node, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and the pages of ``node`` until interrupted (what ``palermo serve`` runs, for one node)."""
    from palermo.api import create_app
    from palermo.api.server import SERVER_OPTIONS

    uvicorn.run(create_app(node), host=host, port=port, **SERVER_OPTIONS)
