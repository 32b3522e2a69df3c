"""The network's shells: the CLI and the API call the core, answer what a user needs, and respect permissions."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import igraph as ig
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from palermo.api import create_app
from palermo.cli.main import app as cli
from palermo.node import Node
from tests.factories import VICTIMS, bearer, make_token, make_user, person_keys

runner = CliRunner()


def _env(node: Node) -> dict[str, str]:
    return {
        "PALERMO_HOME": str(node.settings.home),
        "PALERMO_DATABASE_URL": node.settings.effective_database_url,
        "PALERMO_AGENCY": node.agency_code,
        "PALERMO_JUSTIFICATION": "JIT-2026-0025",
    }


def test_the_cli_builds_lists_explains_and_exports(network_node: Node, tmp_path: Path) -> None:
    env = _env(network_node)
    built = runner.invoke(cli, ["network", "build"], env=env)
    assert built.exit_code == 0, built.output
    assert json.loads(built.output)["kind"] == "full"
    listed = runner.invoke(cli, ["network", "communities"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "1 networks among" in listed.output
    assert "looks like a trafficking network" in listed.output
    shown = runner.invoke(cli, ["network", "community", "1"], env=env)
    assert shown.exit_code == 0, shown.output
    assert "Rado Recruiter" in shown.output
    assert "removing" in shown.output
    out = tmp_path / "graph.graphml"
    exported = runner.invoke(cli, ["network", "export", str(out), "--format", "graphml"], env=env)
    assert exported.exit_code == 0, exported.output
    graph = ig.Graph.Read_GraphML(str(out))
    assert "Rado Recruiter" in graph.vs["label"]
    assert set(graph.es["handling"]) == {"H0"}
    wrong = runner.invoke(cli, ["network", "export", str(out), "--format", "pdf"], env=env)
    assert wrong.exit_code != 0
    assert "format must be one of graphml, gexf, i2" in wrong.output


def test_the_api_answers_each_role_what_it_may_see(network_node: Node) -> None:
    keys = person_keys(network_node)
    for name, role in (("ana", "analyst"), ("sue", "supervisor"), ("bob", "border_officer")):
        make_user(network_node, name, role)
    with TestClient(create_app(network_node, warm_up=False), base_url="https://testserver") as client:
        analyst = bearer(make_token(network_node, "ana"), "JIT-2026-0025")
        supervisor = bearer(make_token(network_node, "sue"), "JIT-2026-0025")
        officer = bearer(make_token(network_node, "bob"), "JIT-2026-0025")
        assert client.get("/api/v1/network/communities", headers=analyst).status_code == 404
        built = client.post("/api/v1/network/build", json={"full": True}, headers=analyst)
        assert built.status_code == 200, built.text
        assert client.get("/api/v1/network/communities", headers=officer).status_code == 403
        networks = client.get("/api/v1/network/communities", headers=supervisor).json()
        assert networks["networks_total"] == 1
        detail = client.get(f"/api/v1/network/communities/{networks['communities'][0]['id']}", headers=supervisor)
        assert {keys[v] for v in VICTIMS} <= set(detail.json()["community"]["members"])
        ties = {(t["source"], t["target"]): t["reasons"] for t in detail.json()["member_ties"]}
        assert ties[tuple(sorted((keys["R"], keys["F"])))] == {"financed_by": 1, "payment": 2}
        around = client.get(f"/api/v1/network/neighbourhood/{keys['R']}", headers=analyst).json()
        assert not {n["key"] for n in around["nodes"]} & {keys[v] for v in VICTIMS}
        bad = client.get("/api/v1/network/neighbourhood/phone:1", headers=analyst)
        assert bad.status_code == 422
        assert "identity:<id>" in bad.json()["message"]
        as_i2 = client.get("/api/v1/network/export", params={"format": "i2"}, headers=analyst)
        rows = list(csv.DictReader(io.StringIO(as_i2.text)))
        assert as_i2.headers["content-type"].startswith("text/csv")
        financed = [r for r in rows if "financed_by" in r["link_type"].split(";")]
        assert [{r["entity1_label"], r["entity2_label"]} for r in financed] == [{"Rado Recruiter", "Filip Financier"}]
        assert not any("Victim" in r["entity1_label"] + r["entity2_label"] for r in rows)
        as_gexf = client.get("/api/v1/network/export", params={"format": "gexf"}, headers=supervisor)
        labels = {n.get("label") for n in ET.fromstring(as_gexf.text).iter("{http://gexf.net/1.3}node")}
        assert "Vera VictimV1" in labels
