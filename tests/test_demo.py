"""The demo's synthetic world ingests with zero rejects, the demo ends with a verified audit log and an oversight
report, and a second run with --reuse changes nothing.

One test per backend runs the demo twice (fresh, then reused): each run is the whole demo (ingest, documents,
screening, resolution, audit), so the assertions on the fresh run share it rather than running it again.
"""

from __future__ import annotations

import pytest

from palermo.demo import run_demo
from palermo.settings import Settings


@pytest.mark.slow
def test_demo_ingests_without_rejects_ends_verified_and_a_reuse_changes_nothing(settings: Settings) -> None:
    report = run_demo(settings, reuse=False, actor="cli:test", scale="tiny")
    assert report.rejected == 0
    inserted = sum(s.inserted for s in report.ingests)
    assert inserted > 1000
    assert {s.kind for s in report.ingests} >= {"persons", "documents", "travel_events", "relationships"}

    accountability = next(s for s in report.sections if s.title == "Accountability")
    results = {row[0]: row[1] for row in accountability.rows}
    assert results["verification"] == "intact"
    assert int(results["audit log entries"]) >= len([s for s in report.ingests if s.inserted])

    again = run_demo(settings, reuse=True, actor="cli:test", scale="tiny")
    assert sum(s.inserted + s.updated for s in again.ingests) == 0
    assert sum(s.unchanged for s in again.ingests) == inserted
