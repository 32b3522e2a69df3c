"""Export and import of persons between two nodes, in process: the time, and the SQL statements each one runs.

Target (issue 21, item 6): 1,000 persons exported (selected under the handling rules, signed as their originator,
hop added, sealed, logged) and imported (opened, every item's signatures and terms checked, stored with provenance,
logged, receipted) in at most 1 s each. Two SQLite nodes in a temporary folder; each person has a primary name and
an alias, a nationality and a passport. Export runs ``share_records(..., queue=False)``; import runs ``receive`` on a
fresh copy of the receiving store each time (a first import, not a duplicate). The machine is shared: every figure
is the median of ``--runs`` runs, with the spread and the load average beside it.

Wall seconds are quoted with the CPU seconds of the process beside them: at a load average of 8 to 12 on two cores
most of the wall time is waiting for a core. The peer is the floor of any export and import of the same data: the
persons read with three queries and written to JSON, and the same rows inserted with executemany (no checks, no
signatures, no provenance rules).

    python benchmarks/sharing.py [--persons 1000] [--runs 5] [--name sharing] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine, write_result  # noqa: E402
from sqlalchemy import Engine, event, select  # noqa: E402

from palermo.auth.actor import cli_actor  # noqa: E402
from palermo.auth.justification import Justification  # noqa: E402
from palermo.db.engine import transaction  # noqa: E402
from palermo.db.persons import IdentityDocument, PersonName, PersonNationality, PersonRecord  # noqa: E402
from palermo.db.reference import Agency, Source  # noqa: E402
from palermo.node import Node, init_node, open_node  # noqa: E402
from palermo.settings import Settings  # noqa: E402
from palermo.sharing import partners  # noqa: E402
from palermo.sharing.inbox import receive  # noqa: E402
from palermo.sharing.keys import node_keys  # noqa: E402
from palermo.sharing.outgoing import share_records  # noqa: E402

GIVEN = ["Elena", "Maria", "Ana", "Ioana", "Andrei", "Mihai", "Olena", "Iryna", "Amina", "Chidi", "Ngozi", "Luca"]
SURNAMES = ["Popescu", "Ionescu", "Stan", "Dumitru", "Kovalenko", "Shevchenko", "Okafor", "Nwosu", "Rossi", "Bianchi"]
COUNTRIES = ["ROU", "UKR", "NGA", "ITA", "AUT", "MDA"]


def _provenance(source_id: int, key: str, rng: random.Random) -> dict[str, Any]:
    return {
        "source_id": source_id,
        "source_key": key,
        "originator": "at-bk",
        "handling": rng.choice(["H0", "H0", "H1"]),
        "distribution": "partners",
        "source_reliability": "B",
        "information_credibility": "2",
        "sensitivity": "ordinary",
        "row_hash": "x" * 32,
    }


def add_persons(node: Node, count: int, seed: int = 21) -> list[int]:
    """``count`` persons of this node's own agency, each with two names, a nationality and a passport."""
    rng = random.Random(seed)
    with transaction(node.engine) as session:
        agency = session.scalars(select(Agency).where(Agency.code == node.agency_code)).one()
        source = Source(name="border-records", agency_id=agency.id)
        session.add(source)
        session.flush()
        ids = []
        for n in range(count):
            given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
            row = PersonRecord(
                birth_date=f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                birth_date_precision="day",
                sex=rng.choice("MF"),
                **_provenance(source.id, f"p{n}", rng),
            )
            row.names = [
                PersonName(
                    position=0, kind="primary", full_name=f"{given} {surname}", given_names=given, surname=surname
                ),
                PersonName(position=1, kind="alias", full_name=f"{given} {surname}escu"),
            ]
            row.nationalities = [PersonNationality(position=0, country=rng.choice(COUNTRIES))]
            session.add(row)
            session.flush()
            number = f"X{rng.randint(10**7, 10**8 - 1)}"
            session.add(
                IdentityDocument(
                    person_id=row.id,
                    document_type="passport",
                    number=number,
                    number_normalised=number,
                    issuing_state=row.nationalities[0].country,
                    **_provenance(source.id, f"d{n}", rng),
                )
            )
            ids.append(row.id)
    return ids


def pair(folder: Path) -> tuple[Node, Node]:
    """Nodes at-bk and ro-igpr on SQLite, each registered at the other (no URL: bundles travel as files here)."""
    nodes = []
    for agency in ("at-bk", "ro-igpr"):
        settings = Settings(home=folder / agency, database_url=f"sqlite:///{folder / agency}.db", agency=agency)
        nodes.append(init_node(settings))
        node_keys(nodes[-1].home)
    for here, there in ((nodes[0], nodes[1]), (nodes[1], nodes[0])):
        public = node_keys(there.home).public
        with transaction(here.engine) as session:
            partners.add_partner(
                session,
                cli_actor("cli:bench", here.agency_code),
                name=there.agency_code,
                agency_code=there.agency_code,
                country="AUT" if there.agency_code == "at-bk" else "ROU",
                signing_key=public.signing_key,
                encryption_key=public.encryption_key,
            )
    return nodes[0], nodes[1]


