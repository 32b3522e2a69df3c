"""A saved model trained with other comparisons than today's is recognised: retrained by a batch run, refused with a
clear error elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from palermo.errors import Conflict
from palermo.resolution import model
from palermo.resolution.config import default_config
from palermo.resolution.engines import open_engine
from palermo.resolution.features import RawName, RawPerson, feature_row


def test_a_model_with_other_comparison_levels_is_stale(tmp_path: Path) -> None:
    runner = open_engine("duckdb", tmp_path)
    try:
        rows = [feature_row(RawPerson(i, "s", [RawName(None, "Ervin", "Berisha")], "1980-04-01")) for i in (1, 2)]
        table = runner.register(rows, "persons")
        saved = model.model_dict(model.new_linker(table, model.build_settings(default_config())))
        current = tmp_path / "current.json"
        current.write_text(json.dumps(saved))
        assert model.saved_model_matches(current, default_config())

        dob = next(c for c in saved["comparisons"] if c["output_column_name"] == "dob")
        dob["comparison_levels"] = [lvl for lvl in dob["comparison_levels"] if "years apart" not in str(lvl)]
        older = tmp_path / "older.json"
        older.write_text(json.dumps(saved))
        assert not model.saved_model_matches(older, default_config())
        with pytest.raises(Conflict, match="--retrain"):
            model.new_linker(table, older)
    finally:
        runner.close()


@pytest.mark.parametrize(("years_apart", "trusted"), [(0.0005, True), (0.06, False)])
def test_dates_rule_unions_out_only_where_the_model_found_them_reliable(
    tmp_path: Path, years_apart: float, trusted: bool
) -> None:
    """On the synthetic world one person's records are born years apart 1 in 2,000 times; on FEBRL 6 in 100."""
    runner = open_engine("duckdb", tmp_path)
    try:
        table = runner.register([feature_row(RawPerson(1, "s", [RawName("Ervin Berisha")], "1980-04-01"))], "persons")
        saved = model.model_dict(model.new_linker(table, model.build_settings(default_config())))
    finally:
        runner.close()
    dob = next(c for c in saved["comparisons"] if c["output_column_name"] == "dob")
    for level in dob["comparison_levels"]:
        if level.get("label_for_charts") == "dates of birth years apart":
            level["m_probability"] = years_apart
        elif level.get("label_for_charts") == "same year of birth, day or month differ":
            level["m_probability"] = 0.0001
    assert model.trusts_birth_dates(saved, default_config()) is trusted
