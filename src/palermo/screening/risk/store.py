"""Combined risk models as versioned JSON files, like the resolution model: ``screening/risk_models/
risk-model-v0001.json`` ... in the node home, the newest in use; without any, the model shipped in the package
(``default_model.json``, reproduced by the command in docs/indicators.md); without that either, the taxonomy's
weights as a model (``prior_model``: refer when the fired indicators' weights reach ``indicator_refer``, the rule
before any training). Earlier versions stay, so a decision can always be traced to the model that made it (its
name is in every risk score)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from palermo.errors import ConfigurationError
from palermo.screening.risk.model import RiskModel
from palermo.screening.scoring_config import default_screening_config
from palermo.taxonomies import taxonomy

DEFAULT = Path(__file__).with_name("default_model.json")
_VERSION = re.compile(r"^risk-model-v(\d{4,})\.json$")
PRIOR_SLOPE = 10.0  # log-odds per unit of indicator weight: p = 0.5 exactly at indicator_refer


@dataclass(frozen=True)
class StoredModel:
    name: str  # "v0003" for a node's version, "default" for the shipped one
    path: Path
    model: RiskModel


def models_dir(home: Path) -> Path:
    return home / "screening" / "risk_models"


def _versions(home: Path) -> list[tuple[int, Path]]:
    folder = models_dir(home)
    if not folder.is_dir():
        return []
    return sorted((int(m.group(1)), p) for p in folder.iterdir() if (m := _VERSION.match(p.name)))


@lru_cache(maxsize=16)
def _read(path: Path, mtime_ns: int) -> RiskModel:
    try:
        return RiskModel.model_validate_json(path.read_bytes()).check()
    except (OSError, ValidationError) as exc:
        raise ConfigurationError(f"risk model {path} cannot be read: {exc}") from None


def read_model(path: Path) -> RiskModel:
    return _read(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=1)
def prior_model() -> RiskModel:
    """The taxonomy's weights as a logistic model: ``logit = slope * (sum of fired weights - indicator_refer)``, so
    the probability reaches 0.5 exactly where the weights reach ``indicator_refer`` (the rule before training)."""
    refer = default_screening_config().decision.indicator_refer
    weights = {t.id: float(t.attributes["weight"]) for t in taxonomy("risk_indicators").terms}
    return RiskModel(
        trained_at="",
        trained_on=["untrained: the weights of risk_indicators.yaml"],
        examples=0,
        positives=0,
        intercept=-PRIOR_SLOPE * refer,
        coefficients={k: PRIOR_SLOPE * w for k, w in weights.items()},
        refer_threshold=0.5,
        target_precision=1.0,
    ).check()


def current_model(home: Path) -> StoredModel:
    """The newest model of this node, else the shipped default, else the taxonomy's weights."""
    versions = _versions(home)
    if versions:
        version, path = versions[-1]
        return StoredModel(f"v{version:04d}", path, read_model(path))
    if DEFAULT.is_file():
        return StoredModel("default", DEFAULT, read_model(DEFAULT))
    return StoredModel("taxonomy-weights", Path("risk_indicators.yaml"), prior_model())


def write_model(path: Path, model: RiskModel) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.model_dump(mode="json"), indent=2, sort_keys=True) + "\n", encoding="utf-8")


def save_model(home: Path, model: RiskModel) -> StoredModel:
    """Write ``model`` as this node's next version; earlier versions stay."""
    versions = _versions(home)
    version = versions[-1][0] + 1 if versions else 1
    path = models_dir(home) / f"risk-model-v{version:04d}.json"
    write_model(path, model)
    return StoredModel(f"v{version:04d}", path, model)
