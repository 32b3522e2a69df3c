"""One new record scored against its candidates with a saved model, in milliseconds (incremental linking).

Splink's ``predict_between`` runs its whole pipeline for every call: it registers and concatenates the tables,
blocks them under every rule (materialising exploded arrays), parses and rewrites each statement with sqlglot and
runs some thirty queries, about 0.7 s a record whatever the number of candidates. The candidates of incremental
linking come from the blocking index, already blocked by the same rules, so only Splink's last two steps remain:
the comparison vector of each pair and its match weight. This scorer compiles them once per model: Splink's own
``CASE`` statement of every comparison (the DuckDB SQL of the linker's settings, so the levels are exactly
Splink's) in one query over the new record and its candidates, and each level's match weight (Splink's, clamped
the same way) added to the prior's in Python. Pairs, weights and explanations are those ``predict_between`` gives
(``tests/resolution/test_pair_scorer.py`` compares them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from palermo.explanation import Feature
from palermo.resolution import model
from palermo.resolution.engines import arrow_table, open_engine
from palermo.resolution.features import FEATURE_COLUMNS
from palermo.resolution.link_features import link_feature

PRIOR_DETAIL = "chance that two random records are the same person"


@dataclass(frozen=True)
class _Level:
    weight: float  # the level's match weight (log2 Bayes factor) as Splink computes it; 0 for the null level
    feature_weight: float  # what the explanation shows: 0 for "not compared"
    label: str


@dataclass(frozen=True)
class _Comparison:
    name: str
    levels: dict[int, _Level]


def _compiled(linker: Any) -> tuple[str, list[_Comparison], float]:
    """The query giving each candidate's comparison vector, the comparisons' levels and the prior's match weight."""
    settings = linker._settings_obj
    comparisons, cases = [], []
    for comparison in settings.comparisons:
        levels = {}
        for level in comparison.comparison_levels:
            weight = float(level._match_weight)
            gamma = int(level.comparison_vector_value)
            shown = 0.0 if gamma < 0 else round(weight, 4)
            levels[gamma] = _Level(weight, shown, str(level.label_for_charts))
        comparisons.append(_Comparison(comparison.output_column_name, levels))
        cases.append(comparison._case_statement)
    columns = [f'l."{c}" AS "{c}_l", r."{c}" AS "{c}_r"' for c in FEATURE_COLUMNS]
    query = (
        f"SELECT unique_id_r, {', '.join(cases)} "
        f"FROM (SELECT {', '.join(columns)} FROM new_record AS l CROSS JOIN candidate_records AS r) "
        "ORDER BY unique_id_r"
    )
    return query, comparisons, model.prior_weight(linker)


def _probability(weight: float) -> float:
    """Splink's match probability of a match weight (computed as it does, stable for large weights)."""
    if weight >= 0:
        return float(1.0 / (1.0 + 2.0 ** (-weight)))
    return float(2.0**weight / (1.0 + 2.0**weight))


@dataclass
class PairScorer:
    """The saved model at ``model_path`` compiled once; :meth:`score` compares one record with its candidates."""

    model_path: Path
    query: str = field(init=False)
    comparisons: list[_Comparison] = field(init=False)
    prior: float = field(init=False)
    connection: duckdb.DuckDBPyConnection = field(init=False, repr=False)

    def __post_init__(self) -> None:
        engine = open_engine("duckdb", self.model_path.parent)
        linker = model.new_linker(engine.register([], "empty"), self.model_path)
        self.query, self.comparisons, self.prior = _compiled(linker)
        self.connection = duckdb.connect(":memory:")
        engine.close()

    def score(
        self, row: dict[str, Any], candidates: Sequence[dict[str, Any]], threshold: float
    ) -> list[model.ScoredPair]:
        """The pairs of ``row`` with each of ``candidates`` whose match probability reaches ``threshold`` (every pair
        at 0), each explained (``left`` the new record, ``right`` the candidate, as ``predict_between`` orders them)."""
        if not candidates:
            return []
        minimum = math.log2(threshold / (1 - threshold)) if threshold > 0 else -math.inf
        con = self.connection
        con.register("new_record", arrow_table([{c: row.get(c) for c in FEATURE_COLUMNS}]))
        con.register("candidate_records", arrow_table([{c: r.get(c) for c in FEATURE_COLUMNS} for r in candidates]))
        try:
            vectors = con.execute(self.query).fetchall()
        finally:
            con.unregister("new_record")
            con.unregister("candidate_records")
        pairs = []
        for candidate, *gammas in vectors:
            levels = [c.levels[int(g)] for c, g in zip(self.comparisons, gammas, strict=True)]
            weight = self.prior + sum(level.weight for level in levels)
            if weight < minimum:
                continue
            features = [link_feature("prior", 0, round(self.prior, 4), PRIOR_DETAIL)]
            features += [
                _feature(c, int(g), level) for c, g, level in zip(self.comparisons, gammas, levels, strict=True)
            ]
            pairs.append(
                model.ScoredPair(
                    left=int(row["unique_id"]),
                    right=int(candidate),
                    match_weight=weight,
                    match_probability=_probability(weight),
                    features=tuple(features),
                )
            )
        return pairs


def _feature(comparison: _Comparison, gamma: int, level: _Level) -> Feature:
    return link_feature(comparison.name, gamma, level.feature_weight, level.label)
