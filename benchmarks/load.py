"""Load benchmark: the HTTP server under N concurrent clients, on SQLite and PostgreSQL, beside 1 client.

A node is built from the tiny synthetic world (``run_demo``: persons, documents, watchlists, alerts), then served by
``palermo serve`` (uvicorn, ``--workers``) on loopback. Each client is a thread with its own keep-alive connection
and its own token, sending a fixed mix for a bounded time: screenings (70%), person searches (15%), document checks
(10%) and sign-ins (5%). Reported per level and kind: requests, throughput, p50/p95/p99 latency, errors (5xx or a
broken connection; other unexpected statuses are counted apart), and the server's peak RSS (all its processes).

    python benchmarks/load.py [--clients 50] [--seconds 20] [--workers 2] [--backends sqlite,postgresql]
    python benchmarks/load.py --soak 600 --rate 100     # open loop at 100 requests/s, RSS sampled every 10 s

Prints JSON and writes ``benchmarks/results/load.json`` (``load-soak.json`` for a soak).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psutil
import sqlalchemy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.postgres import running_cluster

from common import machine, write_result
from palermo.auth import tokens, users
from palermo.auth.actor import cli_actor, user_actor
from palermo.db.engine import transaction
from palermo.db.watchlists import WatchlistEntry
from palermo.demo import run_demo
from palermo.logs import library_logs_to
from palermo.node import open_node
from palermo.settings import Settings

PALERMO = str(Path(sys.executable).with_name("palermo"))
PASSWORD = "load benchmark passphrase"
JUSTIFICATION = "border_control"
SPECIMEN_TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
MIX = (("screening", 70), ("person_search", 15), ("document_check", 10), ("sign_in", 5))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_node(settings: Settings, clients: int) -> dict[str, Any]:
    """The tiny world on ``settings``' store, an officer and an analyst token per client, and a sign-in user."""
    with library_logs_to(settings.home.parent / "libraries.log"):
        run_demo(settings, reuse=False, actor="cli:load", scale="tiny")
    node = open_node(settings)
    operator = cli_actor("cli:load", node.agency_code)
    with transaction(node.engine) as session:
        listed = session.scalars(sqlalchemy.select(WatchlistEntry.names)).all()
    names = [str(entry[0]["name"]) for entry in listed if entry and entry[0].get("name")]
    made: dict[str, list[str]] = {"border_officer": [], "analyst": []}
    for role in made:
        for n in range(clients):
            username = f"{role[:3]}{n}"
            with transaction(node.engine) as session:
                new = users.create_user(session, operator, username=username, role=role)
            with transaction(node.engine) as session:  # a token works once the one-time password is replaced
                user = users.find_user(session, username)
                actor = user_actor(user, node.agency_code)
                users.change_password(session, actor, current=new.one_time_password, new=PASSWORD)
            with transaction(node.engine) as session:
                made[role].append(
                    tokens.create_token(session, operator, username=username, name="load", scopes=None, days=1).secret
                )
    with transaction(node.engine) as session:
        new = users.create_user(session, operator, username="signer", role="border_officer")
    with transaction(node.engine) as session:
        user = users.find_user(session, "signer")
        users.change_password(session, user_actor(user, node.agency_code), current=new.one_time_password, new=PASSWORD)
    node.engine.dispose()
    return {"names": names, "officers": made["border_officer"], "analysts": made["analyst"]}


class Server:
    """``palermo serve`` in a subprocess, ready when ``/readyz`` answers 200."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [PALERMO, "serve", "--port", str(self.port), "--workers", str(workers)]
        with log.open("ab") as sink:  # the server's own messages (tracebacks of 500s) are kept for reading
            self.process = subprocess.Popen(command, env=env, stdout=sink, stderr=sink)
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{self.base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not become ready")
            time.sleep(0.1)

    def rss_mib(self) -> float:
        try:
            parent = psutil.Process(self.process.pid)
            every = [parent, *parent.children(recursive=True)]
            return sum(p.memory_info().rss for p in every) / 2**20
        except psutil.Error:
            return 0.0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


def one_request(client: httpx.Client, kind: str, world: dict[str, Any], rng: random.Random, n: int) -> int:
    headers = {"X-Palermo-Justification": JUSTIFICATION}
    if kind == "screening":
        name = rng.choice(world["names"]) if rng.random() < 0.5 else f"Traveller {n % 997}"
        body = {"names": [name], "birth_date": str(1960 + n % 45), "border_point": "ITMXP"}
        return client.post("/api/v1/screenings", json=body, headers=headers).status_code
    if kind == "person_search":
        name = rng.choice(world["names"]).split()[-1][:4]
        return client.get("/api/v1/persons", params={"name": name, "limit": 20}, headers=headers).status_code
    if kind == "document_check":
        return client.post("/api/v1/documents/check", json={"mrz": SPECIMEN_TD3}, headers=headers).status_code
    answer = httpx.post(f"{client.base_url}/api/v1/auth/login", json={"username": "signer", "password": PASSWORD})
    return answer.status_code


def run_level(server: Server, world: dict[str, Any], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads for ``seconds``: every latency and status per kind."""
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    broken: Counter[str] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    peak = [server.rss_mib()]
    kinds = [k for k, weight in MIX for _ in range(weight)]

    def client_loop(index: int) -> None:
        rng = random.Random(index)
        officer = httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {world['officers'][index]}"})
        analyst = httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {world['analysts'][index]}"})
        n = 0
        while time.monotonic() < stop_at:
            kind = rng.choice(kinds)
            started = time.perf_counter()
            try:
                status = one_request(analyst if kind == "person_search" else officer, kind, world, rng, n)
            except httpx.HTTPError:
                with lock:
                    broken[kind] += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies[kind].append(elapsed)
                statuses[kind][status] += 1
            n += 1
        officer.close()
        analyst.close()

    def watch_memory() -> None:
        while time.monotonic() < stop_at:
            peak[0] = max(peak[0], server.rss_mib())
            time.sleep(0.5)

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    watcher = threading.Thread(target=watch_memory)
    began = time.perf_counter()
    for thread in [*threads, watcher]:
        thread.start()
    for thread in [*threads, watcher]:
        thread.join()
    wall = time.perf_counter() - began
    return summarise(latencies, statuses, broken, wall, clients, peak[0])


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1) if ordered else 0.0


