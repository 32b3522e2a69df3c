"""Library chatter goes to a log file for report-style commands; Palermo's own events still reach stderr."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

from palermo.logs import get_logger, library_logs_to


def test_library_records_and_warnings_go_to_the_file_not_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "not-yet" / "demo.log"  # the folder is created when the first record arrives
    before = logging.getLogger().handlers[:]
    with library_logs_to(path):
        logging.getLogger("splink.internals.expectation_maximisation").warning("Level x not observed in dataset")
        warnings.warn("a library's deprecation note", UserWarning, stacklevel=1)
        get_logger("palermo.demo").warning("demo.step_failed", step="resolution")
    text = path.read_text(encoding="utf-8")
    assert "not observed in dataset" in text
    assert "a library's deprecation note" in text
    captured = capsys.readouterr()
    assert "not observed" not in captured.err
    assert "demo.step_failed" in captured.err  # our own events are not hidden
    assert logging.getLogger().handlers == before  # the terminal gets library records again afterwards
