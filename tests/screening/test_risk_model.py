"""The combined risk score: trained on labelled crossings (logistic, threshold chosen out of fold), versioned in the
node home like the resolution model, and explained feature by feature in the screening's reason."""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import pytest

from palermo import alerts
from palermo.auth.actor import Actor
from palermo.db.engine import transaction
from palermo.errors import InvalidInput, PermissionDenied
from palermo.node import Node
from palermo.screening.requests import CompanionIn, ScreeningRequest, ScreeningResult
from palermo.screening.risk.dispositions import disposition_examples
from palermo.screening.risk.features import FEATURE_IDS
from palermo.screening.risk.store import DEFAULT, current_model, prior_model, read_model, save_model
from palermo.screening.risk.training import fit, read_examples, write_examples
from palermo.screening.service import screen
from tests.factories import justified_operator, load, write_list

AT = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)


def _rows(seed: int, n: int = 600) -> list[dict[str, object]]:
    """Crossings where a minor alone is usually a family (label 0) and an escorted minor is trafficking (label 1)."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for i in range(n):
        escorted = rng.random() < 0.08
        minor = rng.random() < 0.3
        values = dict.fromkeys(FEATURE_IDS, 0.0)
        values["minor"] = float(minor)
        values["minor_without_guardian"] = float(minor and rng.random() < 0.5)
        if escorted:
            values["escort_repeat_crossings"] = 1.0
            values["escort_bookings"] = 1.1
        label = escorted and rng.random() < 0.95
        rows.append({"source": "bp", "source_key": f"{seed}-{i}", "at": AT.isoformat(), "label": int(label),
                     "unit_kind": "network" if label else "family", **values})  # fmt: skip
    return rows


@pytest.fixture
def examples(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "world-a.csv", tmp_path / "world-b.csv"]
    for seed, path in enumerate(paths):
        write_examples(path, _rows(seed))
    return paths


def test_the_model_learns_that_the_escort_matters_and_a_lone_minor_alone_does_not(examples: list[Path]) -> None:
    model = fit(read_examples(examples), target_precision=0.9, trained_on=[p.name for p in examples])
    assert model.coefficients["escort_repeat_crossings"] + model.coefficients["escort_bookings"] > 2
    assert abs(model.coefficients["minor_without_guardian"]) < 1
    assert model.validation["precision"] is not None
    assert model.validation["precision"] >= 0.9
    assert model.validation["recall"] is not None
    assert model.validation["recall"] > 0.8
    assert model.examples == 1200
    assert model.trained_on == ["world-a.csv", "world-b.csv"]


def test_models_are_versioned_in_the_node_home_and_the_newest_is_used(node: Node, examples: list[Path]) -> None:
    assert current_model(node.home).name == ("default" if DEFAULT.is_file() else "taxonomy-weights")
    model = fit(read_examples(examples), target_precision=0.9, trained_on=["a"])
    first = save_model(node.home, model)
    second = save_model(node.home, model.model_copy(update={"trained_on": ["b"]}))
    assert (first.name, second.name) == ("v0001", "v0002")
    assert current_model(node.home).name == "v0002"
    assert read_model(first.path).trained_on == ["a"]  # earlier versions stay


def test_a_file_that_is_not_a_feature_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("source_key,occurred_at\nx,2026-01-01\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a feature file"):
        read_examples([wrong])
    with pytest.raises(InvalidInput, match="no such feature file"):
        read_examples([tmp_path / "missing.csv"])
    bad = _rows(1, 10)
    bad[3]["label"] = "yes"
    write_examples(tmp_path / "bad.csv", bad)
    with pytest.raises(InvalidInput, match=r"bad\.csv:5: label must be 0 or 1"):
        read_examples([tmp_path / "bad.csv"])
    write_examples(tmp_path / "few.csv", _rows(1, 10))
    with pytest.raises(InvalidInput, match="too few to train on"):
        fit(read_examples([tmp_path / "few.csv"]), target_precision=0.9, trained_on=[])


def _screen(node: Node, **fields: object) -> ScreeningResult:
    with transaction(node.engine) as session:
        request = ScreeningRequest(at=AT, **fields)  # type: ignore[arg-type]
        return screen(session, justified_operator(node), request, home=node.home, persist=False)


def test_a_trained_model_decides_and_the_reason_names_each_contribution_in_words(
    node: Node, examples: list[Path]
) -> None:
    alone = {"names": ["Ana Lupu"], "birth_date": "2012-06-01", "companions": [CompanionIn(name="Ion Rusu")]}
    save_model(node.home, fit(read_examples(examples), target_precision=0.9, trained_on=["a", "b"]))
    result = _screen(node, **alone)
    assert "minor_without_guardian" in {i.id for i in result.indicators}
    assert result.risk.model == "v0001"
    assert result.risk.probability < result.risk.refer_threshold
    assert result.decision == "clear"  # the learned model: a lone minor without more is what families look like
    features = {f.id: f for f in result.risk.features}
    assert "a minor" in features["minor"].detail
    assert features["minor_without_guardian"].detail.startswith("Minor without an identified parent or guardian")
    logit = sum(f.contribution for f in result.risk.features)  # the base rate and contributions add up
    assert 1 / (1 + math.exp(-logit)) == pytest.approx(result.risk.probability, abs=1e-6)


def test_the_taxonomy_weights_as_a_model_protect_a_lone_minor_and_say_why(node: Node) -> None:
    prior = prior_model()  # the model before any training: refer where the weights reach indicator_refer (0.5)
    assert prior.intercept + prior.coefficients["minor_without_guardian"] == pytest.approx(0.0)
    save_model(node.home, prior)
    result = _screen(node, names=["Ana Lupu"], birth_date="2012-06-01", companions=[CompanionIn(name="Ion Rusu")])
    assert result.decision == "protect"
    [reason] = [r for r in result.reasons if r.kind == "indicators"]
    assert reason.detail.startswith("combined risk 0.50 (refer from 0.50, model v0001): Minor without an identified")
    assert "aged 13, travelling with Ion Rusu" in reason.detail
    assert reason.detail.endswith("protective indicator minor_without_guardian")
    adult = _screen(node, names=["Ana Lupu"], birth_date="1990-06-01", companions=[CompanionIn(name="Ion Rusu")])
    assert adult.decision == "clear"
    assert adult.risk.probability < 0.01


def test_confirmed_dispositions_of_indicator_alerts_become_labelled_examples(node: Node, tmp_path: Path) -> None:
    save_model(node.home, prior_model())  # a lone minor is protected: an alert the indicators raised
    load(node, write_list(tmp_path))
    travellers = [
        ({"names": ["Ana Lupu"], "birth_date": "2012-06-01"}, "false_positive"),
        ({"names": ["Eva Kola"], "birth_date": "2011-02-03"}, "referred_to_victim_support"),
        ({"names": ["Mira Dema"], "birth_date": "2010-09-09"}, "no_action"),
        ({"names": ["Aleksandr Ivanov"], "birth_date": "1975-03-14"}, "confirmed"),  # a watchlist hit alone
    ]
    for fields, disposition in travellers:
        with transaction(node.engine) as session:
            request = ScreeningRequest(at=AT, companions=[CompanionIn(name="Ion Rusu")], **fields)  # type: ignore[arg-type]
            alert_id = screen(session, justified_operator(node), request, home=node.home).alert_id
            assert alert_id is not None
            alerts.dispose_alert(session, justified_operator(node), alert_id, disposition)
    with transaction(node.engine) as session:
        rows = disposition_examples(session, justified_operator(node))
        with pytest.raises(PermissionDenied):
            disposition_examples(session, Actor(name="user:x", kind="user", role=None))
    assert [(r["unit_kind"], r["label"]) for r in rows] == [("false_positive", 0), ("referred_to_victim_support", 1)]
    assert rows[0]["minor_without_guardian"] == 1.0
    assert rows[0]["minor"] == 1.0
