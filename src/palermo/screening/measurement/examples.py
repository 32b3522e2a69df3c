"""Training examples from a replay: each crossing's risk feature values and whether the world's truth says it is a
trafficking movement (``palermo replay --truth DIR --features FILE``), for ``palermo indicators train``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from palermo.errors import InvalidInput
from palermo.screening.measurement.replay import Crossing
from palermo.screening.measurement.truth import Truth
from palermo.screening.requests import ScreeningResult
from palermo.screening.risk.model import values_of
from palermo.screening.risk.training import write_examples


def example_rows(results: list[tuple[Crossing, ScreeningResult]], truth: Truth) -> list[dict[str, Any]]:
    """One row a crossing the truth knows: its feature values, label and unit kind."""
    rows = []
    for crossing, result in results:
        movement = truth.movements.get((crossing.source, crossing.source_key))
        if movement is None:
            continue
        rows.append(
            {
                "source": crossing.source,
                "source_key": crossing.source_key,
                "at": crossing.at.isoformat(),
                "label": int(movement.trafficking),
                "unit_kind": movement.unit_kind,
                **values_of(result.risk),
            }
        )
    return rows


def write_replay_examples(path: Path, results: list[tuple[Crossing, ScreeningResult]], truth: Truth) -> int:
    rows = example_rows(results, truth)
    if not rows:
        raise InvalidInput("no replayed crossing is in the truth's movements: nothing to write")
    write_examples(path, rows)
    return len(rows)
