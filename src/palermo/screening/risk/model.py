"""The combined risk model: a logistic regression over the risk features, and its explained score.

``probability = 1 / (1 + exp(-(intercept + sum(coefficient * value))))``. Each feature's contribution is its
coefficient times its value, in log-odds, so the contributions and the base rate (the intercept) add up to the
score an officer sees; the explanation lists them in words, largest first. The model says from which probability
a traveller is referred (``refer_threshold``, chosen at training for a target precision on held-out folds).
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

from palermo.errors import ConfigurationError
from palermo.explanation import Feature
from palermo.screening.risk.features import FEATURE_IDS, FEATURES, Facts, feature_values

SHOWN = 4  # contributions named in the decision's reason (all are in the risk score's features)


class RiskModel(BaseModel):
    """A trained combined risk model, as stored in its versioned JSON file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field("logistic", pattern="^logistic$")
    trained_at: str
    trained_on: list[str] = Field(description="What the examples were: feature files (worlds, seeds) or dispositions")
    examples: int = Field(ge=0)
    positives: int = Field(ge=0)
    intercept: float
    coefficients: dict[str, float]
    refer_threshold: float = Field(gt=0, lt=1, description="Probability from which a traveller is referred")
    target_precision: float = Field(gt=0, le=1)
    validation: dict[str, float | int | None] = Field(
        default_factory=dict, description="Out-of-fold figures at the threshold (precision, recall, Brier score)"
    )

    def check(self) -> RiskModel:
        unknown = sorted(set(self.coefficients) - set(FEATURE_IDS))
        if unknown:
            raise ConfigurationError(f"risk model has coefficients of unknown features: {', '.join(unknown)}")
        return self


class RiskScore(BaseModel):
    """The combined risk of one traveller, with what each feature added (log-odds) in words."""

    model_config = ConfigDict(frozen=True)

    probability: float = Field(description="Calibrated probability that the crossing is a trafficking movement")
    refer_threshold: float = Field(description="The model's probability from which the traveller is referred")
    model: str = Field(description="Which model version scored it")
    features: tuple[Feature, ...] = Field(
        description="The base rate and every feature that applies: value, coefficient, log-odds contribution, words"
    )

    @property
    def refers(self) -> bool:
        return self.probability >= self.refer_threshold

    def summary(self) -> str:
        """The score and its largest contributions, for the decision's reason."""
        shown = [f for f in self.features if f.id != "base_rate"][:SHOWN]
        parts = "; ".join(f"{f.detail} ({f.contribution:+.2f})" for f in shown) or "no risk feature applies"
        return (
            f"combined risk {self.probability:.2f} (refer from {self.refer_threshold:.2f}, model {self.model}): {parts}"
        )


def score(model: RiskModel, name: str, facts: Facts) -> RiskScore:
    """The explained risk of the traveller described by ``facts``."""
    values = feature_values(facts)
    logit = model.intercept
    features = []
    for spec in FEATURES:
        value = values[spec.id]
        if not value:
            continue
        coefficient = model.coefficients.get(spec.id, 0.0)
        logit += coefficient * value
        features.append(
            Feature(
                id=spec.id,
                value=value,
                weight=round(coefficient, 6),
                contribution=round(coefficient * value, 6),
                detail=spec.words(facts, value),
            )
        )
    features.sort(key=lambda f: -abs(f.contribution))
    base = Feature(
        id="base_rate",
        value=1.0,
        weight=round(model.intercept, 6),
        contribution=round(model.intercept, 6),
        detail="the odds of a trafficking movement among all crossings the model learned from",
    )
    probability = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
    return RiskScore(
        probability=round(probability, 6),
        refer_threshold=model.refer_threshold,
        model=name,
        features=(base, *features),
    )


def values_of(risk: RiskScore) -> dict[str, float]:
    """Every feature's value from a risk score (features that did not apply are 0)."""
    given = {f.id: f.value for f in risk.features}
    return {feature: given.get(feature, 0.0) for feature in FEATURE_IDS}
