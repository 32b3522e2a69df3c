"""The ``palermo`` Typer application: registers every command group."""

from __future__ import annotations

import typer

from palermo import __version__
from palermo.cli import (
    alerts,
    audit,
    demo,
    documents,
    ingest,
    node_commands,
    partners,
    persons,
    resolution,
    screening,
    serve,
    share,
    sharing_node,
    synth,
    tokens,
    users,
    watchlist,
)

app = typer.Typer(
    name="palermo",
    help="Palermo: a node of a cross-border counter-trafficking network.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

app.command("init")(node_commands.init)
app.add_typer(node_commands.db_app, name="db")
app.command("ingest")(ingest.ingest)
app.add_typer(ingest.sources_app, name="sources")
app.command("schema")(ingest.schema)
app.add_typer(documents.app, name="documents")
app.add_typer(audit.app, name="audit")
app.command("synth")(synth.synth)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.add_typer(users.app, name="users")
app.add_typer(tokens.app, name="tokens")
app.add_typer(persons.app, name="persons")
app.add_typer(sharing_node.app, name="node")
app.add_typer(partners.app, name="partners")
app.add_typer(partners.groups_app, name="groups")
app.add_typer(share.app, name="share")
app.add_typer(watchlist.app, name="watchlist")
app.add_typer(alerts.app, name="alerts")
app.command("screen")(screening.screen)
app.command("replay")(screening.replay)
app.add_typer(resolution.resolve_app, name="resolve")
app.add_typer(resolution.identity_app, name="identity")


@app.command("version")
def version() -> None:
    """Print the Palermo version."""
    typer.echo(__version__)
