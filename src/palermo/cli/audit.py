"""``palermo audit``: sign tree heads, verify the log, print proofs, export for an oversight body."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from palermo.audit import (
    consistency_proof,
    export_since,
    inclusion_proof,
    sign_tree_head,
    verify_export,
    verify_node_log,
)
from palermo.audit.keys import key_id, load_signing_key, node_signing_key, public_key_bytes, public_key_from_bytes
from palermo.audit.report import oversight_report
from palermo.audit.witness import read_heads_file
from palermo.cli.common import console, node, reports_errors
from palermo.cli.context import operation
from palermo.errors import InvalidInput

app = typer.Typer(help="Tamper-evident audit log: sign, verify, proofs, exports.", no_args_is_help=True)


def _print_json(value: dict[str, Any]) -> None:
    console.print_json(json.dumps(value))


def _parse_since(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"--since {text!r} is not an ISO date or date-time, e.g. 2026-01-31T08:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@app.command("sign")
@reports_errors
def sign() -> None:
    """Sign a tree head over the whole log now (creates the node key on first use)."""
    with operation() as op:
        key = node_signing_key(op.node.home)
        head = sign_tree_head(op.session, key)
        console.print(f"Signed tree head: size {head.tree_size}, root {bytes(head.root_hash).hex()}, key {key.key_id}")


@app.command("key")
@reports_errors
def key() -> None:
    """Print the node's audit public key and key id (what an oversight body pins)."""
    public = node_signing_key(node().home).public_key
    _print_json({"algorithm": "Ed25519", "key_id": key_id(public), "raw_hex": public_key_bytes(public).hex()})


@app.command("verify")
@reports_errors
def verify(
    heads: list[Path] = typer.Option(
        [], "--heads", help="Heads held outside the node (an audit export, or a heads journal); repeatable."
    ),
) -> None:
    """Verify every entry, the tree, every signed and witnessed head; exit 1 and name the first problem if any."""
    with operation() as op:
        public = load_signing_key(op.node.home).public_key
        others = [head for path in heads for head in read_heads_file(path)]
        report = verify_node_log(op.session, public, op.node.home, others)
    _print_json(report.to_dict())
    if not report.ok:
        raise typer.Exit(1)


@app.command("proof")
@reports_errors
def proof(
    seq: int = typer.Option(None, "--seq", help="Entry whose inclusion to prove."),
    size: int = typer.Option(None, "--size", help="Tree size (default: the latest signed head)."),
    consistency: tuple[int, int] = typer.Option((0, 0), "--consistency", help="OLD NEW: prove OLD is a prefix of NEW."),
) -> None:
    """Print an inclusion proof (--seq N [--size M]) or a consistency proof (--consistency OLD NEW)."""
    if (seq is None) == (consistency == (0, 0)):
        raise InvalidInput("give either --seq N or --consistency OLD NEW")
    with operation() as op:
        if seq is not None:
            _print_json(inclusion_proof(op.session, seq, size))
        else:
            _print_json(consistency_proof(op.session, *consistency))


@app.command("export")
@reports_errors
def export(
    since: str = typer.Option(..., "--since", help="ISO date or date-time (UTC unless an offset is given)."),
    out: Path = typer.Option(None, "--out", help="Write the export to this file instead of standard output."),
) -> None:
    """Sign a head, then export the entries since DATE with the proofs an oversight body needs."""
    with operation() as op:
        key = node_signing_key(op.node.home)
        sign_tree_head(op.session, key, note="export")
        document = export_since(op.session, _parse_since(since), key.public_key)
    if out is None:
        _print_json(document)
    else:
        out.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
        console.print(f"Exported {len(document['entries'])} entries to {out}")


@app.command("verify-export")
@reports_errors
def verify_export_command(
    file: Path = typer.Argument(..., help="An export written by `palermo audit export`."),
    public_key: str = typer.Option(..., "--public-key", help="Node's pinned public key, hex (`palermo audit key`)."),
) -> None:
    """Verify an export independently of any node, with the node's pinned public key."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
        key = public_key_from_bytes(bytes.fromhex(public_key))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read {file} or --public-key: {exc}") from None
    check = verify_export(document, key)
    _print_json(check.to_dict())
    if not check.ok:
        raise typer.Exit(1)


@app.command("report")
@reports_errors
def report(
    since: str = typer.Option(None, "--since", help="ISO date or date-time (UTC unless an offset is given)."),
    until: str = typer.Option(None, "--until", help="ISO date or date-time, exclusive."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Oversight report: consultations without a case, volume outliers, out-of-hours, special-category, bulk."""
    with operation() as op:
        result = oversight_report(
            op.session,
            op.actor,
            op.node.settings,
            since=_parse_since(since) if since else None,
            until=_parse_since(until) if until else None,
        )
    if as_json:
        _print_json(result.as_dict())
        return
    table = Table("finding", "actor", "entries", "summary", title="Oversight report")
    for finding in result.findings:
        shown = ", ".join(str(s) for s in finding.entries[:8]) + (" ..." if len(finding.entries) > 8 else "")
        table.add_row(finding.kind, finding.actor or "", shown, finding.summary)
    examined = _count(result.entries_examined, "entry", "entries")
    console.print(f"{examined} examined, {_count(result.consultations, 'consultation')}")
    console.print(table if result.findings else "No findings.")


def _count(n: int, one: str, many: str | None = None) -> str:
    """``1 consultation``, ``2 consultations``."""
    return f"{n} {one if n == 1 else many or one + 's'}"
