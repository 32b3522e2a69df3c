"""``palermo tokens``: create (printed once), revoke and list API tokens, as the node's operator."""

from __future__ import annotations

import typer
from rich.table import Table

from palermo.auth import tokens
from palermo.cli.common import console, reports_errors
from palermo.cli.context import operation

app = typer.Typer(help="API tokens: create, revoke, list.", no_args_is_help=True)


@app.command("create")
@reports_errors
def create(
    user: str = typer.Option(..., "--user", help="Owner of the token."),
    name: str = typer.Option(..., help="What the token is for."),
    scope: list[str] = typer.Option(None, "--scope", help="Permission id; repeat (default: all the user holds)."),
    days: int = typer.Option(None, help="Lifetime in days (default PALERMO_TOKEN_DEFAULT_DAYS)."),
) -> None:
    """Create an API token and print it once."""
    with operation() as op:
        new = tokens.create_token(
            op.session,
            op.actor,
            username=user,
            name=name,
            scopes=scope or None,
            days=days or op.node.settings.token_default_days,
        )
    console.print(f"Token {new.info.id} for {user} (shown once; only its hash is kept):", highlight=False)
    console.print(new.secret, highlight=False, soft_wrap=True)


@app.command("revoke")
@reports_errors
def revoke(token_id: int = typer.Argument(..., help="Id of the token (see `palermo tokens list`).")) -> None:
    """Revoke an API token; it stops working at once."""
    with operation() as op:
        info = tokens.revoke_token(op.session, op.actor, token_id)
    console.print(f"Revoked token {info.id} ({info.name}) of {info.username}")


@app.command("list")
@reports_errors
def list_tokens(user: str = typer.Option(None, "--user", help="Only this user's tokens.")) -> None:
    """List API tokens: owner, name, scopes, expiry, last use, revocation."""
    with operation() as op:
        rows = tokens.list_tokens(op.session, op.actor, username=user, everyone=user is None)
    table = Table("id", "user", "name", "prefix", "scopes", "expires", "last used", "revoked")
    for t in rows:
        table.add_row(
            str(t.id),
            t.username,
            t.name,
            t.prefix,
            " ".join(t.scopes),
            t.expires_at.date().isoformat() if t.expires_at else "-",
            t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "-",
            t.revoked_at.isoformat(timespec="minutes") if t.revoked_at else "-",
        )
    console.print(table)
