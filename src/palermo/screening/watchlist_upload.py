"""Loading a watchlist file that arrived as bytes (the watchlists page's upload), exactly as
``palermo watchlist load`` loads a file: :func:`palermo.screening.watchlists.load_watchlist` reads, validates and
upserts it (same permission, same rejects), then the candidate index is refreshed.

The bytes are written to a private temporary folder under a name that keeps only the upload's file name (its suffix
tells the format, as on the command line); the rejects and warnings files written beside it are read back into the
report, and the folder is removed. Messages name the uploaded file, never the temporary path.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from palermo.auth.actor import Actor
from palermo.errors import PalermoError
from palermo.screening.candidate_index.node_cache import refresh_index
from palermo.screening.watchlists import LoadReport, load_watchlist

SHOWN_ROWS = 100  # rejects (and warnings) listed in the report; the counts are always whole
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ReportedRow:
    """One line of a rejects or warnings file: where, which field, why, and the row as read (shortened)."""

    line: int
    field: str | None
    reason: str
    row: str


@dataclass
class UploadReport:
    """What the load did (the CLI's report) and the first rejected and warned rows."""

    load: LoadReport
    rejects: list[ReportedRow] = field(default_factory=list)
    warnings: list[ReportedRow] = field(default_factory=list)


def stored_name(filename: str) -> str:
    """The upload's own file name without folders or unusual characters (``../x y.csv`` -> ``x_y.csv``)."""
    base = _UNSAFE.sub("_", Path(filename.replace("\\", "/")).name).strip("._")
    return base[-120:] or "upload"


def _reported(path: str | None, limit: int) -> list[ReportedRow]:
    if path is None:
        return []
    rows = []
    with Path(path).open(encoding="utf-8") as handle:
        for text, _ in zip(handle, range(limit), strict=False):
            record = json.loads(text)
            raw = record.get("row")
            shown = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
            rows.append(ReportedRow(int(record.get("line") or 0), record.get("field"), str(record["reason"]), shown))
    return rows


def load_uploaded_watchlist(
    session: Session,
    actor: Actor,
    content: bytes,
    filename: str,
    *,
    name: str,
    agency_code: str,
    home: Path,
    list_category: str | None = None,
    file_format: str | None = None,
    shown: int = SHOWN_ROWS,
) -> UploadReport:
    """Load ``content`` (the file ``filename``) into watchlist ``name`` and refresh the node's candidate index."""
    with tempfile.TemporaryDirectory(prefix="palermo-upload-") as folder:
        path = Path(folder) / stored_name(filename)
        path.write_bytes(content)
        try:
            report = load_watchlist(
                session,
                actor,
                path,
                name=name,
                agency_code=agency_code,
                list_category=list_category,
                file_format=file_format,
            )
        except PalermoError as exc:
            exc.message = exc.message.replace(str(path), filename)
            exc.args = (exc.message,)
            raise
        found = UploadReport(report, _reported(report.rejects_path, shown), _reported(report.warnings_path, shown))
        refresh_index(session, home, report.changed, report.removed)
    report.path, report.rejects_path, report.warnings_path = filename, None, None
    return found