@contextmanager
def counted(engine: Engine) -> Iterator[list[int]]:
    """The SQL statements run on ``engine`` inside the block (one count in the list)."""
    seen = [0]

    def count(*_args: Any) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def timed(runs: int, once: Callable[[Any], int], setup: Callable[[], Any] = lambda: None) -> dict[str, Any]:
    """Median, min and max wall seconds of ``runs`` runs of ``once`` (given what ``setup``, untimed, returned; it
    returns its statement count), and the median CPU seconds of the process (on a busy machine, wall time is mostly
    waiting for a core)."""
    seconds, cpu, statements = [], [], []
    for _ in range(runs):
        prepared = setup()
        started, started_cpu = time.perf_counter(), time.process_time()
        statements.append(once(prepared))
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {
        "median_s": round(statistics.median(seconds), 3),
        "min_s": round(min(seconds), 3),
        "max_s": round(max(seconds), 3),
        "median_cpu_s": round(statistics.median(cpu), 3),
        "runs": runs,
        "statements": statements[-1],
    }


def measure(persons: int, runs: int, folder: Path) -> dict[str, Any]:
    sender, receiver = pair(folder)
    refs = [("person", i) for i in add_persons(sender, persons)]
    actor = cli_actor("cli:bench", sender.agency_code, Justification("case", "JIT-2026-0042"))
    tokens: list[str] = []

    def export(_: None) -> int:
        with counted(sender.engine) as seen, transaction(sender.engine) as session:
            result = share_records(session, sender, actor, "ro-igpr", refs, queue=False)
        assert result.sent == persons, result.refused[:3]
        tokens.append(result.token)
        return seen[0]

    template = folder / "ro-igpr.db"
    receiver.engine.dispose()

    def fresh_receiver() -> Node:
        copy = folder / "ro-igpr-run.db"
        for stale in folder.glob("ro-igpr-run.db*"):
            stale.unlink()
        shutil.copyfile(template, copy)
        run = open_node(Settings(home=receiver.home, database_url=f"sqlite:///{copy}", agency="ro-igpr"))
        with transaction(run.engine) as session:  # connected, as a serving node is
            session.execute(select(1))
        return run

    def import_(run: Node) -> int:
        try:
            with counted(run.engine) as seen, transaction(run.engine) as session:
                report = receive(session, run, tokens[-1], transport="file", actor="cli:bench")
            assert (report.imported, report.refused) == (persons, []), report.refused[:3]
            return seen[0]
        finally:
            run.engine.dispose()

    exported = timed(runs, export)
    imported = timed(runs, import_, fresh_receiver)
    return {
        "export": exported,
        "import": imported,
        "bundle_bytes": len(tokens[-1]),
        "peer": peer(sender, persons, runs, folder),
    }


def peer(sender: Node, persons: int, runs: int, folder: Path) -> dict[str, Any]:
    """The floor: the same persons read in three queries and written to JSON; the rows inserted with executemany."""
    rows: list[dict[str, Any]] = []

    def read(_: None) -> int:
        with transaction(sender.engine) as session:
            names = session.execute(select(PersonName.person_id, PersonName.full_name)).all()
            documents = session.execute(select(IdentityDocument.person_id, IdentityDocument.number)).all()
            people = session.execute(select(PersonRecord.id, PersonRecord.birth_date, PersonRecord.sex)).all()
        by_person: dict[int, dict[str, Any]] = {
            p: {"birth": b, "sex": s, "names": [], "docs": []} for p, b, s in people
        }
        for p, name in names:
            by_person[p]["names"].append(name)
        for p, number in documents:
            by_person[p]["docs"].append(number)
        rows[:] = [{"id": p, **v} for p, v in by_person.items()]
        json.dumps(rows)
        return 3

    def write(_: None) -> int:
        database = folder / "peer.db"
        database.unlink(missing_ok=True)
        import sqlite3

        with sqlite3.connect(database) as conn:
            conn.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, birth TEXT, sex TEXT, doc TEXT)")
            conn.execute("CREATE TABLE names (person INTEGER, name TEXT)")
            conn.executemany(
                "INSERT INTO people VALUES (?, ?, ?, ?)",
                [(r["id"], r["birth"], r["sex"], r["docs"][0] if r["docs"] else None) for r in rows],
            )
            conn.executemany("INSERT INTO names VALUES (?, ?)", [(r["id"], n) for r in rows for n in r["names"]])
        return 2

    return {"read_and_json": timed(runs, read), "executemany_insert": timed(runs, write)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--name", default="sharing", help="result file name (benchmarks/results/NAME.json)")
    parser.add_argument("--quick", action="store_true", help="200 persons, 3 runs, into NAME-quick.json")
    args = parser.parse_args()
    if args.quick:
        args.persons, args.runs, args.name = 200, 3, f"{args.name}-quick"
    with tempfile.TemporaryDirectory(prefix="palermo-bench-sharing-") as folder:
        figures = measure(args.persons, args.runs, Path(folder))
    floor = figures["peer"]
    result = {
        "benchmark": "sharing",
        "machine": machine(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "store": "sqlite",
        "persons": args.persons,
        **figures,
        "ratio_export_to_peer": round(figures["export"]["median_s"] / max(floor["read_and_json"]["median_s"], 1e-6), 1),
        "ratio_import_to_peer": round(
            figures["import"]["median_s"] / max(floor["executemany_insert"]["median_s"], 1e-6), 1
        ),
        "target_s": 1.0,
    }
    write_result(args.name, result)


if __name__ == "__main__":
    main()
