"""The real server under concurrent clients: no 5xx, every consultation in an intact audit log, all sign-ins counted.

A bounded version of ``benchmarks/load.py``: uvicorn in a thread, 8 client threads each sending a fixed mix of
screenings, person searches, document checks and sign-ins, on SQLite and PostgreSQL. Nothing is timed.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import func, select

from palermo.api import create_app
from palermo.audit import node_signing_key, verify_log
from palermo.db.accounts import WebSession
from palermo.db.audit import AuditEntry
from palermo.db.engine import make_engine, transaction
from palermo.node import Node
from tests.api.live import live_server
from tests.factories import PASSWORD, add_persons, load, make_token, make_user, passport, write_list

CLIENTS = 8
ROUNDS = 6  # each client sends ROUNDS x 4 requests
JUSTIFIED = {"X-Palermo-Justification": "border_control"}


def _requests(n: int, token: str, username: str) -> list[Callable[[httpx.Client], httpx.Response]]:
    auth = {"Authorization": f"Bearer {token}", **JUSTIFIED}
    traveller = ["Sasha Ivanov", "Claire Martin", "Olena Shevchenko"][n % 3]
    return [
        lambda c: c.post(
            "/api/v1/screenings",
            json={"names": [traveller], "birth_date": "1975-03-14", "nationality": "RUS", "border_point": "FCO"},
            headers=auth,
        ),
        lambda c: c.get("/api/v1/persons", params={"name": "Ivanov"}, headers=auth),
        lambda c: c.post(
            "/api/v1/documents/check", json={"mrz": passport(f"AB{n:07d}"), "at": "2025-06-01"}, headers=auth
        ),
        lambda c: c.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}),
    ]


def _client(base: str, n: int, token: str, username: str, statuses: Counter[int], lock: threading.Lock) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(ROUNDS):
            for send in _requests(n, token, username):
                status = send(client).status_code
                with lock:
                    statuses[status] += 1


def test_eight_clients_get_no_errors_and_every_consultation_is_logged(node: Node, tmp_path: Path) -> None:
    load(node, write_list(tmp_path))
    add_persons(node, tmp_path, [["p1", "Ivanov", "Sasha"], ["p2", "Ivanova", "Olga"]])
    for n in range(CLIENTS):
        make_user(node, f"officer{n}", "border_officer")
    tokens = [make_token(node, f"officer{n}") for n in range(CLIENTS)]
    with transaction(node.engine) as session:
        logged_before = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    with live_server(create_app(node)) as (host, port):
        base = f"http://{host}:{port}"
        threads = [
            threading.Thread(target=_client, args=(base, n, tokens[n], f"officer{n}", statuses, lock))
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == Counter({200: CLIENTS * ROUNDS * 4})
    with transaction(node.engine) as session:
        logged = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        signed_in = session.scalar(select(func.count()).select_from(WebSession))
        report = verify_log(session, node_signing_key(node.home).public_key)
    assert logged - logged_before == CLIENTS * ROUNDS * 3  # screening, search, document check: one entry each
    assert signed_in == CLIENTS * ROUNDS
    assert report.ok, report.to_dict()


def test_more_clients_than_connections_and_threads_wait_their_turn(node: Node, tmp_path: Path) -> None:
    """A request holds its connection across hops to worker threads: more requests than connections must queue,
    not take every thread to wait for a connection while the connections' holders wait for a thread."""
    load(node, write_list(tmp_path))
    make_user(node, "officer", "border_officer")
    token = make_token(node, "officer")
    url = node.settings.effective_database_url
    few = dataclasses.replace(node, engine=make_engine(url, pool_size=1, pool_timeout=5))  # 2 connections
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    with live_server(create_app(few), worker_threads=2) as (host, port):
        _wait_until_ready(f"http://{host}:{port}")  # the warm-up holds a connection of the two for seconds
        threads = [
            threading.Thread(target=_screenings, args=(f"http://{host}:{port}", token, 3, statuses, lock))
            for _ in range(12)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    few.engine.dispose()
    assert statuses == Counter({200: 36})


def _wait_until_ready(base: str) -> None:
    deadline = time.monotonic() + 120
    while httpx.get(f"{base}/readyz").status_code != 200:
        assert time.monotonic() < deadline, "the server did not warm up within 2 minutes"
        time.sleep(0.1)


def _screenings(base: str, token: str, rounds: int, statuses: Counter[int], lock: threading.Lock) -> None:
    auth = {"Authorization": f"Bearer {token}", **JUSTIFIED}
    with httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(rounds):
            status = client.post("/api/v1/screenings", json={"names": ["Sasha Ivanov"]}, headers=auth).status_code
            with lock:
                statuses[status] += 1
