"""Library chatter goes to a log file for report-style commands; Palermo's own events still reach stderr."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
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


def test_events_below_the_level_cost_no_import_and_events_above_it_are_written() -> None:
    """structlog (and the rich and asyncio modules it loads, ~0.1 s) is imported at the first event that is
    written, not by every command that merely could log."""
    script = """
import sys
from palermo.logs import configure, get_logger
configure("WARNING")
log = get_logger("palermo.check")
log.info("quiet", n=1)
print("structlog" in sys.modules)
log.warning("loud", n=2)
configure("INFO", json=True)
log.info("now_json", n=3)
log.debug("still_quiet")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    lines = done.stderr.splitlines()
    assert [line for line in lines if "quiet" in line] == []
    assert any(line.startswith("event='loud'") and "n=2" in line and "level='warning'" in line for line in lines)
    [as_json] = [json.loads(line) for line in lines if line.startswith("{")]
    assert (as_json["event"], as_json["n"], as_json["level"]) == ("now_json", 3, "info")
