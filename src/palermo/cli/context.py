"""What a command acts with: the open node, one transaction and the acting operator.

The command line's counterpart of the API's ``NodeDep``, ``SessionDep`` and ``ActorDep``::

    with operation() as op:
        rows = users.list_users(op.session, op.actor)

The operator is the operating-system user (``cli:<user>``) of the node's agency. A command that consults personal
data takes ``justification: str = JUSTIFICATION`` and opens ``justified_operation(justification)``: the operator
carries ``--justification``, else ``PALERMO_JUSTIFICATION``. The transaction commits when the block ends and rolls
back on any error, which ``reports_errors`` then prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import typer
from sqlalchemy.orm import Session

from palermo.auth.actor import Actor, cli_actor
from palermo.auth.justification import optional_justification
from palermo.cli.common import node, os_user
from palermo.db.engine import transaction
from palermo.node import Node

JUSTIFICATION = typer.Option(
    None,
    "--justification",
    help="Why personal data is consulted: a case reference or a legal-basis code (default PALERMO_JUSTIFICATION).",
)


@dataclass(frozen=True)
class Operation:
    node: Node
    session: Session
    actor: Actor


def operator(current: Node) -> Actor:
    """The CLI operator, without a justification."""
    return cli_actor(os_user(), current.agency_code)


def justified_operator(current: Node, justification: str | None) -> Actor:
    """The CLI operator with the justification from ``--justification`` or ``PALERMO_JUSTIFICATION``."""
    text = justification if justification is not None else current.settings.justification
    parsed = optional_justification(text, current.settings.case_reference_pattern)
    return cli_actor(os_user(), current.agency_code, parsed)


@contextmanager
def operation() -> Iterator[Operation]:
    """The node, a transaction on its store, and the operator."""
    current = node()
    with transaction(current.engine) as session:
        yield Operation(current, session, operator(current))


@contextmanager
def justified_operation(justification: str | None) -> Iterator[Operation]:
    """Like :func:`operation`, the operator carrying a justification (for personal data)."""
    current = node()
    with transaction(current.engine) as session:
        yield Operation(current, session, justified_operator(current, justification))
