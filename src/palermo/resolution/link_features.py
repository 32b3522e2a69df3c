"""The explanation of a link between two person records, as :class:`palermo.explanation.Feature` s, and as stored in
``identity_links.features`` (no Splink import here: identities are read without loading the model)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from palermo.explanation import Feature

PRIOR = "prior"
# what each resolution comparison (palermo.resolution.comparisons) compares, in words
COMPARISONS = {
    PRIOR: "Before comparing",
    "surname": "Surname",
    "given_name": "Given name",
    "dob": "Date of birth",
    "sex": "Sex",
    "nationalities": "Nationality",
    "documents": "Document number",
    "phones": "Phone number",
    "address": "Address",
    "postcode": "Postcode",
    "city": "City",
    "analyst_confirmed": "Analyst's confirmation",
}


def comparison_label(comparison: str) -> str:
    """What a comparison compares, in words (its id made readable when it has no label)."""
    return COMPARISONS.get(comparison, comparison.replace("_", " ").capitalize())


def link_feature(comparison: str, level: float, weight: float, detail: str) -> Feature:
    """One piece of evidence of a link: the level reached (``value``), its match weight (log2 Bayes factor), which is
    also what it contributes to the link's match weight, and the level's label."""
    return Feature(id=comparison, value=level, weight=weight, contribution=weight, detail=detail)


def features_json(features: Sequence[Feature]) -> str:
    return json.dumps([f.model_dump() for f in features], ensure_ascii=False)


def stored_features(text: str) -> tuple[Feature, ...]:
    """The features of a stored link, also as written before the shared model (``name``, no ``contribution``)."""
    return tuple(link_feature(f.get("id") or f["name"], f["value"], f["weight"], f["detail"]) for f in json.loads(text))
