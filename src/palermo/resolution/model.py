"""Train the Splink model (prior, u by random sampling, m by expectation maximisation) and score pairs.

Every scored pair comes back with its explanation: one :class:`palermo.explanation.Feature` per comparison (the
level reached, its match weight, the level's label) plus the prior, so that the features add up to the pair's match
weight.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from splink import Linker, SettingsCreator, block_on

from palermo.errors import Conflict
from palermo.explanation import Feature
from palermo.logs import get_logger
from palermo.resolution.comparisons import DATE_CONFLICT_LEVELS, person_comparisons
from palermo.resolution.config import BlockingRule, ResolutionConfig, TrainingRule, default_config
from palermo.resolution.link_features import link_feature

log = get_logger(__name__)

LinkType = Literal["dedupe_only", "link_only", "link_and_dedupe"]


@dataclass(frozen=True)
class ScoredPair:
    left: int
    right: int
    match_weight: float
    match_probability: float
    features: tuple[Feature, ...]


def blocking_rule(rule: BlockingRule) -> Any:
    return block_on(*rule.columns, arrays_to_explode=list(rule.explode) or None)


def build_settings(config: ResolutionConfig, link_type: LinkType = "dedupe_only") -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        comparisons=list[Any](person_comparisons(config)),
        blocking_rules_to_generate_predictions=[blocking_rule(r) for r in config.blocking_rules],
        retain_matching_columns=True,  # the levels (gamma columns) come only with the matching columns
        retain_intermediate_calculation_columns=True,
    )


def new_linker(tables: Any, settings: SettingsCreator | Path | dict[str, Any]) -> Linker:
    """A linker over registered ``tables`` with fresh ``settings`` or a saved model (path or dict)."""
    if isinstance(settings, Path):
        settings = json.loads(settings.read_text(encoding="utf-8"))
    if isinstance(settings, dict):
        # blocking rules come from the config, in the engine's own dialect (a saved model's SQL is in the
        # dialect it was trained on, and Splink does not carry exploded-array rules across dialects)
        config = default_config()
        dialect = _dialect(tables)
        settings = {
            **settings,
            "comparisons": _comparisons_in(dialect, settings["comparisons"], config),
            "blocking_rules_to_generate_predictions": _rules(config),
            "sql_dialect": dialect,
        }
    return Linker(tables, settings, log_level=None)


def _dialect(tables: Any) -> str:
    first = tables[0] if isinstance(tables, list | tuple) else tables
    return str(first.db_api.sql_dialect.sql_dialect_str)


def _levels(comparisons: list[dict[str, Any]]) -> list[tuple[str, list[str | None]]]:
    return [
        (c.get("output_column_name", ""), [lvl.get("label_for_charts") for lvl in c["comparison_levels"]])
        for c in comparisons
    ]


def saved_model_matches(path: Path, config: ResolutionConfig) -> bool:
    """Whether the model saved at ``path`` was trained with today's comparisons (same columns, same levels)."""
    saved = json.loads(path.read_text(encoding="utf-8"))["comparisons"]
    fresh = [c.get_comparison("duckdb").as_dict() for c in person_comparisons(config)]  # type: ignore[no-untyped-call]
    return _levels(saved) == _levels(fresh)


def _comparisons_in(dialect: str, saved: list[dict[str, Any]], config: ResolutionConfig) -> list[dict[str, Any]]:
    """The comparisons in ``dialect``'s SQL, with the trained m and u probabilities of ``saved``."""
    fresh = [c.get_comparison(dialect).as_dict() for c in person_comparisons(config)]  # type: ignore[no-untyped-call]
    if _levels(saved) != _levels(fresh):
        raise Conflict(
            "the saved resolution model was trained with other comparisons than this version of Palermo has; "
            "run `palermo resolve --retrain`"
        )
    for comparison, trained in zip(fresh, saved, strict=True):
        for level, trained_level in zip(comparison["comparison_levels"], trained["comparison_levels"], strict=True):
            for key in ("m_probability", "u_probability"):
                if key in trained_level:
                    level[key] = trained_level[key]
    return fresh


def _rules(config: ResolutionConfig) -> list[Any]:
    return [blocking_rule(r) for r in config.blocking_rules]


def training_rule(rule: TrainingRule) -> Any:
    """The pairs of one EM session: equal on the rule's columns, not in conflict on its held-out columns."""
    if not rule.held_out:
        return block_on(*rule.columns)
    equal = [f"l.{c} = r.{c}" for c in rule.columns]
    held = [f"(l.{c} = r.{c} OR l.{c} IS NULL OR r.{c} IS NULL)" for c in rule.held_out]
    return " AND ".join(equal + held)


