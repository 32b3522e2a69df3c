"""Start-up benchmark: how long a user waits for the first answer of a new process.

Measured on a fresh node with a 100-entry watchlist (synthetic names), each command a new process as a user runs
it:

- CLI cold calls: ``palermo version``, ``palermo screen`` and ``palermo watchlist load`` (wall, median of runs; and
  the CPU time of the screening process, which a busy machine barely changes);
- the server: seconds from ``palermo serve`` to ``/readyz`` 200; then, after a pause, the first
  ``POST /api/v1/screenings``, 99 more back to back (the hundredth, and the median of all but the first), and
  screenings each after the same pause; several fresh servers, medians over them (one first request is one sample:
  the machine's noise alone moves it by milliseconds). The fair comparison for the first screening is a later one
  after the same pause: a request that follows an idle moment costs more than one in a back-to-back run (caches
  and the waiting worker thread are cold), in the hundredth request of a process as in its first. Each is
  timed twice: by the client (connection, request, answer) and by the server itself (its ``Server-Timing``
  header: from the request reaching the application to the answer starting), which tells the server's first
  screening from the client's and the network's.

The peer is the same process without the machine's name-symbol table (an empty ``PALERMO_CACHE_DIR``), which is
how every process ran before: rigour builds its name tagger on first use. Prints JSON and writes
``benchmarks/results/startup.json``.

    python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from faker import Faker

from common import machine, write_result
from palermo.auth import tokens, users
from palermo.auth.actor import cli_actor, user_actor
from palermo.db.engine import transaction
from palermo.node import open_node
from palermo.settings import Settings

PALERMO = str(Path(sys.executable).with_name("palermo"))
PASSWORD = "benchmark passphrase, synthetic"
JUSTIFICATION = "border_control"
PAUSE_S = 0.5  # before the first screening, and before each of the AFTER_PAUSE screenings at the end
AFTER_PAUSE = 5


def write_watchlist(path: Path, entries: int, seed: int = 16) -> list[str]:
    """``entries`` synthetic suspects in the documented watchlist CSV; returns their names."""
    fake = Faker(["en_GB", "it_IT", "ro_RO", "bg_BG", "ru_RU", "sq_AL", "ar_EG"])
    fake.seed_instance(seed)
    rng = random.Random(seed)
    names = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "aliases", "birth_date", "nationality", "sex", "document_numbers", "category"])
        for n in range(entries):
            name = f"{fake.first_name()} {fake.last_name()}"
            names.append(name)
            birth = f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            writer.writerow([f"WL-{n:05d}", name, "", birth, rng.choice(["ITA", "ROU", "BGR", "ALB"]), "M", "", ""])
    return names


def timed(command: list[str], env: dict[str, str]) -> float:
    return timed_with_cpu(command, env)[0]


def timed_with_cpu(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process: user + system). CPU time barely moves with the machine's load,
    where wall time on a busy 2-core machine doubles: it tells a slower command from a busier machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def median_of(command: list[str], env: dict[str, str], runs: int) -> dict[str, Any]:
    values = [timed_with_cpu(command, env) for _ in range(runs)]
    return {
        "median_s": round(statistics.median(wall for wall, _ in values), 3),
        "median_cpu_s": round(statistics.median(cpu for _, cpu in values), 3),
        "runs_s": [round(wall, 3) for wall, _ in values],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_token(settings: Settings) -> str:
    node = open_node(settings)
    operator = cli_actor("cli:benchmark", node.agency_code)
    with transaction(node.engine) as session:
        new = users.create_user(session, operator, username="booth", role="border_officer")
    with transaction(node.engine) as session:
        user = users.find_user(session, "booth")
        users.change_password(session, user_actor(user, node.agency_code), current=new.one_time_password, new=PASSWORD)
    with transaction(node.engine) as session:
        secret = tokens.create_token(session, operator, username="booth", name="bench", scopes=None, days=1).secret
    node.engine.dispose()
    return secret


def request(url: str, token: str | None = None, body: dict[str, Any] | None = None) -> tuple[int, float, float]:
    """(status, seconds seen by the client, milliseconds the server says it took in its Server-Timing header)."""
    headers = {"Content-Type": "application/json", "X-Palermo-Justification": JUSTIFICATION}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=120) as answer:
            answer.read()
            status, timing = answer.status, answer.headers.get("Server-Timing", "")
    except urllib.error.HTTPError as exc:
        status, timing = exc.code, ""
    seconds = time.perf_counter() - started
    return status, seconds, float(timing.partition(";dur=")[2] or "nan")


def serve_and_screen(env: dict[str, str], token: str, names: list[str], screenings: int) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen(
        [PALERMO, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                status, _, _ = request(f"{base}/readyz")
            except OSError:
                status = 0
            if status == 200:
                break
            if server.poll() is not None or time.perf_counter() - started > 300:
                raise RuntimeError("the server did not become ready")
            time.sleep(0.05)
        ready = time.perf_counter() - started
        time.sleep(PAUSE_S)
        first = [screen(base, token, names, n) for n in range(screenings)]
        after_pause = []
        for n in range(AFTER_PAUSE):
            time.sleep(PAUSE_S)
            after_pause.append(screen(base, token, names, n))
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies, server_ms = [seconds for seconds, _ in first], [ms for _, ms in first]
    return {
        "ready_s": round(ready, 3),
        "first_screening_ms": round(latencies[0] * 1000, 1),
        "hundredth_screening_ms": round(latencies[-1] * 1000, 1),
        "median_after_first_ms": round(statistics.median(latencies[1:]) * 1000, 1),
        "median_after_pause_ms": round(statistics.median(seconds for seconds, _ in after_pause) * 1000, 1),
        "server_first_ms": round(server_ms[0], 2),
        "server_median_after_first_ms": round(statistics.median(server_ms[1:]), 2),
        "server_median_after_pause_ms": round(statistics.median(ms for _, ms in after_pause), 2),
    }


def screen(base: str, token: str, names: list[str], n: int) -> tuple[float, float]:
    """(seconds seen by the client, milliseconds the server took) of one screening."""
    body = {"names": [names[n % len(names)]], "birth_date": "1980"}
    status, seconds, server_ms = request(f"{base}/api/v1/screenings", token, body)
    if status != 200:
        raise RuntimeError(f"screening answered {status}")
    return seconds, server_ms


def server_runs(env: dict[str, str], token: str, names: list[str], runs: int) -> dict[str, Any]:
    """``runs`` fresh servers, 100 screenings each: the medians over runs, and every run."""
    every = [serve_and_screen(env, token, names, 100) for _ in range(runs)]
    medians = {key: round(statistics.median(run[key] for run in every), 3) for key in every[0]}
    medians["first_over_rest"] = round(medians["first_screening_ms"] / medians["median_after_first_ms"], 2)
    medians["first_over_after_pause"] = round(medians["first_screening_ms"] / medians["median_after_pause_ms"], 2)
    medians["server_first_over_rest"] = round(medians["server_first_ms"] / medians["server_median_after_first_ms"], 2)
    medians["server_first_over_after_pause"] = round(
        medians["server_first_ms"] / medians["server_median_after_pause_ms"], 2
    )
    return {"median": medians, "runs": every}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per CLI command (median reported)")
    parser.add_argument("--entries", type=int, default=100, help="watchlist entries")
    parser.add_argument("--server-runs", type=int, default=5, help="server starts per path (medians reported)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="palermo-startup-"))
    try:
        settings = Settings(home=work / "home", agency="bench")
        base = {k: v for k, v in os.environ.items() if not k.startswith("PALERMO_")}
        env = {
            **base,
            "PALERMO_HOME": str(settings.home),
            "PALERMO_AGENCY": "bench",
            "PALERMO_JUSTIFICATION": JUSTIFICATION,
        }
        peer = {**env, "PALERMO_CACHE_DIR": str(work / "empty-cache")}  # no table: rigour's tagger per process
        subprocess.run([PALERMO, "init"], env=env, check=True, capture_output=True)
        listed = work / "watchlist.csv"
        names = write_watchlist(listed, args.entries)
        load = ["watchlist", "load", str(listed), "--name", "suspects", "--category", "suspect"]
        second_home = {**peer, "PALERMO_HOME": str(work / "home-tagger")}  # a fresh node: the load does real work
        subprocess.run([PALERMO, "init"], env=second_home, check=True, capture_output=True)
        token = make_token(settings)
        query = [PALERMO, "screen", "--name", names[0], "--birth-date", "1980"]
        cli = {
            "version": median_of([PALERMO, "version"], env, args.runs),
            "watchlist_load_s": {"table": timed([PALERMO, *load], env), "tagger": timed([PALERMO, *load], second_home)},
            "screen": {
                "table": median_of(query, env, args.runs),
                "tagger": median_of(query, peer, max(2, args.runs // 2)),
            },
        }
        cli["screen"]["ratio_tagger_over_table"] = round(
            cli["screen"]["tagger"]["median_s"] / cli["screen"]["table"]["median_s"], 2
        )
        server = {
            "table": server_runs(env, token, names, args.server_runs),
            "tagger": server_runs(peer, token, names, max(1, args.server_runs // 2)),
        }
        result = {
            "benchmark": "startup",
            "machine": machine(),
            "load_average": os.getloadavg(),
            "inputs": {"watchlist_entries": args.entries, "runs": args.runs},
            "cli": cli,
            "server": server,
            "targets": {"cli_screen_s": 1.5, "server_first_screening": "as fast as the hundredth"},
        }
        write_result("startup", result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
