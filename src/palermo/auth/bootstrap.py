"""The first administrator of a new node, created by ``palermo init`` with a one-time password."""

from __future__ import annotations

from sqlalchemy import select

from palermo.auth.actor import cli_actor
from palermo.auth.users import NewUser, create_user
from palermo.db.accounts import User
from palermo.db.engine import transaction
from palermo.errors import Conflict
from palermo.node import Node


def create_first_admin(node: Node, os_user: str, username: str = "admin") -> NewUser:
    """An ``admin`` account with a random one-time password (to be changed at first login); only on a node
    without any user."""
    with transaction(node.engine) as session:
        if session.scalars(select(User.id)).first() is not None:
            raise Conflict("this node already has users; add more with `palermo users add`")
        actor = cli_actor(os_user, node.agency_code)
        return create_user(
            session, actor, username=username, role="admin", display_name="Administrator", agency_code=node.agency_code
        )
