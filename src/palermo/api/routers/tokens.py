"""API tokens: create (shown once), list, revoke. One's own, or anyone's with ``tokens.manage_all``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, NodeDep, SessionDep, permitted
from palermo.auth import tokens
from palermo.auth.tokens import MAX_DAYS

router = APIRouter(prefix=f"{API_PREFIX}/tokens", tags=["tokens"])


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="What the token is for.")
    scopes: list[str] | None = Field(None, max_length=50, description="Permission ids (default: all you hold).")
    days: int | None = Field(None, ge=1, le=MAX_DAYS, description="Lifetime (default PALERMO_TOKEN_DEFAULT_DAYS).")


class TokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    username: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class NewTokenOut(BaseModel):
    token: TokenOut
    secret: str = Field(description="The bearer token, shown only this once; only its SHA-256 is kept.")


@router.get("", **permitted("auth.self"))
def list_tokens(
    session: SessionDep, actor: ActorDep, everyone: Annotated[bool, Query(description="All users' tokens.")] = False
) -> list[TokenOut]:
    """Your API tokens (or everyone's, for administrators)."""
    return [TokenOut.model_validate(t) for t in tokens.list_tokens(session, actor, everyone=everyone)]


@router.post("", status_code=201, **permitted("auth.self"))
def create_token(body: TokenIn, session: SessionDep, actor: ActorDep, node: NodeDep) -> NewTokenOut:
    """Create an API token for yourself, limited to the given scopes; its secret is shown once."""
    new = tokens.create_token(
        session, actor, name=body.name, scopes=body.scopes, days=body.days or node.settings.token_default_days
    )
    return NewTokenOut(token=TokenOut.model_validate(new.info), secret=new.secret)


@router.delete("/{token_id}", **permitted("auth.self"))
def revoke_token(token_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], session: SessionDep, actor: ActorDep) -> TokenOut:
    """Revoke a token (yours, or anyone's for administrators); it stops working at once."""
    return TokenOut.model_validate(tokens.revoke_token(session, actor, token_id))
