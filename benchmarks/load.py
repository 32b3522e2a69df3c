"""Load benchmark: the HTTP server under N concurrent clients, on SQLite and PostgreSQL, beside 1 client.

A node is built from the tiny synthetic world (``run_demo``: persons, documents, watchlists, alerts), then served by
``palermo serve`` (uvicorn, ``--workers``) on loopback. Each client (a booth) has its own keep-alive connection and
tokens and sends a mix: screenings (75%), person searches (15%) and document checks (10%); sign-ins run beside the
mix at a fixed rate (``--sign-in-rate``, 1/s: an officer signs in once a shift, and each sign-in costs a memory-hard
password hash by design, so a share of the mix would measure the hash, not the node). Three levels per store:

- ``one_client``: one booth back to back (the baseline latencies);
- ``capacity``: ``--clients`` booths back to back: the most the node answers per second (closed loop: latency here
  is the queue, clients/throughput);
- ``at_target``: ``--clients`` booths paced (Poisson arrivals) so that screenings are offered at the target rate
  (150/s SQLite, 300/s PostgreSQL): the latency a traveller sees at that load, counted from when each request was
  due, so a slow server cannot hide its queue by slowing the load;
- ``sustained``: the same booths paced at 70% of the capacity just measured: the latency at a load the node holds.

Reported per level and kind: requests, throughput, p50/p95/p99 latency, errors (5xx or a broken connection; other
unexpected statuses counted apart), the server's peak RSS and CPU seconds (all its processes), and the load
generator's own CPU seconds (it shares the machine's two cores with the server). The client is aiohttp on one
asyncio loop: a thread per client with a heavier client took a third of a core at 70 requests/s.

    python benchmarks/load.py [--clients 50] [--seconds 20] [--workers 2] [--backends sqlite,postgresql]
    python benchmarks/load.py --soak 600 --rate 100     # paced at 100 requests/s, RSS sampled every 10 s

Prints JSON and writes ``benchmarks/results/load.json`` (``load-soak.json`` for a soak).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import psutil
import sqlalchemy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.postgres import create_database, running_cluster

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
JUSTIFIED = {"X-Palermo-Justification": JUSTIFICATION}
MIX = (("screening", 75), ("person_search", 15), ("document_check", 10))
SCREENING_SHARE = 0.75
TARGETS = {"sqlite": 150, "postgresql": 300}  # screenings per second, with p95 <= 50 ms
SUSTAINED_SHARE = 0.7  # the sustained level offers this share of the capacity just measured


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

    def cpu_seconds(self) -> float:
        try:
            parent = psutil.Process(self.process.pid)
            return sum(sum(p.cpu_times()[:2]) for p in [parent, *parent.children(recursive=True)])
        except psutil.Error:
            return 0.0

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


Latencies = dict[str, list[float]]


class Tally:
    """Latencies and outcomes per kind of request, for one level."""

    def __init__(self) -> None:
        self.latencies: Latencies = defaultdict(list)
        self.service: Latencies = defaultdict(list)
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        self.broken: Counter[str] = Counter()

    def add(self, kind: str, status: int | None, latency: float, service: float) -> None:
        if status is None:
            self.broken[kind] += 1
            return
        self.latencies[kind].append(latency)
        self.service[kind].append(service)
        self.statuses[kind][status] += 1


class Booth:
    """One client: its own keep-alive connection and tokens, sending the mix (screenings with made-up travellers)."""

    def __init__(self, base: str, world: dict[str, Any], index: int) -> None:
        self.http = aiohttp.ClientSession(base, connector=aiohttp.TCPConnector(limit=1))
        self.world = world
        self.officer = {"Authorization": f"Bearer {world['officers'][index]}", **JUSTIFIED}
        self.analyst = {"Authorization": f"Bearer {world['analysts'][index]}", **JUSTIFIED}
        self.rng = random.Random(index)
        self.n = 0

    async def send(self, kind: str) -> int | None:
        """One request of ``kind``: its status, or ``None`` when the connection broke."""
        rng, world, self.n = self.rng, self.world, self.n + 1
        try:
            if kind == "screening":
                name = rng.choice(world["names"]) if rng.random() < 0.5 else f"Traveller {self.n % 997}"
                body = {"names": [name], "birth_date": str(1960 + self.n % 45), "border_point": "ITMXP"}
                answer = self.http.post("/api/v1/screenings", json=body, headers=self.officer)
            elif kind == "person_search":
                params = {"name": rng.choice(world["names"]).split()[-1][:4], "limit": "20"}
                answer = self.http.get("/api/v1/persons", params=params, headers=self.analyst)
            elif kind == "document_check":
                answer = self.http.post("/api/v1/documents/check", json={"mrz": SPECIMEN_TD3}, headers=self.officer)
            else:
                body = {"username": "signer", "password": PASSWORD}
                answer = self.http.post("/api/v1/auth/login", json=body)
            async with answer as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return None

    async def close(self) -> None:
        await self.http.close()


async def drive(
    server: Server,
    world: dict[str, Any],
    clients: int,
    seconds: float,
    rate: float | None,
    sign_in_rate: float,
    on_tick: Callable[[float], None] | None = None,
) -> tuple[Tally, float]:
    """``clients`` booths for ``seconds``: back to back (``rate`` None) or at ``rate`` requests/s in all.

    Paced booths send at Poisson arrival times; a booth whose answer comes late sends its next request at once, and
    that request's latency counts from when it was due (what the traveller waits), so a slow server cannot hide
    its queue by slowing the load (coordinated omission). Sign-ins run beside the mix at ``sign_in_rate``.
    """
    tally = Tally()
    kinds = [k for k, weight in MIX for _ in range(weight)]
    booths = [Booth(server.base, world, i) for i in range(clients)]
    loop = asyncio.get_running_loop()
    began = loop.time()
    stop_at = began + seconds

    async def booth_loop(booth: Booth) -> None:
        due = began + (booth.rng.expovariate(rate / clients) if rate else 0.0)
        while due < stop_at:
            if rate:
                await asyncio.sleep(max(0.0, due - loop.time()))
            kind = booth.rng.choice(kinds)
            started = loop.time()
            status = await booth.send(kind)
            finished = loop.time()
            tally.add(kind, status, finished - (due if rate else started), finished - started)
            due = due + booth.rng.expovariate(rate / clients) if rate else finished

    async def sign_ins() -> None:
        booth = Booth(server.base, world, 0)
        due = began
        while due < stop_at and sign_in_rate > 0:
            await asyncio.sleep(max(0.0, due - loop.time()))
            started = loop.time()
            status = await booth.send("sign_in")
            tally.add("sign_in", status, loop.time() - due, loop.time() - started)
            due += 1 / sign_in_rate
        await booth.close()

    async def ticks() -> None:
        while loop.time() < stop_at:
            if on_tick:
                on_tick(loop.time() - began)
            await asyncio.sleep(0.5)

    await asyncio.gather(*(booth_loop(b) for b in booths), sign_ins(), ticks())
    wall = loop.time() - began
    for booth in booths:
        await booth.close()
    return tally, wall


def run_level(
    server: Server, world: dict[str, Any], clients: int, seconds: float, rate: float | None, sign_in_rate: float
) -> dict[str, Any]:
    """One level: every kind's latencies and errors, the server's peak RSS and the load generator's CPU."""
    peak = [server.rss_mib()]

    def sample(_elapsed: float) -> None:
        peak[0] = max(peak[0], server.rss_mib())

    me = psutil.Process()
    cpu_before = sum(me.cpu_times()[:2])
    server_before = server.cpu_seconds()
    tally, wall = asyncio.run(drive(server, world, clients, seconds, rate, sign_in_rate, sample))
    summary = summarise(tally, wall, clients, peak[0])
    summary["offered_per_s"] = rate
    summary["load_generator_cpu_s"] = round(sum(me.cpu_times()[:2]) - cpu_before, 1)
    summary["server_cpu_s"] = round(server.cpu_seconds() - server_before, 1)
    return summary


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1) if ordered else 0.0


