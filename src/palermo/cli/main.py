"""The ``palermo`` Typer application: every command group, each imported only when it is called.

A command module imports the part of the core it drives (screening, resolution, sharing ...). Importing all of
them for every call made ``palermo version`` take seconds; :class:`LazyGroup` imports just the command invoked
(``palermo --help`` still lists every command, importing them all).
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from palermo import __version__

#: command name -> (module under palermo.cli, attribute): a Typer app (a group) or a function (one command)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("node_setup", "init"),
    "db": ("node_setup", "db_app"),
    "ingest": ("ingest", "ingest"),
    "sources": ("ingest", "sources_app"),
    "schema": ("ingest", "schema"),
    "documents": ("documents", "app"),
    "audit": ("audit", "app"),
    "synth": ("synth", "synth"),
    "demo": ("demo", "demo"),
    "serve": ("serve", "serve"),
    "users": ("users", "app"),
    "tokens": ("tokens", "app"),
    "persons": ("persons", "app"),
    "node": ("node_identity", "app"),
    "partners": ("partners", "app"),
    "groups": ("partners", "groups_app"),
    "share": ("share", "app"),
    "watchlist": ("watchlist", "app"),
    "names": ("names", "app"),
    "alerts": ("alerts", "app"),
    "victims": ("victims", "app"),
    "screen": ("screening", "screen"),
    "replay": ("screening", "replay"),
    "indicators": ("indicators", "app"),
    "resolve": ("resolution", "resolve_app"),
    "identity": ("resolution", "identity_app"),
    "network": ("network", "app"),
    "stats": ("stats", "app"),
}


def load_command(name: str) -> Any:
    """The click command of ``name``, importing its module now."""
    module_name, attribute = COMMANDS[name]
    target: Any = getattr(importlib.import_module(f"palermo.cli.{module_name}"), attribute)
    command: Any
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: Any) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMANDS:
            return load_command(cmd_name)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    name="palermo",
    cls=LazyGroup,
    help="Palermo: a node of a cross-border counter-trafficking network.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main() -> None:
    """Palermo: a node of a cross-border counter-trafficking network."""


@app.command("version")
def version() -> None:
    """Print the Palermo version."""
    typer.echo(__version__)
