"""Saving and loading a candidate index: one ``.npz`` of numpy arrays and a small pickle, in ``Node.home/index``.

Why this format: at 1M entries the index is a few flat integer arrays (postings, row tokens, row facts) and one
UTF-8 buffer of names; ``numpy.load`` reads them in one go, with no per-row Python objects. Only the vocabulary
(distinct tokens, far fewer than rows) and the document numbers are Python objects, pickled; tokens are interned
again on load, and prepared names are rebuilt lazily from the vocabulary per row (microseconds, no
transliteration). Removed rows are dropped when saving. The pickle is read only from the node's own home folder,
which the node creates with mode 0700: it is not an exchange format. The pickle travels inside the ``.npz``, and
the file is written beside its place and renamed over it: a process reloading the index while another saves it reads
one whole index, old or new.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from palermo.errors import NotFound
from palermo.logs import get_logger
from palermo.names.tokens import ANALYSIS_VERSION
from palermo.screening.candidate_index.columns import Column, Postings, Ragged
from palermo.screening.candidate_index.entry_rows import EntryRows
from palermo.screening.candidate_index.index import CandidateIndex, NameStore
from palermo.screening.candidate_index.parameters import IndexConfig
from palermo.screening.candidate_index.vocabulary import Vocabulary

log = get_logger(__name__)
FORMAT = 1
ARRAYS = "candidates.npz"
OBJECTS = "candidates.pickle"


def index_folder(home: Path) -> Path:
    """Where a node keeps its candidate index."""
    return home / "index"


def save_index(index: CandidateIndex, folder: Path) -> None:
    """Write the index (compacted: removed rows dropped) to ``folder``, replacing what was there."""
    compact = _without_dead_rows(index)
    folder.mkdir(parents=True, exist_ok=True)
    postings = compact.postings.compacted(len(compact.vocabulary))
    buffer, offsets = compact.names.packed()
    arrays: dict[str, Any] = {
        "postings_offsets": postings.offsets.view(),
        "postings_values": postings.values.view(),
        "row_tokens_offsets": compact.row_tokens.offsets.view(),
        "row_tokens_values": compact.row_tokens.values.view(),
        "row_entry": compact.row_entry.view(),
        "row_alive": compact.row_alive.view(),
        "row_year": compact.row_year.view(),
        "row_length": compact.row_length.view(),
        "row_script": compact.row_script.view(),
        "row_joined": compact.row_joined.view(),
        "names_offsets": offsets,
        "names_buffer": np.frombuffer(buffer, dtype=np.uint8),
    }
    objects = {
        "format": FORMAT,
        "name_analysis": ANALYSIS_VERSION,
        "vocabulary": compact.vocabulary.contents(),
        "scripts": compact.scripts,
        "documents": {number: sorted(held) for number, held in compact.documents.items() if held},
        "weak": {key: listed for key, listed in compact.weak.items() if listed},
        "alive_entries": compact.alive_entries,
    }
    arrays["objects"] = np.frombuffer(pickle.dumps(objects, protocol=pickle.HIGHEST_PROTOCOL), dtype=np.uint8)
    _replace(folder / ARRAYS, arrays)
    (folder / OBJECTS).unlink(missing_ok=True)  # the pickle beside the arrays of indexes saved before
    log.info("candidate_index_saved", folder=str(folder), entries=compact.alive_entries)


def _replace(path: Path, arrays: dict[str, Any]) -> None:
    """Write ``arrays`` to ``path`` at once: a reader sees the old index or the new one, never half of each."""
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=".saving-", suffix=".npz", delete=False)  # noqa: SIM115
    try:
        with handle:
            np.savez(handle, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        Path(handle.name).replace(path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def load_index(folder: Path, config: IndexConfig | None = None) -> CandidateIndex:
    """Read an index written by :func:`save_index`; raises :class:`NotFound` when there is none."""
    if not (folder / ARRAYS).is_file():
        raise NotFound(f"no candidate index in {folder}; expected {ARRAYS} (build and save one first)")
    with np.load(folder / ARRAYS) as stored:
        arrays = {name: stored[name] for name in stored.files}
    if "objects" in arrays:
        pickled = arrays["objects"].tobytes()
    elif (folder / OBJECTS).is_file():  # saved before the objects moved into the arrays' file
        pickled = (folder / OBJECTS).read_bytes()
    else:
        raise NotFound(f"the candidate index in {folder} lacks its vocabulary; rebuilding it")
    objects = pickle.loads(pickled)  # noqa: S301 - the node's own 0700 home folder
    if objects.get("name_analysis", 1) != ANALYSIS_VERSION:  # its tokens are not what queries are analysed into
        raise NotFound(f"the candidate index in {folder} was built with an earlier name analysis; rebuilding it")
    index = CandidateIndex(config)
    index.vocabulary = Vocabulary.from_contents(objects["vocabulary"])
    index.postings = Postings(Ragged(arrays["postings_offsets"], arrays["postings_values"]))
    index.row_tokens = Ragged(arrays["row_tokens_offsets"], arrays["row_tokens_values"])
    for name in ("row_entry", "row_alive", "row_year", "row_length", "row_script", "row_joined"):
        data = arrays[name]
        setattr(index, name, Column(data.dtype, data))
    ranges = EntryRows.of(index.row_entry.view(), index.row_alive.view())
    if ranges is None:  # written by a build that interleaved entries' rows: rebuild from the store
        raise NotFound(f"the candidate index in {folder} does not keep each entry's rows together; rebuilding it")
    index.entry_rows = ranges
    index.names = NameStore(arrays["names_buffer"].tobytes(), arrays["names_offsets"])
    index.scripts = objects["scripts"]
    index.documents = {number: set(held) for number, held in objects["documents"].items()}
    index.weak = objects.get("weak", {})  # indexes saved before weak aliases have none
    index.alive_entries = objects["alive_entries"]
    log.info("candidate_index_loaded", folder=str(folder), entries=index.alive_entries)
    return index


def _without_dead_rows(index: CandidateIndex) -> CandidateIndex:
    """The index itself when nothing was removed, else a rebuilt copy of the alive rows (prepared names reused)."""
    if bool(index.row_alive.view().all()):
        return index
    fresh = CandidateIndex(index.config)
    fresh.scorer = index.scorer
    fresh.scripts = list(index.scripts)
    for row in np.flatnonzero(index.row_alive.view()).tolist():
        prepared = index.prepared(row)
        entry_id = int(index.row_entry.data[row])
        fresh.add_row(entry_id, int(index.row_year.data[row]), prepared)
    fresh.documents = {n: held - index.removed for n, held in index.documents.items()}
    fresh.weak = {k: {e: a for e, a in listed.items() if e not in index.removed} for k, listed in index.weak.items()}
    fresh.alive_entries = index.alive_entries
    return fresh