def summarise(
    latencies: dict[str, list[float]],
    statuses: dict[str, Counter[int]],
    broken: Counter[str],
    wall: float,
    clients: int,
    peak_rss: float,
) -> dict[str, Any]:
    expected = {"screening": {200}, "person_search": {200}, "document_check": {200}, "sign_in": {200}}
    per_kind = {}
    for kind, values in sorted(latencies.items()):
        counts = statuses[kind]
        per_kind[kind] = {
            "requests": len(values),
            "per_s": round(len(values) / wall, 1),
            "p50_ms": _ms(values, 0.50),
            "p95_ms": _ms(values, 0.95),
            "p99_ms": _ms(values, 0.99),
            "errors_5xx": sum(c for s, c in counts.items() if s >= 500) + broken[kind],
            "unexpected_status": {str(s): c for s, c in counts.items() if s < 500 and s not in expected[kind]},
        }
    every = [v for values in latencies.values() for v in values]
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(every),
        "per_s": round(len(every) / wall, 1),
        "p50_ms": _ms(every, 0.50),
        "p95_ms": _ms(every, 0.95),
        "errors_5xx": sum(k["errors_5xx"] for k in per_kind.values()),
        "server_peak_rss_mib": round(peak_rss, 1),
        "kinds": per_kind,
    }


def soak(server: Server, world: dict[str, Any], seconds: float, rate: float) -> dict[str, Any]:
    """Open loop: ``rate`` screenings per second for ``seconds`` (a pool of 16 senders), RSS every 10 s."""
    samples: list[tuple[float, float]] = []
    errors = Counter[str]()
    latencies: list[float] = []
    lock = threading.Lock()
    began = time.monotonic()
    interval = 16 / rate

    def sender(index: int) -> None:
        rng = random.Random(index)
        client = httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {world['officers'][index]}"})
        next_at = began + index * interval / 16
        n = 0
        while next_at < began + seconds:
            time.sleep(max(0.0, next_at - time.monotonic()))
            started = time.perf_counter()
            try:
                status = one_request(client, "screening", world, rng, n)
            except httpx.HTTPError:
                status = 599
            with lock:
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    errors[str(status)] += 1
            next_at += interval
            n += 1
        client.close()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        samples.append((round(time.monotonic() - began, 1), round(server.rss_mib(), 1)))
        time.sleep(10)
    rss = [r for _, r in samples]
    return {
        "seconds": seconds,
        "rate_per_s": rate,
        "requests": len(latencies),
        "p50_ms": _ms(latencies, 0.5),
        "p95_ms": _ms(latencies, 0.95),
        "errors": dict(errors),
        "rss_first_last_max_mib": [rss[0], rss[-1], max(rss)] if rss else [],
        "rss_samples": samples,
    }


def bench_backend(
    name: str, database_url: str | None, work: Path, args: argparse.Namespace, measure: Callable[..., Any]
) -> dict[str, Any]:
    home = work / name
    settings = Settings(home=home, database_url=database_url, agency="load")
    world = build_node(settings, max(args.clients, 16))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PALERMO_")}
    env |= {"PALERMO_HOME": str(home), "PALERMO_AGENCY": "load", "PALERMO_COOKIE_SECURE": "false"}
    if database_url:
        env["PALERMO_DATABASE_URL"] = database_url
    server = Server(env, args.workers, work / f"{name}-server.log")
    try:
        return measure(server, world)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--soak", type=float, default=0, help="seconds of open-loop screening (0: no soak)")
    parser.add_argument("--rate", type=float, default=100, help="soak request rate per second")
    args = parser.parse_args()
    backends = args.backends.split(",")
    work = Path(tempfile.mkdtemp(prefix="palermo-load-"))

    def levels(server: Server, world: dict[str, Any]) -> dict[str, Any]:
        if args.soak:
            return soak(server, world, args.soak, args.rate)
        single = run_level(server, world, 1, args.seconds)
        many = run_level(server, world, args.clients, args.seconds)
        screening = many["kinds"].get("screening", {})
        return {"one_client": single, "concurrent": many, "screenings_per_s": screening.get("per_s", 0.0)}

    result: dict[str, Any] = {
        "benchmark": "load-soak" if args.soak else "load",
        "machine": machine(),
        "inputs": {k: getattr(args, k) for k in ("clients", "seconds", "workers", "soak", "rate")},
        "targets": {
            "errors_at_50_clients": 0,
            "screenings_per_s": {"postgresql": 300, "sqlite": 150},
            "screening_p95_ms": 50,
        },
    }
    try:
        if "sqlite" in backends:
            result["sqlite"] = bench_backend("sqlite", None, work, args, levels)
        if "postgresql" in backends:
            with running_cluster() as server_url:
                admin = sqlalchemy.create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(sqlalchemy.text("CREATE DATABASE load"))
                admin.dispose()
                result["postgresql"] = bench_backend("pg", f"{server_url}/load", work, args, levels)
        result["load_average_after"] = os.getloadavg()
        for log in sorted(work.glob("*-server.log")):
            errors = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line]
            result[f"{log.stem}_error_lines"] = errors[:20]
        write_result("load-soak" if args.soak else "load", result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
