"""``palermo synth`` writes a world with a manifest; an unknown scale is a clear error."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from palermo.cli.main import app
from tests.synth.conftest import manifest


def test_synth_command_writes_a_world_with_its_manifest(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", "--scale", "tiny", "--seed", "2", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert {s["name"] for s in manifest(tmp_path)["sources"]} >= {"border_ita", "police_ita", "payments_fiu"}


def test_unknown_scale_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["synth", "--scale", "huge", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "tiny" in result.output
