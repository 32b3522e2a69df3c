"""User accounts: list, create (one-time password shown once), disable, enable, reset."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from palermo.api.deps import API_PREFIX, ActorDep, SessionDep, permitted
from palermo.auth import users
from palermo.auth.users import NewUser, UserInfo

router = APIRouter(prefix=f"{API_PREFIX}/users", tags=["users"])

Username = Annotated[str, Path(min_length=1, max_length=64)]


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")
    role: str = Field(min_length=1, max_length=32, description="A role id from roles.yaml.")
    display_name: str | None = Field(None, max_length=200)
    agency: str | None = Field(None, max_length=64, description="Agency code (default: this node's agency).")


class ResetIn(BaseModel):
    reset_totp: bool = False


@router.get("", **permitted("users.read"))
def list_users(session: SessionDep, actor: ActorDep) -> list[UserInfo]:
    """Every account with its role and state."""
    return users.list_users(session, actor)


@router.post("", status_code=201, **permitted("users.manage"))
def create_user(body: UserIn, session: SessionDep, actor: ActorDep) -> NewUser:
    """Create an account; the answer carries its one-time password, shown only this once."""
    return users.create_user(
        session, actor, username=body.username, role=body.role, display_name=body.display_name, agency_code=body.agency
    )


@router.get("/{username}", **permitted("users.read"))
def get_user(username: Username, session: SessionDep, actor: ActorDep) -> UserInfo:
    """One account."""
    return users.get_user(session, actor, username)


@router.post("/{username}/disable", **permitted("users.manage"))
def disable_user(username: Username, session: SessionDep, actor: ActorDep) -> UserInfo:
    """Disable an account: its sessions end and its tokens stop working."""
    return users.set_disabled(session, actor, username, disabled=True)


@router.post("/{username}/enable", **permitted("users.manage"))
def enable_user(username: Username, session: SessionDep, actor: ActorDep) -> UserInfo:
    """Re-enable a disabled account."""
    return users.set_disabled(session, actor, username, disabled=False)


@router.post("/{username}/reset", **permitted("users.manage"))
def reset_user(username: Username, body: ResetIn, session: SessionDep, actor: ActorDep) -> NewUser:
    """A new one-time password (shown once); clears the lockout, optionally the second factor."""
    return users.reset_password(session, actor, username, reset_totp=body.reset_totp)
