"""The demo's synthetic world ingests with zero rejects, and a second run with --reuse changes nothing."""

from __future__ import annotations

from palermo.demo import run_demo
from palermo.settings import Settings


def test_demo_ingests_the_tiny_world_without_rejects(settings: Settings) -> None:
    report = run_demo(settings, reuse=False, actor="test", scale="tiny")
    assert report.rejected == 0
    inserted = sum(s.inserted for s in report.ingests)
    assert inserted > 1000
    assert {s.kind for s in report.ingests} >= {"persons", "documents", "travel_events", "relationships"}
    again = run_demo(settings, reuse=True, actor="test", scale="tiny")
    assert sum(s.inserted + s.updated for s in again.ingests) == 0
    assert sum(s.unchanged for s in again.ingests) == inserted


def test_demo_ends_with_a_verified_audit_log_and_an_oversight_report(settings: Settings) -> None:
    report = run_demo(settings, reuse=False, actor="cli:test", scale="tiny")
    accountability = next(s for s in report.sections if s.title == "Accountability")
    results = {row[0]: row[1] for row in accountability.rows}
    assert results["verification"] == "intact"
    assert int(results["audit log entries"]) >= len([s for s in report.ingests if s.inserted])
