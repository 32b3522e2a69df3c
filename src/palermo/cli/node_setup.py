"""``palermo init`` and ``palermo db``: create a node, migrate its store."""

from __future__ import annotations

import typer

from palermo.auth.bootstrap import create_first_admin
from palermo.cli.common import console, err_console, os_user, reports_errors, settings
from palermo.db import migrate
from palermo.db.engine import make_engine
from palermo.node import UNNAMED_AGENCY, init_node
from palermo.sharing.keys import node_keys

db_app = typer.Typer(
    help="Database schema: upgrade to the latest migration, show the current one.", no_args_is_help=True
)


@reports_errors
def init(
    agency: str = typer.Option(
        None, help="Code of the agency operating this node, e.g. at-bk (default PALERMO_AGENCY, else 'local')."
    ),
    agency_name: str = typer.Option(None, help="Full name of the agency operating this node."),
    country: str = typer.Option(None, help="Country of the agency (ISO 3166 alpha-2 or alpha-3; stored as alpha-3)."),
    admin: str = typer.Option("admin", help="Username of the first administrator."),
) -> None:
    """Initialise a node: home folder, database at the latest migration, node id, first administrator."""
    current = settings()
    if agency is not None:
        current = current.model_copy(update={"agency": agency})
    node = init_node(current, agency_name=agency_name, country=country)
    console.print(f"Initialised node [bold]{node.node_id}[/] (agency {node.agency_code}) in {node.home}")
    if node.agency_code == UNNAMED_AGENCY:
        err_console.print(
            f"warning: this node's agency code is {UNNAMED_AGENCY!r}, the default: its records name no agency a "
            "partner can tell apart, so it cannot add partners. A node that shares is initialised with "
            "`palermo init --agency CODE` (or PALERMO_AGENCY).",
            soft_wrap=True,
        )
    keys = node_keys(node.home)
    console.print(f"Sharing keys created; fingerprint {keys.public.fingerprint} (`palermo node show`)")
    first = create_first_admin(node, os_user(), admin)
    console.print(
        f"Administrator [bold]{first.user.username}[/], one-time password (shown once, change it at first login): "
        f"[bold]{first.one_time_password}[/]",
        highlight=False,
        soft_wrap=True,
    )


@db_app.command("upgrade")
@reports_errors
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the store to the latest schema (or to REVISION)."""
    current = settings()
    engine = make_engine(current.effective_database_url)
    migrate.upgrade(engine, revision, home=current.home)
    console.print(f"Store at schema {migrate.current_revision(engine)}")


@db_app.command("current")
@reports_errors
def db_current() -> None:
    """Print the store's schema revision and the latest one this code knows."""
    engine = make_engine(settings().effective_database_url)
    console.print(f"current: {migrate.current_revision(engine) or 'none'}  latest: {migrate.head_revision()}")
