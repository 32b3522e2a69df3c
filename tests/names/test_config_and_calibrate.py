import pytest

from palermo.config_files import validate_parameters
from palermo.errors import ConfigurationError
from palermo.names import default_config
from palermo.names.calibrate import LabelledPair, calibrate, evaluate, fit_weights, metrics
from palermo.names.config import NameMatchingConfig, dump_config, load_config
from palermo.names.features import FEATURES
from palermo.taxonomies import taxonomy


def test_shipped_config_declares_only_known_features() -> None:
    config = default_config()
    assert {f.name for f in config.features} <= set(FEATURES)
    assert 0 < config.threshold < 1


def test_config_round_trips_through_yaml(tmp_path) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(dump_config(default_config()), encoding="utf-8")
    assert load_config(path) == default_config()


def test_penalty_with_positive_weight_is_refused() -> None:
    raw = default_config().model_dump(mode="json")
    raw["features"][-1]["weight"] = 0.5
    with pytest.raises(ConfigurationError, match="is a penalty"):
        validate_parameters(raw, NameMatchingConfig, "test")


def test_identity_weights_must_reach_one() -> None:
    raw = default_config().model_dump(mode="json")
    for feature in raw["features"]:
        if feature["kind"] == "reward":
            feature["weight"] = 0.1
    with pytest.raises(ConfigurationError, match="must sum to >= 1"):
        validate_parameters(raw, NameMatchingConfig, "test")


def test_missing_config_file_is_a_configuration_error(tmp_path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_config(tmp_path / "absent.yaml")


def test_metrics_counts() -> None:
    m = metrics([0.9, 0.8, 0.2, 0.75], [True, False, True, True], 0.7)
    assert (m.tp, m.fp, m.fn, m.tn) == (2, 1, 1, 0)
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(2 / 3)


def test_fit_weights_keeps_signs_and_identity() -> None:
    config = default_config()
    rows = [[1.0] * len(config.features), [0.0] * len(config.features)]
    weights = fit_weights(rows, [True, False], config, max_passes=2)
    for declared in config.features:
        assert (weights[declared.name] >= 0) == (declared.kind == "reward") or weights[declared.name] == 0


def test_calibration_does_not_lose_on_its_training_pairs() -> None:
    pairs = [
        LabelledPair("Olaf Schloz", "Olaf Scholz", True),
        LabelledPair("Daniel Tusk", "Donald Tusk", False),
        LabelledPair("V. Putin", "Vladimir Putin", True),
        LabelledPair("Pol Pot", "Paul Murphy", False),
    ]
    config = default_config()
    assert evaluate(pairs, calibrate(pairs, config)).f1 >= evaluate(pairs, config).f1


@pytest.mark.parametrize("name", ["name_particles", "name_titles", "given_name_equivalents"])
def test_name_taxonomies_load(name: str) -> None:
    assert taxonomy(name).terms
