"""The demo's document-fraud step on the tiny world, ingested into a real store (both backends)."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.demo.steps.documents import CATEGORIES, LOOKALIKE_NOTE, DocumentReport, check_world_documents
from tests.conftest import StoreTemplates, WorldNode
from tests.factories import recorded_access


@pytest.fixture(scope="module")
def tiny_world(templates: StoreTemplates) -> Path:
    return templates.world_files("tiny", 7)  # seed 7 plants every detectable forgery kind


@pytest.fixture
def report(world_node_factory: WorldNode, tiny_world: Path) -> DocumentReport:
    node = world_node_factory("tiny", 7, "test")
    with recorded_access() as seen:
        result = check_world_documents(
            node, tiny_world, cli_actor("cli:tester", node.agency_code, Justification("legal_basis", "border_control"))
        )
    assert [(r.permission, r.granted) for r in seen] == [("documents.check", True)]
    return result


def test_every_detectable_forgery_and_report_is_caught_without_false_alarms(report: DocumentReport) -> None:
    for name in ("bad_check_digit", "altered_stolen", "stolen_blank", "lookalike_reported"):
        assert report.score(name).documents >= 1, name
        assert report.score(name).recall == 1.0, name
    assert report.score("genuine").documents > 100
    assert report.false_alarms == 0
    assert report.precision == 1.0


def test_each_forgery_is_caught_by_the_signal_made_for_it(report: DocumentReport) -> None:
    assert set(report.score("bad_check_digit").by_signal) == {"mrz_invalid"}
    assert set(report.score("altered_stolen").by_signal) == {"registry_near"}
    assert set(report.score("lookalike_reported").by_signal) == {"registry_exact"}


def test_every_stored_document_is_checked_once_per_real_document(report: DocumentReport) -> None:
    assert report.unreadable == report.not_in_truth == 0
    assert report.records >= report.checked == sum(c.documents for c in report.categories)
    assert report.registry.rejected == 0
    assert report.registry.entries_after > 0


def test_rows_print_categories_signals_and_totals_and_say_what_is_undetectable(report: DocumentReport) -> None:
    rows = report.rows()
    assert [r["what"] for r in rows] == [f"category {c.name}" for c in CATEGORIES] + [
        "signal mrz_invalid",
        "signal registry_exact",
        "signal registry_near",
        "all alarms",
    ]
    assert next(r for r in rows if r["what"] == "category lookalike_unreported")["note"] == LOOKALIKE_NOTE
    assert all(r["precision"] == 1.0 for r in rows if str(r["what"]).startswith("signal") and r["documents"])
