"""``palermo users``: add, disable, enable, reset and list accounts, as the node's operator."""

from __future__ import annotations

import typer
from rich.table import Table

from palermo.auth import users
from palermo.cli.common import console, reports_errors
from palermo.cli.context import operation

app = typer.Typer(help="User accounts: add, disable, enable, reset, list.", no_args_is_help=True)


def _print_password(username: str, password: str) -> None:
    console.print(
        f"One-time password for [bold]{username}[/] (shown once; to be changed at first login): [bold]{password}[/]",
        highlight=False,
        soft_wrap=True,
    )


@app.command("add")
@reports_errors
def add(
    username: str = typer.Argument(..., help="Login name: a-z, 0-9, '.', '_', '-'."),
    role: str = typer.Option(..., help="Role id from roles.yaml (border_officer, analyst, ... admin)."),
    display_name: str = typer.Option(None, help="Name shown to others."),
    agency: str = typer.Option(None, help="Agency code (default: this node's agency)."),
) -> None:
    """Create an account and print its one-time password."""
    with operation() as op:
        new = users.create_user(
            op.session, op.actor, username=username, role=role, display_name=display_name, agency_code=agency
        )
    _print_password(new.user.username, new.one_time_password)


@app.command("disable")
@reports_errors
def disable(username: str = typer.Argument(..., help="Account to disable.")) -> None:
    """Disable an account: sessions end, tokens stop working."""
    with operation() as op:
        users.set_disabled(op.session, op.actor, username, disabled=True)
    console.print(f"Disabled {username}")


@app.command("enable")
@reports_errors
def enable(username: str = typer.Argument(..., help="Account to re-enable.")) -> None:
    """Re-enable a disabled account."""
    with operation() as op:
        users.set_disabled(op.session, op.actor, username, disabled=False)
    console.print(f"Enabled {username}")


@app.command("reset")
@reports_errors
def reset(
    username: str = typer.Argument(..., help="Account to reset."),
    totp: bool = typer.Option(False, "--totp", help="Also remove the second factor."),
) -> None:
    """Give an account a new one-time password (printed once) and clear its lockout."""
    with operation() as op:
        new = users.reset_password(op.session, op.actor, username, reset_totp=totp)
    _print_password(new.user.username, new.one_time_password)


@app.command("list")
@reports_errors
def list_users() -> None:
    """List accounts with role, agency and state."""
    with operation() as op:
        rows = users.list_users(op.session, op.actor)
    table = Table("username", "name", "role", "agency", "state", "2FA", "last login")
    for u in rows:
        state = "disabled" if u.disabled else ("locked" if u.locked_until else "active")
        last = u.last_login_at.isoformat(timespec="minutes") if u.last_login_at else "-"
        table.add_row(u.username, u.display_name, u.role, u.agency_code, state, "yes" if u.totp_enabled else "no", last)
    console.print(table)
