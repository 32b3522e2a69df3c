"""Screening: finding the watchlist entries that a person may be (candidate retrieval, then name scoring).

Public API::

    index = CandidateIndex.build([IndexEntry(1, ["Олена Шевченко", "Olena Shevchenko"], 1980, ["AB123"])])
    index = build_from_store(session)                 # current (not expired) WatchlistEntry rows
    index.candidates(["Olena Shevchenko"]) -> [entry ids]; index.search([...]) -> [ScoredCandidate]
    index.add(entry); index.remove(entry_id)
    save_index(index, index_folder(node.home)); load_index(index_folder(node.home))
"""

from palermo.screening.candidates import CandidateIndex, IndexEntry, ScoredCandidate, normalise_document
from palermo.screening.config import IndexConfig, default_index_config
from palermo.screening.persist import index_folder, load_index, save_index
from palermo.screening.store import build_from_store, current_entries

__all__ = [
    "CandidateIndex",
    "IndexConfig",
    "IndexEntry",
    "ScoredCandidate",
    "build_from_store",
    "current_entries",
    "default_index_config",
    "index_folder",
    "load_index",
    "normalise_document",
    "save_index",
]
