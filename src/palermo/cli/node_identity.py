"""``palermo node``: this node's public sharing keys and fingerprint, for out-of-band exchange with partners."""

from __future__ import annotations

import json

import typer

from palermo.cli.common import console, node, reports_errors
from palermo.sharing.keys import node_keys

app = typer.Typer(help="This node's identity for partners: public keys and fingerprint.", no_args_is_help=True)


@app.command("show")
@reports_errors
def show() -> None:
    """Print node id, agency, public signing and encryption keys and their fingerprint, as JSON."""
    current = node()
    public = node_keys(current.home).public
    shown = {
        "node_id": current.node_id,
        "agency": current.agency_code,
        "signing_key": public.signing_key,
        "encryption_key": public.encryption_key,
        "fingerprint": public.fingerprint,
    }
    console.print_json(json.dumps(shown))
