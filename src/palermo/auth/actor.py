"""Who is acting: a signed-in user, a script with an API token, or the node's operator on the command line."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, Protocol

from palermo.auth.justification import Justification

ActorKind = Literal["user", "token", "cli"]


class Account(Protocol):
    """What acting needs of an account: a ``User`` row, or a token's owner read with the token."""

    @property
    def id(self) -> int: ...
    @property
    def username(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def must_change_password(self) -> bool: ...


@dataclass(frozen=True)
class Actor:
    """Everything an access decision (and its audit entry) needs about the one acting.

    ``scopes`` narrows a token to a subset of the role's permissions (``None``: the whole role). ``operator`` is
    the node's operator on the command line: any permission, but personal data still needs a justification.
    """

    name: str
    kind: ActorKind
    role: str | None
    user_id: int | None = None
    agency_code: str | None = None
    scopes: frozenset[str] | None = None
    justification: Justification | None = None
    client_address: str | None = None
    must_change_password: bool = False
    operator: bool = False
    token_id: int | None = None

    def justified(self, justification: Justification | None) -> Actor:
        return replace(self, justification=justification)


def user_actor(
    user: Account,
    agency_code: str,
    *,
    client_address: str | None = None,
    justification: Justification | None = None,
) -> Actor:
    """A user signed in with a web session."""
    return Actor(
        name=f"user:{user.username}",
        kind="user",
        role=user.role,
        user_id=user.id,
        agency_code=agency_code,
        justification=justification,
        client_address=client_address,
        must_change_password=user.must_change_password,
    )


def token_actor(
    user: Account,
    agency_code: str,
    *,
    token_id: int,
    scopes: frozenset[str],
    client_address: str | None = None,
    justification: Justification | None = None,
) -> Actor:
    """A script presenting one of ``user``'s API tokens, limited to the token's scopes."""
    return replace(
        user_actor(user, agency_code, client_address=client_address, justification=justification),
        name=f"token:{user.username}/{token_id}",
        kind="token",
        scopes=scopes,
        token_id=token_id,
    )


def cli_actor(os_user: str, agency_code: str, justification: Justification | None = None) -> Actor:
    """The node's operator at the command line (``cli:<os user>``)."""
    return Actor(
        name=os_user, kind="cli", role=None, agency_code=agency_code, justification=justification, operator=True
    )
