"""``palermo partners`` and ``palermo groups``: the partner registry and sharing groups."""

from __future__ import annotations

import typer
from rich.table import Table

from palermo.cli.common import console, reports_errors
from palermo.cli.context import operation
from palermo.sharing import groups, partners

app = typer.Typer(help="Partner nodes abroad: add (keys exchanged out of band), list, remove.", no_args_is_help=True)
groups_app = typer.Typer(help="Sharing groups (e.g. a joint investigation team) of partners.", no_args_is_help=True)


@app.command("add")
@reports_errors
def add(
    name: str = typer.Argument(..., help="Short name of the partner (a-z, 0-9, - and _)."),
    agency: str = typer.Option(..., help="Agency code of the partner node."),
    country: str = typer.Option(..., help="Country of the partner (ISO 3166 alpha-2 or alpha-3)."),
    signing_key: str = typer.Option(..., help="Partner's public Ed25519 key (from its `palermo node show`)."),
    encryption_key: str = typer.Option(..., help="Partner's public X25519 key (from its `palermo node show`)."),
    url: str = typer.Option(None, help="Base URL of the partner node, for HTTP push."),
    agency_name: str = typer.Option(None, help="Full name of the partner agency."),
    token: str = typer.Option(None, help="Token the partner issued us for its inbox."),
) -> None:
    """Register a partner node; prints the inbox token to hand to the partner (shown once)."""
    with operation() as op:
        new = partners.add_partner(
            op.session,
            op.actor,
            name=name,
            agency_code=agency,
            country=country,
            signing_key=signing_key,
            encryption_key=encryption_key,
            url=url,
            agency_name=agency_name,
            outbound_token=token,
        )
    console.print(f"Partner [bold]{name}[/] added; fingerprint {new.partner.fingerprint} (compare out of band)")
    console.print(f"Inbox token for {name} (shown once, hand over out of band): {new.inbound_token}", soft_wrap=True)


@app.command("set-token")
@reports_errors
def set_token(
    name: str = typer.Argument(..., help="Partner name."),
    token: str = typer.Argument(..., help="Token the partner issued us for its inbox."),
) -> None:
    """Store the token a partner issued us for pushing to its inbox."""
    with operation() as op:
        partners.set_outbound_token(op.session, op.actor, name, token)
    console.print(f"Token for partner {name} stored")


@app.command("list")
@reports_errors
def list_() -> None:
    """List partner nodes with agency, country, URL, fingerprint and status."""
    with operation() as op:
        found = partners.list_partners(op.session, op.actor)
    table = Table("name", "agency", "country", "url", "fingerprint", "status")
    for p in found:
        table.add_row(p.name, p.agency_code, p.country, p.url or "-", p.fingerprint, p.status)
    console.print(table)


@app.command("remove")
@reports_errors
def remove(name: str = typer.Argument(..., help="Partner name.")) -> None:
    """Remove a partner: its bundles are refused and nothing more is sent to it."""
    with operation() as op:
        partners.remove_partner(op.session, op.actor, name)
    console.print(f"Partner {name} removed")


@groups_app.command("create")
@reports_errors
def create_group(
    name: str = typer.Argument(..., help="Group name, e.g. JIT-2026-0042."),
    member: list[str] = typer.Option(None, "--member", help="Partner name; repeat for several."),
    description: str = typer.Option(None, help="What the group is for."),
) -> None:
    """Create a sharing group of partners."""
    with operation() as op:
        info = groups.create_group(op.session, op.actor, name, description=description, members=member or [])
    console.print(f"Sharing group {info.name}: {', '.join(info.members) or 'no members yet'}")


@groups_app.command("add-member")
@reports_errors
def add_member(
    name: str = typer.Argument(..., help="Group name."), partner: str = typer.Argument(..., help="Partner name.")
) -> None:
    """Add a partner to a sharing group."""
    with operation() as op:
        info = groups.add_member(op.session, op.actor, name, partner)
    console.print(f"Sharing group {info.name}: {', '.join(info.members)}")


@groups_app.command("list")
@reports_errors
def list_groups() -> None:
    """List sharing groups and their members."""
    with operation() as op:
        found = groups.list_groups(op.session, op.actor)
    for info in found:
        console.print(f"{info.name}: {', '.join(info.members) or '-'}")
