"""Person-name normalisation, transliteration and explainable comparison across scripts.

Public API::

    compare_names("Александр Иванов", ["Alexander Ivanov", "Sasha Ivanov"]) -> NameComparison  # an explained Score
    prepare_name("Mohammed bin Salman") -> PreparedName   # once per stored name; then compare_prepared(a, b)
    detect_script("محمد") -> "Arab"

A pure library: no database, no watchlists; screening and entity resolution call it.
"""

from palermo.names.compare import (
    NameComparison,
    best_matches,
    compare_names,
    compare_prepared,
    score_prepared,
)
from palermo.names.config import NameMatchingConfig, default_config, load_config
from palermo.names.scripts import detect_script
from palermo.names.tokens import NameKey, NameToken, PreparedName, prepare_name

__all__ = [
    "NameComparison",
    "NameKey",
    "NameMatchingConfig",
    "NameToken",
    "PreparedName",
    "best_matches",
    "compare_names",
    "compare_prepared",
    "default_config",
    "detect_script",
    "load_config",
    "prepare_name",
    "score_prepared",
]