def summarise(tally: Tally, wall: float, clients: int, peak_rss: float) -> dict[str, Any]:
    per_kind = {}
    for kind, values in sorted(tally.latencies.items()):
        counts = tally.statuses[kind]
        per_kind[kind] = {
            "requests": len(values),
            "per_s": round(len(values) / wall, 1),
            "p50_ms": _ms(values, 0.50),
            "p95_ms": _ms(values, 0.95),
            "p99_ms": _ms(values, 0.99),
            "service_p95_ms": _ms(tally.service[kind], 0.95),
            "errors_5xx": sum(c for s, c in counts.items() if s >= 500) + tally.broken[kind],
            "unexpected_status": {str(s): c for s, c in counts.items() if s < 500 and s != 200},
        }
    every = [v for kind, values in tally.latencies.items() if kind != "sign_in" for v in values]
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": sum(len(v) for v in tally.latencies.values()),
        "per_s": round(len(every) / wall, 1),
        "p50_ms": _ms(every, 0.50),
        "p95_ms": _ms(every, 0.95),
        "errors_5xx": sum(k["errors_5xx"] for k in per_kind.values()),
        "server_peak_rss_mib": round(peak_rss, 1),
        "kinds": per_kind,
    }


def soak(server: Server, world: dict[str, Any], clients: int, seconds: float, rate: float) -> dict[str, Any]:
    """Paced at ``rate`` requests/s for ``seconds`` (the same mix), the server's RSS every 10 s."""
    samples: list[tuple[float, float]] = []

    def sample(elapsed: float) -> None:
        if not samples or elapsed - samples[-1][0] >= 10:
            samples.append((round(elapsed, 1), round(server.rss_mib(), 1)))

    tally, wall = asyncio.run(drive(server, world, clients, seconds, rate, 0.2, sample))
    rss = [r for _, r in samples]
    return {
        **summarise(tally, wall, clients, max(rss, default=0.0)),
        "rate_per_s": rate,
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
        return measure(server, world, TARGETS["postgresql" if database_url else "sqlite"])
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sign-in-rate", type=float, default=1.0, help="sign-ins per second beside the mix")
    parser.add_argument("--soak", type=float, default=0, help="seconds of paced load (0: no soak)")
    parser.add_argument("--rate", type=float, default=100, help="soak request rate per second")
    args = parser.parse_args()
    backends = args.backends.split(",")
    work = Path(tempfile.mkdtemp(prefix="palermo-load-"))

    def levels(server: Server, world: dict[str, Any], target: float) -> dict[str, Any]:
        if args.soak:
            return soak(server, world, args.clients, args.soak, args.rate)
        single = run_level(server, world, 1, args.seconds, None, args.sign_in_rate)
        capacity = run_level(server, world, args.clients, args.seconds, None, args.sign_in_rate)
        paced = run_level(server, world, args.clients, args.seconds, target / SCREENING_SHARE, args.sign_in_rate)
        held = SUSTAINED_SHARE * capacity["per_s"]
        sustained = run_level(server, world, args.clients, args.seconds, held, args.sign_in_rate)
        screening = paced["kinds"].get("screening", {})
        return {
            "one_client": single,
            "capacity": capacity,
            "at_target": paced,
            "sustained": sustained,
            "sustained_screenings_per_s": sustained["kinds"].get("screening", {}).get("per_s", 0.0),
            "sustained_screening_p95_ms": sustained["kinds"].get("screening", {}).get("p95_ms"),
            "target_screenings_per_s": target,
            "capacity_screenings_per_s": capacity["kinds"].get("screening", {}).get("per_s", 0.0),
            "at_target_screening_p95_ms": screening.get("p95_ms"),
            "one_client_screening_p95_ms": single["kinds"].get("screening", {}).get("p95_ms"),
        }

    result: dict[str, Any] = {
        "benchmark": "load-soak" if args.soak else "load",
        "machine": machine(),
        "inputs": {k: getattr(args, k) for k in ("clients", "seconds", "workers", "sign_in_rate", "soak", "rate")},
        "mix": dict(MIX),
        "targets": {"errors_at_50_clients": 0, "screenings_per_s": TARGETS, "screening_p95_ms": 50},
    }
    try:
        if "sqlite" in backends:
            result["sqlite"] = bench_backend("sqlite", None, work, args, levels)
        if "postgresql" in backends:
            with running_cluster() as server_url:
                result["postgresql"] = bench_backend("pg", create_database(server_url, "load"), work, args, levels)
        result["load_average_after"] = os.getloadavg()
        for log in sorted(work.glob("*-server.log")):
            errors = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line]
            result[f"{log.stem}_error_lines"] = errors[:20]
        write_result("load-soak" if args.soak else "load", result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
