"""The watchlist candidate index: from a query person to the few watchlist entries worth scoring.

Public API::

    index = CandidateIndex.build([IndexEntry(1, ["Олена Шевченко", "Olena Shevchenko"], 1980, ["AB123"])])
    index = build_from_store(session)                 # current (not expired) WatchlistEntry rows
    index.candidates(["Olena Shevchenko"]) -> [entry ids]; index.search([...]) -> [ScoredCandidate]
    index.add(entry); index.remove(entry_id)
    save_index(index, index_folder(node.home)); load_index(index_folder(node.home))
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from palermo.screening.candidate_index.files import index_folder, load_index, save_index
    from palermo.screening.candidate_index.from_store import build_from_store, current_entries
    from palermo.screening.candidate_index.index import CandidateIndex, IndexEntry, ScoredCandidate, normalise_document
    from palermo.screening.candidate_index.parameters import IndexConfig, default_index_config

# Imported on first use (PEP 562): ``import palermo.screening.candidate_index.parameters`` must not load the
# name-matching stack.
_EXPORTS = {
    "CandidateIndex": "index",
    "IndexEntry": "index",
    "ScoredCandidate": "index",
    "normalise_document": "index",
    "IndexConfig": "parameters",
    "default_index_config": "parameters",
    "index_folder": "files",
    "load_index": "files",
    "save_index": "files",
    "build_from_store": "from_store",
    "current_entries": "from_store",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


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
