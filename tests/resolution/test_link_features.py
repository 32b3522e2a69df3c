"""A link's features as stored: written as the shared model, and read also as they were written before it."""

from __future__ import annotations

import json

from palermo.resolution.link_features import features_json, link_feature, stored_features


def test_link_features_round_trip_through_the_store() -> None:
    features = (link_feature("prior", 0, -9.5, "chance"), link_feature("surname", 3, 6.25, "exact match"))
    assert stored_features(features_json(features)) == features
    assert sum(f.contribution for f in features) == -3.25


def test_links_stored_before_the_shared_model_still_read() -> None:
    old = json.dumps([{"name": "dob", "value": 2, "weight": 4.5, "detail": "same year and month"}])
    [feature] = stored_features(old)
    assert (feature.id, feature.value, feature.weight, feature.contribution) == ("dob", 2.0, 4.5, 4.5)
