"""The demo's bundled world ingests with zero rejects, and a second run with --reuse changes nothing."""

from __future__ import annotations

from palermo.demo import run_demo
from palermo.settings import Settings


def test_demo_ingests_the_sample_without_rejects(settings: Settings) -> None:
    report = run_demo(settings, reuse=False, actor="test")
    assert report.rejected == 0
    assert sum(s.inserted for s in report.ingests) == 27
    again = run_demo(settings, reuse=True, actor="test")
    assert sum(s.inserted + s.updated for s in again.ingests) == 0
    assert sum(s.unchanged for s in again.ingests) == 27
