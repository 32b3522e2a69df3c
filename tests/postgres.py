"""A throwaway PostgreSQL cluster for the test process: initdb into a temp folder, a free port, torn down after.

``initdb`` refuses to run as root, so under root (CI) the cluster belongs to the ``postgres`` user and the server
commands run through ``runuser``.

Under pytest-xdist every worker process starts its own cluster (lazily, on its first PostgreSQL test). A watchdog
process, in a session of its own, holds the read end of a pipe whose write end only the owning process holds: when
the owner ends in any way (a normal exit, an exception, SIGKILL of a crashed xdist worker), the pipe reaches EOF and
the watchdog stops the cluster and removes its folder. Nothing is left running or on disk.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

# Runs in the watchdog: wait for EOF on stdin (the owner is gone or done), then stop the cluster, remove the folder.
_WATCHDOG = """
import shutil, subprocess, sys
sys.stdin.buffer.read()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
shutil.rmtree(sys.argv[1], ignore_errors=True)
"""


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(
            f"PostgreSQL server binary {name!r} not found; install Debian's postgresql package "
            "(`make test` does it through scripts/system-deps.sh)"
        )
    return found[-1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _start(data: Path, folder: Path) -> int:
    """Start the server on a free port; a port taken between probing and binding is retried with another."""
    for _attempt in range(5):
        port = _free_port()
        options = (
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
        )
        started = subprocess.run(
            _as_postgres(
                [_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "-t", "120", "start"]
            ),
            capture_output=True,
        )
        if started.returncode == 0:
            return port
    log = (folder / "log").read_text(errors="replace")[-2000:] if (folder / "log").exists() else ""
    raise RuntimeError(f"the throwaway PostgreSQL cluster did not start: {started.stderr!r}\n{log}")


@contextmanager
def running_cluster() -> Iterator[str]:
    """Yield the server URL prefix ``postgresql+psycopg://postgres@127.0.0.1:PORT``."""
    folder = Path(tempfile.mkdtemp(prefix="palermo-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    stop = _as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
    watchdog = subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(folder), *stop],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # survives a signal to the owner's process group
    )
    try:
        subprocess.run(
            _as_postgres([_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]),
            check=True,
            capture_output=True,
        )
        port = _start(data, folder)
        deadline = time.monotonic() + 120  # a bound for a busy machine, not a measurement
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        assert watchdog.stdin is not None
        watchdog.stdin.close()  # the watchdog stops the cluster and removes the folder
        watchdog.wait(timeout=120)


def create_database(server: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` on the cluster at ``server`` (a copy of ``template`` if given); its URL."""
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    finally:
        admin.dispose()
    return f"{server}/{name}"