def train(linker: Linker, config: ResolutionConfig) -> None:
    """Prior from deterministic rules, u by random sampling, m by EM (one session per rule of ``em_rules``)."""
    rules: list[Any] = [block_on(*r) for r in config.prior_rules]
    linker.training.estimate_probability_two_random_records_match(rules, recall=config.prior_recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=config.u_max_pairs, seed=config.u_seed)
    for rule in config.em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(training_rule(rule))
    log.info("resolution_model_trained", em_sessions=len(config.em_rules))


def _labels(linker: Linker) -> dict[str, dict[int, str]]:
    labels: dict[str, dict[int, str]] = {}
    for comparison in linker._settings_obj.comparisons:
        levels = {lvl.comparison_vector_value: lvl.label_for_charts for lvl in comparison.comparison_levels}
        labels[comparison.output_column_name] = levels
    return labels


def prior_weight(linker: Linker) -> float:
    p = linker._settings_obj._probability_two_random_records_match
    return math.log2(p / (1 - p))


def _explain(row: Sequence[Any], labels: dict[str, dict[int, str]], prior: float) -> tuple[Feature, ...]:
    """The features of one pair from its levels and weights (``row``: each comparison's gamma, then its weight)."""
    features = [link_feature("prior", 0, round(prior, 4), "chance that two random records are the same person")]
    for n, (name, levels) in enumerate(labels.items()):
        gamma = int(row[2 * n])
        weight = 0.0 if gamma < 0 else float(row[2 * n + 1])
        features.append(link_feature(name, gamma, round(weight, 4), levels.get(gamma, "not compared")))
    return tuple(features)


def scored_pairs(linker: Linker, predictions: Any) -> list[ScoredPair]:
    """Splink's prediction table as :class:`ScoredPair` objects, each explained feature by feature.

    Only the ids, weights and levels are read back (not the compared values of both sides Splink retains), so a
    million links do not come back as a frame of every column."""
    labels, prior = _labels(linker), prior_weight(linker)
    levels = ", ".join(f"gamma_{name}, mw_{name}" for name in labels)
    frame = linker.misc.query_sql(  # type: ignore[no-untyped-call]
        f"SELECT unique_id_l, unique_id_r, match_weight, match_probability, {levels} FROM {predictions.physical_name}",
        output_type="pandas",
    )
    return [
        ScoredPair(
            left=int(row[0]),
            right=int(row[1]),
            match_weight=float(row[2]),
            match_probability=float(row[3]),
            features=_explain(row[4:], labels, prior),
        )
        for row in frame.itertuples(index=False, name=None)
    ]


def _keep_levels(linker: Linker) -> None:
    # training switches intermediate columns off on the shared settings; the explanation needs the levels
    linker._settings_obj._retain_intermediate_calculation_columns = True
    linker._settings_obj._retain_matching_columns = True


def predict(linker: Linker, threshold: float) -> list[ScoredPair]:
    """Every blocked pair with a match probability of at least ``threshold``."""
    _keep_levels(linker)
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    return scored_pairs(linker, predictions)


def predict_between(linker: Linker, new: Any, existing: Any, threshold: float) -> list[ScoredPair]:
    """Pairs between ``new`` and ``existing`` records only (incremental linking), at least ``threshold``."""
    _keep_levels(linker)
    predictions = linker.inference.predict_between(
        new, existing, link_type="link_only", threshold_match_probability=threshold, warning_mode="never"
    )
    return scored_pairs(linker, predictions)


def trusts_birth_dates(saved: dict[str, Any], config: ResolutionConfig) -> bool:
    """Whether conflicting dates of birth rule a union out (``conflicts``) under the trained model ``saved``: the
    trained probability that one person's two records carry conflicting dates is below ``date_conflicts_below``."""
    dob = next(c for c in saved["comparisons"] if c.get("output_column_name") == "dob")
    levels = [lvl for lvl in dob["comparison_levels"] if lvl.get("label_for_charts") in DATE_CONFLICT_LEVELS]
    return sum(float(lvl.get("m_probability") or 0.0) for lvl in levels) < config.date_conflicts_below


def saved_trusts_birth_dates(path: Path, config: ResolutionConfig) -> bool:
    """:func:`trusts_birth_dates` of the model saved at ``path``."""
    return trusts_birth_dates(json.loads(path.read_text(encoding="utf-8")), config)


def model_dict(linker: Linker) -> dict[str, Any]:
    return dict(linker.misc.save_model_to_json())


def sources(pairs: Sequence[ScoredPair]) -> int:
    return len({p.left for p in pairs} | {p.right for p in pairs})
