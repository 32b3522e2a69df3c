"""Login, logout, one's own account: password change and TOTP enrolment."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Cookie, Request, Response
from pydantic import BaseModel, Field

from palermo.api.cookies import clear_session_cookies, set_session_cookies
from palermo.api.deps import API_PREFIX, ActorDep, NodeDep, SessionDep, client_address, permitted, public
from palermo.api.schemas import Message
from palermo.auth import login, sessions, users
from palermo.auth.users import UserInfo, user_info

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    totp: str | None = Field(None, max_length=16, description="Current code of the second factor, when enabled.")


class LoginOut(BaseModel):
    user: UserInfo
    csrf_token: str = Field(description=f"Echo in the {sessions.CSRF_HEADER} header of state-changing requests.")
    expires_at: dt.datetime


class PasswordIn(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class TotpSetupOut(BaseModel):
    secret: str
    provisioning_uri: str


class TotpConfirmIn(BaseModel):
    code: str = Field(min_length=6, max_length=16)


@router.post("/login", **public())
def log_in(body: LoginIn, request: Request, response: Response, session: SessionDep, node: NodeDep) -> LoginOut:
    """Check username, password (and TOTP code); start a web session in a Secure, HttpOnly, SameSite=Lax cookie."""
    user = login.authenticate(
        session,
        username=body.username,
        password=body.password,
        totp_code=body.totp,
        client_address=client_address(request),
        settings=node.settings,
    )
    started = sessions.start_session(session, user, client_address=client_address(request), settings=node.settings)
    set_session_cookies(response, started, secure=node.settings.cookie_secure)
    return LoginOut(user=user_info(session, user), csrf_token=started.csrf_token, expires_at=started.expires_at)


@router.post("/logout", **permitted("auth.self"))
def log_out(
    response: Response,
    session: SessionDep,
    palermo_session: Annotated[str | None, Cookie(include_in_schema=False)] = None,
) -> Message:
    """End the current web session."""
    if palermo_session:
        sessions.end_session(session, palermo_session)
    clear_session_cookies(response)
    return Message(message="logged out")


@router.get("/me", **permitted("auth.self"))
def me(session: SessionDep, actor: ActorDep) -> UserInfo:
    """The signed-in user."""
    return users.current_user(session, actor)


@router.post("/password", **permitted("auth.self"))
def change_password(body: PasswordIn, session: SessionDep, actor: ActorDep) -> UserInfo:
    """Change one's own password (required after a one-time password)."""
    return users.change_password(session, actor, current=body.current_password, new=body.new_password)


@router.post("/totp", **permitted("auth.self"))
def begin_totp(session: SessionDep, actor: ActorDep, node: NodeDep) -> TotpSetupOut:
    """Start enrolling a TOTP second factor: the secret and its otpauth:// URI, shown once."""
    secret, uri = users.begin_totp(session, actor, node.settings.secret_key)
    return TotpSetupOut(secret=secret, provisioning_uri=uri)


@router.post("/totp/confirm", **permitted("auth.self"))
def confirm_totp(body: TotpConfirmIn, session: SessionDep, actor: ActorDep, node: NodeDep) -> UserInfo:
    """Activate the second factor with a code from the authenticator app."""
    return users.confirm_totp(session, actor, body.code, node.settings.secret_key)
