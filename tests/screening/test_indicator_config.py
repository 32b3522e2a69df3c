"""Every risk indicator of the taxonomy has code and typed parameters; a parameter nobody reads is an error."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from palermo.screening.indicators import EVALUATORS, MinorParameters, SharedParameters, configured_indicators
from palermo.taxonomies import taxonomy


def test_every_indicator_has_an_evaluator_and_valid_parameters() -> None:
    configured = configured_indicators()
    assert [term.id for term, _, _ in configured] == list(taxonomy("risk_indicators").ids)
    assert set(EVALUATORS) == set(taxonomy("risk_indicators").ids)
    for term, evaluator, parameters in configured:
        assert isinstance(parameters, evaluator.parameters), term.id


def test_an_unread_or_missing_parameter_is_refused() -> None:
    with pytest.raises(ValidationError, match="companion_hours"):
        MinorParameters.model_validate({"adult_age": 18, "companion_hours": 6})
    with pytest.raises(ValidationError, match="min_bookings"):
        SharedParameters.model_validate({"window_days": 120, "min_travellers": 4})
