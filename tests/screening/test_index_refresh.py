"""The saved candidate index follows the store's committed entries: never a rolled-back load, never a lost update
when several processes or threads refresh it at once, never half of one save and half of another (both stores)."""

import pickle
import threading
from pathlib import Path

import numpy as np
import pytest

from palermo.db.engine import transaction
from palermo.errors import NotFound
from palermo.node import Node
from palermo.screening.candidate_index import index_folder, load_index, save_index
from palermo.screening.candidate_index.index import CandidateIndex, IndexEntry
from palermo.screening.candidate_index.node_cache import forget, refresh_index, resources_for
from palermo.screening.watchlists import load_watchlist
from tests.factories import justified_operator, load, write_list

ROWS = [
    "S-1,Александр Иванов,Sasha Ivanov,1975-03-14,RUS,M,7512345678,suspect,smuggling network",
    "S-2,Mohammed Al-Hassan,,1980,SYR,M,,wanted,warrant 2024/17",
]


def _rows(prefix: str) -> list[str]:
    return [f"{prefix}-{n},Person{prefix} Number{n},,1980,SYR,M,,suspect,test" for n in range(3)]


def test_a_rolled_back_load_never_reaches_the_index(node: Node, tmp_path: Path) -> None:
    load(node, write_list(tmp_path, ROWS))
    before = len(load_index(index_folder(node.home)))
    path = write_list(tmp_path, _rows("R"), name="second.csv")

    def load_then_fail() -> None:
        with transaction(node.engine) as session:
            report = load_watchlist(
                session, justified_operator(node), path, name="second", agency_code=node.agency_code, list_category=None
            )
            refresh_index(session, node.home, report.changed, report.removed)
            assert len(report.changed) == 3
            raise RuntimeError("the operator's transaction fails after the load")

    with pytest.raises(RuntimeError, match="fails after the load"):
        load_then_fail()
    index = load_index(index_folder(node.home))
    assert len(index) == before == 2
    assert index.search(["PersonR Number1"]) == []


def test_refreshes_at_once_from_several_threads_lose_nothing(node: Node, tmp_path: Path) -> None:
    load(node, write_list(tmp_path, ROWS))
    lists = [write_list(tmp_path, _rows(p), name=f"{p}.csv") for p in "ABCD"]
    start = threading.Barrier(len(lists))
    failures: list[BaseException] = []

    def load_one(path: Path) -> None:
        try:
            start.wait()
            with transaction(node.engine) as session:
                report = load_watchlist(
                    session, justified_operator(node), path, name=path.stem, agency_code=node.agency_code
                )
                refresh_index(session, node.home, report.changed, report.removed)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=load_one, args=(path,)) for path in lists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    forget(node.home)
    index = load_index(index_folder(node.home))
    assert len(index) == 2 + 3 * len(lists)
    for prefix in "ABCD":
        assert index.search([f"Person{prefix} Number2"]), f"list {prefix} is missing from the index"


def _index_of(size: int, tag: str) -> CandidateIndex:
    index = CandidateIndex()
    for n in range(size):
        index.add(IndexEntry(entry_id=n + 1, names=[f"{tag} Surname{n}"]))
    return index


def test_a_reader_sees_one_whole_index_while_another_saves(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    small, large = _index_of(5, "Small"), _index_of(400, "Large")
    save_index(small, folder)
    done = threading.Event()

    def keep_saving() -> None:
        while not done.is_set():
            save_index(large, folder)
            save_index(small, folder)

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        for _ in range(60):
            index = load_index(folder)
            assert len(index) in (5, 400)
            expected = "Small Surname3" if len(index) == 5 else "Large Surname399"
            assert index.search([expected]), "the arrays and the vocabulary came from different saves"
    finally:
        done.set()
        writer.join()
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".saving-")) == []


def test_an_index_built_with_an_earlier_name_analysis_is_rebuilt_from_the_store(node: Node, tmp_path: Path) -> None:
    """Queries are analysed by today's ``prepare_name``; an index whose tokens came from an earlier analysis would
    miss names whose tokens changed (``N?Ym J?Fr``), so it is rebuilt from the store instead of being read."""
    load(node, write_list(tmp_path, [*ROWS, "S-3,N?Ym J?Fr,,1970,SYR,M,,suspect,transliterated"]))
    folder = index_folder(node.home)
    stale = load_index(folder)
    save_index(stale, folder)
    arrays = dict(np.load(folder / "candidates.npz"))
    objects = pickle.loads(arrays["objects"].tobytes())
    del objects["name_analysis"]  # as an index saved before the analysis was versioned
    arrays["objects"] = np.frombuffer(pickle.dumps(objects), dtype=np.uint8)
    np.savez(folder / "candidates.npz", **arrays)
    with pytest.raises(NotFound, match="earlier name analysis"):
        load_index(folder)
    forget(node.home)
    with transaction(node.engine) as session:
        rebuilt = resources_for(node.home, session).index
    assert len(rebuilt) == 3
    assert [c.entry_name for c in rebuilt.search(["Nym Jfr"])][:1] == ["N?Ym J?Fr"]
    assert load_index(folder).search(["Nym Jfr"])[0].score == rebuilt.search(["Nym Jfr"])[0].score
