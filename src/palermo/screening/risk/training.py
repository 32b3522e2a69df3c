"""Training the combined risk model on labelled crossings: logistic regression (scikit-learn), the refer threshold
chosen on out-of-fold predictions for a target precision, and the out-of-fold figures kept with the model.

Examples come from feature files that ``palermo replay --truth ... --features FILE`` writes (one row a crossing:
its feature values and whether the truth says it is a trafficking movement). Folds are the files (worlds) when
there are several, so the threshold is chosen on worlds the fold's model did not see.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from palermo.errors import InvalidInput
from palermo.screening.risk.features import FEATURE_IDS
from palermo.screening.risk.model import RiskModel

HEADER = ("source", "source_key", "at", "label", "unit_kind", *FEATURE_IDS)
REGULARISATION = 1.0  # scikit-learn's C: the inverse strength of the L2 penalty


@dataclass(frozen=True)
class Example:
    values: tuple[float, ...]  # in FEATURE_IDS order
    label: bool
    group: str


def write_examples(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write feature rows (keys of ``HEADER``) as a CSV feature file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)


def read_examples(paths: list[Path]) -> list[Example]:
    examples = []
    for path in paths:
        if not path.is_file():
            raise InvalidInput(f"no such feature file: {path}")
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = sorted(set(HEADER) - set(reader.fieldnames or ()))
            if missing:
                raise InvalidInput(f"{path} is not a feature file of `palermo replay --features` (no {missing[0]})")
            for line, row in enumerate(reader, start=2):
                try:
                    values = tuple(float(row[f] or 0) for f in FEATURE_IDS)
                except ValueError:
                    raise InvalidInput(f"{path}:{line}: a feature value is not a number") from None
                if row["label"] not in ("0", "1"):
                    raise InvalidInput(f"{path}:{line}: label must be 0 or 1")
                examples.append(Example(values, row["label"] == "1", path.name))
    return examples


def _threshold(probabilities: list[float], labels: list[bool], target: float) -> tuple[float, dict[str, Any]]:
    """The lowest threshold whose precision reaches ``target`` (the most recall at that precision)."""
    positives = sum(labels)
    ranked = sorted(zip(probabilities, labels, strict=True), key=lambda p: -p[0])
    best: tuple[float, dict[str, Any]] | None = None
    tp = 0
    for i, (p, label) in enumerate(ranked, start=1):
        tp += int(label)
        if i < len(ranked) and ranked[i][0] == p:
            continue  # a threshold takes every crossing of that probability
        if tp / i >= target and p > 0:
            best = (p, {"precision": round(tp / i, 4), "recall": round(tp / positives, 4), "flagged": i})
    if best is None:
        raise InvalidInput(f"no threshold reaches precision {target} on the held-out folds; lower --target-precision")
    return best


def fit(examples: list[Example], *, target_precision: float, trained_on: list[str]) -> RiskModel:
    """A logistic model of the examples, with its refer threshold and out-of-fold validation."""
    from sklearn.linear_model import LogisticRegression  # at training only: scikit-learn takes a second to import
    from sklearn.metrics import brier_score_loss
    from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict

    positives = sum(e.label for e in examples)
    if positives < 5 or len(examples) - positives < 5:
        raise InvalidInput(f"{len(examples)} examples with {positives} positives: too few to train on")
    x = [list(e.values) for e in examples]
    y = [int(e.label) for e in examples]
    groups = [e.group for e in examples]
    model = LogisticRegression(C=REGULARISATION, max_iter=2000)
    if len(set(groups)) > 1:
        folds: Any = GroupKFold(n_splits=len(set(groups)))
        held_out = cross_val_predict(model, x, y, groups=groups, cv=folds, method="predict_proba")[:, 1]
    else:
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        held_out = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    threshold, figures = _threshold([float(p) for p in held_out], [bool(v) for v in y], target_precision)
    model.fit(x, y)
    return RiskModel(
        trained_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        trained_on=trained_on,
        examples=len(examples),
        positives=positives,
        intercept=round(float(model.intercept_[0]), 6),
        coefficients={f: round(float(c), 6) for f, c in zip(FEATURE_IDS, model.coef_[0], strict=True)},
        refer_threshold=math.floor(threshold * 1e6) / 1e6,  # never above a probability it must take
        target_precision=target_precision,
        validation={**figures, "brier": round(float(brier_score_loss(y, held_out)), 6)},
    )
