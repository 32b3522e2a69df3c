"""build_from_store indexes current WatchlistEntry rows and leaves expired ones out (SQLite and PostgreSQL)."""

import datetime as dt
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from palermo.db.reference import Agency, Source
from palermo.db.watchlists import Watchlist, WatchlistEntry
from palermo.node import Node
from palermo.screening.candidate_index import build_from_store, index_folder, load_index, save_index
from palermo.screening.service import entry_facts

TODAY = dt.date(2026, 6, 1)


def _entry(source: Source, watchlist: Watchlist, key: str, names: list[dict[str, Any]], **extra: Any) -> WatchlistEntry:
    return WatchlistEntry(
        watchlist_id=watchlist.id,
        category=watchlist.category,
        names=names,
        source_id=source.id,
        source_key=key,
        originator="test-agency",
        handling="H1",
        distribution="agency",
        source_reliability="B",
        information_credibility="2",
        sensitivity="ordinary",
        row_hash=key.ljust(32, "0"),
        **extra,
    )


def _fill(engine: Engine) -> None:
    with Session(engine) as session:
        agency = Agency(code="wl-agency", name="Watchlist agency")
        session.add(agency)
        session.flush()
        source = Source(name="wl-source", agency_id=agency.id)
        watchlist = Watchlist(name="wanted", category="wanted")
        session.add_all([source, watchlist])
        session.flush()
        session.add_all(
            [
                _entry(
                    source,
                    watchlist,
                    "a",
                    [{"name": "Олена Шевченко", "kind": "primary", "script": "Cyrl"}],
                    birth_date="1980-05",
                    document_numbers=["AB123"],
                ),
                _entry(
                    source,
                    watchlist,
                    "b",
                    [{"full_name": "Ivan Petrenko", "kind": "alias"}],
                    expires_on=TODAY - dt.timedelta(days=1),
                ),
                _entry(source, watchlist, "c", [{"name": "Ivan Petrenkov"}], expires_on=TODAY),
            ]
        )
        session.commit()


def test_build_from_store_excludes_expired_entries(engine: Engine) -> None:
    _fill(engine)
    with Session(engine) as session:
        index = build_from_store(session, today=TODAY)
        ids = {e.source_key: e.id for e in session.query(WatchlistEntry)}
    assert len(index) == 2
    assert index.candidates(["Olena Shevchenko"], birth_year=1980)[0] == ids["a"]
    assert ids["b"] not in index.candidates(["Ivan Petrenko"])
    assert index.candidates(["Ivan Petrenko"])[0] == ids["c"]
    assert index.candidates(["x"], document_numbers=["ab-123"])[0] == ids["a"]


def test_an_entry_expiring_after_the_index_was_built_stops_being_a_hit_on_its_expiry(engine: Engine) -> None:
    """The index is built once; the facts a screening reads are current on the screening's own day."""
    _fill(engine)
    with Session(engine) as session:
        ids = {e.source_key: e.id for e in session.query(WatchlistEntry)}
        wanted = [ids["a"], ids["b"], ids["c"]]
        assert {f.source_key for f in entry_facts(session, wanted, TODAY)} == {"a", "c"}
        assert {f.source_key for f in entry_facts(session, wanted, TODAY + dt.timedelta(days=1))} == {"a"}
        assert entry_facts(session, [], TODAY) == []


def test_index_saved_in_node_home_round_trips(node: Node) -> None:
    _fill(node.engine)
    with Session(node.engine) as session:
        index = build_from_store(session, today=TODAY)
    save_index(index, index_folder(node.home))
    loaded = load_index(index_folder(node.home))
    assert loaded.search(["Olena Shevchenko"]) == index.search(["Olena Shevchenko"])
