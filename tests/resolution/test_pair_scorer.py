"""The compiled pair scorer of incremental linking gives the pairs, weights and explanations Splink gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from palermo.db.engine import transaction
from palermo.node import Node
from palermo.resolution import batch, index, model
from palermo.resolution.config import default_config
from palermo.resolution.engines import open_engine
from palermo.resolution.features import feature_row
from palermo.resolution.model_store import require_model
from palermo.resolution.pair_scorer import PairScorer
from palermo.resolution.records import load_persons

pytestmark = pytest.mark.xdist_group("world-tiny-11")


def _as_compared(pairs: list[model.ScoredPair]) -> list[tuple[Any, ...]]:
    return sorted((p.left, p.right, p.features) for p in pairs)


def _namesake(row: dict[str, Any]) -> dict[str, Any]:
    """Another person of the same name (blocked with ``row`` by name), born elsewhere in time, other papers."""
    return {
        **row,
        "unique_id": 10**9 + int(row["unique_id"]),
        "dob": "1931-07-19",
        "dob_year": "1931",
        "dob_month": "07",
        "dob_day": "19",
        "sex": "F" if row.get("sex") == "M" else "M",
        "documents": ["ZZ0000001"],
        "document": "ZZ0000001",
        "phones": ["+390000000001"],
        "address": "1 other street",
        "postcode": "00000",
        "city": "elsewhere",
    }


def test_the_scorer_gives_what_splink_predict_between_gives(world_node: Node, tmp_path: Path) -> None:
    batch.resolve(world_node, actor="cli:test")
    info, config = require_model(world_node.home), default_config()
    with transaction(world_node.engine) as session:
        rows = [feature_row(p) for p in load_persons(session)]
    splink = open_engine("duckdb", tmp_path)
    linker = model.new_linker(splink.register([], "empty"), info.path)
    scorer = PairScorer(info.path)
    links = others = 0
    with index.connect(world_node.home, read_only=True) as con:
        blocked = [(row, found) for row in rows if (found := index.candidates(con, row, config))]
    sample = [(row, [*found, _namesake(row)]) for row, found in blocked[:: max(1, len(blocked) // 12)]]
    for row, found in sample:
        for threshold in (config.link_threshold, 0.0):
            new, existing = splink.register([row], "new"), splink.register(found, "existing")
            expected = model.predict_between(linker, new, existing, threshold)
            got = scorer.score(row, found, threshold)
            assert _as_compared(got) == _as_compared(expected)
            weights = {(p.left, p.right): (p.match_weight, p.match_probability) for p in expected}
            for pair in got:
                weight, probability = weights[(pair.left, pair.right)]
                assert pair.match_weight == pytest.approx(weight, abs=1e-9)
                assert pair.match_probability == pytest.approx(probability, abs=1e-12)
                assert sum(f.weight for f in pair.features) == pytest.approx(pair.match_weight, abs=0.01)
            links += sum(p.match_probability >= config.link_threshold for p in got)
            others += sum(p.match_probability < config.link_threshold for p in got)
    splink.close()
    assert links  # both sides of the threshold were compared
    assert others
    assert scorer.score(rows[0], [], config.link_threshold) == []
