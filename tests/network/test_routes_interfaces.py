"""``palermo network routes | hotspots`` and ``/api/v1/network/...`` on the hand-built world: tables and JSON,
clear refusals of bad input, the permission and the justification."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from palermo.api import create_app
from palermo.cli.main import app
from palermo.node import Node
from tests.factories import bearer, make_token, make_user
from tests.travel_world import NETWORK_ROUTE, build

runner = CliRunner()


def _env(node: Node) -> dict[str, str]:
    return {
        "PALERMO_HOME": str(node.settings.home),
        "PALERMO_DATABASE_URL": node.settings.effective_database_url,
        "PALERMO_JUSTIFICATION": "JIT-2026-0042",
    }


def test_the_commands_print_tables_and_json(node: Node, tmp_path: Path) -> None:
    world = build(node, tmp_path)
    env = _env(node)
    table = runner.invoke(app, ["network", "routes"], env=env)
    assert table.exit_code == 0, table.output
    assert "1 trafficking route(s)" in table.output
    assert "a route trafficking networks use" in table.output
    answer = runner.invoke(app, ["network", "routes", "--json", "--period", "week"], env=env)
    routes = json.loads(answer.output)
    assert routes["routes"][0]["route"] == NETWORK_ROUTE
    assert all("-W" in k for k in routes["routes"][0]["volumes"])
    journeys = runner.invoke(app, ["network", "routes", "--identity", world.escort, "--json"], env=env)
    assert [j["route"] for j in json.loads(journeys.output)] == [NETWORK_ROUTE] * 6
    hot = runner.invoke(app, ["network", "hotspots"], env=env)
    assert hot.exit_code == 0, hot.output
    assert "Bari port (BRI)" in hot.output
    spots = json.loads(runner.invoke(app, ["network", "hotspots", "--json"], env=env).output)
    assert {h["key"] for h in spots["hotspots"] if h["period"] is None} >= {"BRI", NETWORK_ROUTE}


def test_the_commands_refuse_bad_input_in_words(node: Node) -> None:
    env = _env(node)
    backwards = runner.invoke(app, ["network", "routes", "--since", "2026-05-01", "--until", "2026-04-01"], env=env)
    assert backwards.exit_code != 0
    assert "since (2026-05-01) is after until (2026-04-01)" in backwards.output
    period = runner.invoke(app, ["network", "hotspots", "--period", "year"], env=env)
    assert period.exit_code != 0
    assert "period" in period.output
    assert "Traceback" not in period.output
    who = runner.invoke(app, ["network", "routes", "--identity", "bob"], env=env)
    assert "not an identity key" in who.output


def test_the_api_answers_with_the_permission_and_a_justification(node: Node, tmp_path: Path) -> None:
    build(node, tmp_path)
    make_user(node, "ana", "analyst")
    make_user(node, "bo", "border_officer")
    analyst, officer = make_token(node, "ana"), make_token(node, "bo")
    with TestClient(create_app(node, warm_up=False), base_url="https://testserver") as client:
        routes = client.get("/api/v1/network/routes", headers=bearer(analyst, "JIT-2026-0042"))
        assert routes.status_code == 200
        assert routes.json()["routes"][0]["route"] == NETWORK_ROUTE
        assert routes.json()["hidden_special"] == 2  # an analyst does not hold victims.read
        spots = client.get(
            "/api/v1/network/hotspots", params={"period": "week"}, headers=bearer(analyst, "JIT-2026-0042")
        )
        assert spots.status_code == 200
        assert any(h["key"] == "BRI" for h in spots.json()["hotspots"])
        assert client.get("/api/v1/network/routes", headers=bearer(analyst)).status_code == 403
        assert client.get("/api/v1/network/hotspots", headers=bearer(officer, "JIT-2026-0042")).status_code == 403
        bad = client.get(
            "/api/v1/network/routes", params={"since": "2026-05-01", "until": "2026-04-01"},
            headers=bearer(analyst, "JIT-2026-0042"),
        )  # fmt: skip
        assert bad.status_code == 422
        assert "after until" in bad.json()["message"]
        who = client.get("/api/v1/network/routes/journeys/bob", headers=bearer(analyst, "JIT-2026-0042"))
        assert who.status_code == 422
