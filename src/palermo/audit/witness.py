"""Witnessed tree heads: every head the node signs is also kept outside the database, where its owner cannot reach.

A tamper-evident log must detect rollback, truncation and deleted heads, which the database alone cannot: whoever
can rewrite ``audit_entries`` can also delete ``tree_heads``. So every signed head is appended, after its
transaction commits, to the **heads journal** ``<node home>/keys/audit-heads.jsonl`` beside the signing key (mode
0600, folder 0700). Each line holds the head and the SHA-256 of the previous line (a hash chain, as transparency
logs chain their heads): editing or removing a line in the middle breaks the chain at that line. Dropping lines at
the end, or the whole file, is what the copies held elsewhere catch: the heads in every export an oversight body
keeps (``palermo audit verify --heads EXPORT``) and the journal of another host.

:func:`palermo.audit.verify.verify_log` checks the stored log against these heads as it does against its own:
a witnessed head the store no longer has is a deleted head; entries the store no longer holds are a truncation;
entries that no longer hash to the witnessed root are located like any other modification.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from palermo.audit.tree_heads import SignedHead
from palermo.db.engine import after_commit
from palermo.errors import InvalidInput
from palermo.logs import get_logger

log = get_logger(__name__)

GENESIS = "0" * 64


@dataclass(frozen=True)
class JournalProblem:
    line: int
    detail: str


@dataclass(frozen=True)
class Journal:
    heads: list[SignedHead]
    problems: list[JournalProblem]


def _line_hash(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def append_to_journal(path: Path, head: SignedHead) -> None:
    """Append ``head`` to the journal at ``path``, chained to the last line (locked against other processes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        lines = handle.read().splitlines()
        previous = _line_hash(lines[-1]) if lines else GENESIS
        line = json.dumps({"prev": previous, "head": head.to_dict()}, sort_keys=True, separators=(",", ":"))
        handle.write(line.encode("utf-8") + b"\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_journal(path: Path) -> Journal:
    """The heads of the journal at ``path`` (none when it does not exist), with every break of its chain."""
    if not path.is_file():
        return Journal([], [])
    heads: list[SignedHead] = []
    problems: list[JournalProblem] = []
    previous = GENESIS
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        try:
            item = json.loads(raw)
            head = SignedHead.from_dict(item["head"])
            chained = item["prev"] == previous
        except (ValueError, KeyError, TypeError):
            problems.append(JournalProblem(number, f"line {number} of {path} is not a journal line"))
            previous = _line_hash(raw)
            continue
        if not chained:
            problems.append(
                JournalProblem(number, f"line {number} of {path} does not chain to line {number - 1}: edited or cut")
            )
        heads.append(head)
        previous = _line_hash(raw)
    return Journal(heads, problems)


def heads_from_document(document: Any) -> list[SignedHead]:
    """The tree heads in an oversight export (``tree_head`` and ``earlier_heads``) or in a list of heads."""
    try:
        if isinstance(document, dict) and "tree_head" in document:
            found = [document["tree_head"], *(h["tree_head"] for h in document.get("earlier_heads", []))]
        elif isinstance(document, list):
            found = [h.get("head", h) for h in document]
        else:
            raise TypeError("neither an export nor a list of heads")
        return [SignedHead.from_dict(h) for h in found]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInput(f"no tree heads to check against: {exc}") from None


def read_heads_file(path: Path) -> list[SignedHead]:
    """Heads from a file an oversight body or another host holds: an audit export (JSON) or a heads journal."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read heads from {path}: {exc.strerror}") from None
    try:
        return heads_from_document(json.loads(text))
    except ValueError:
        pass
    journal = read_journal(path)
    if not journal.heads:
        raise InvalidInput(f"{path} holds no tree heads (expected an audit export or a heads journal)")
    return journal.heads


def witness_on_commit(session: Session, path: Path, head: SignedHead) -> None:
    """Journal ``head`` at ``path`` once the session's transaction commits (never for a rolled-back head)."""
    after_commit(session, lambda: _journal(path, head))


def _journal(path: Path, head: SignedHead) -> None:
    try:
        append_to_journal(path, head)
    except OSError as exc:  # the head is in the store; the journal misses it, and verification will say so
        log.error("audit_witness_append_failed", path=str(path), tree_size=head.tree_size, error=str(exc))


def unique_heads(heads: Iterable[SignedHead]) -> list[SignedHead]:
    seen: set[tuple[int, bytes]] = set()
    kept = []
    for head in heads:
        if (head.tree_size, head.root_hash) not in seen:
            seen.add((head.tree_size, head.root_hash))
            kept.append(head)
    return kept
