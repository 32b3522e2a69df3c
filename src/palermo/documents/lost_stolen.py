"""The lost/stolen document registry (SLTD-like): load CSVs, persist a compact snapshot, look up exactly and nearly.

Design (figures in ``docs/documents.md``): parallel numpy arrays sorted by a 64-bit hash of the 24-byte key
(state + number). Exact lookup hashes the key in Python and binary-searches the hash array (``searchsorted``),
then compares the stored key. Near lookup generates every variant of the queried number one substitution (A-Z0-9)
or one adjacent transposition away, hashes them all at once with numpy and searches them in one call; only hits
with a ``near_match`` status (stolen, stolen blank) count. No per-entry Python objects: 10M entries take about
37 bytes each. The snapshot is the arrays as ``.npy`` files, memory-mapped on open, so a restart is immediate.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from palermo.documents.models import RegistryHit
from palermo.documents.registry_keys import (
    KEY_DTYPE,
    STATE_WIDTH,
    Hashes,
    Keys,
    hash_key,
    hash_keys,
    key_for,
    make_key,
    normalise_number,
    split_key,
)
from palermo.errors import InvalidInput
from palermo.logs import get_logger
from palermo.taxonomies import taxonomy

if TYPE_CHECKING:
    from palermo.documents.registry_csv import Batch, Reject

log = get_logger(__name__)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ARRAYS = ("hashes", "keys", "status", "document_type", "reported", "agency")
EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class LoadReport:
    path: str
    rows_read: int
    accepted: int
    rejected: int
    entries_before: int
    entries_after: int
    rejects_path: str | None


@dataclass
class _Arrays:
    hashes: Hashes
    keys: Keys
    status: npt.NDArray[np.uint8]
    document_type: npt.NDArray[np.uint8]
    reported: npt.NDArray[np.int32]
    agency: npt.NDArray[np.uint32]

    @classmethod
    def empty(cls) -> _Arrays:
        return cls(*(np.empty(0, t) for t in (np.uint64, KEY_DTYPE, np.uint8, np.uint8, np.int32, np.uint32)))

    def take(self, index: npt.NDArray[np.intp]) -> _Arrays:
        return _Arrays(*(getattr(self, name)[index] for name in ARRAYS))

    def consume(self, index: npt.NDArray[np.intp]) -> _Arrays:
        """Like ``take``, releasing each column of ``self`` once gathered (lower peak memory)."""
        columns = {}
        for name in ARRAYS:
            columns[name] = getattr(self, name)[index]
            setattr(self, name, getattr(_Arrays.empty(), name))
        return _Arrays(**columns)


def _concat(batches: list[Batch]) -> _Arrays:
    """One set of arrays from the batches, one column at a time, releasing each batch column once copied."""
    columns: dict[str, npt.NDArray[Any]] = {}
    for name in ARRAYS[1:]:
        columns[name] = (
            np.concatenate([getattr(b, name) for b in batches]) if batches else getattr(_Arrays.empty(), name)
        )
        for b in batches:
            setattr(b, name, getattr(_Arrays.empty(), name))
    return _Arrays(hash_keys(columns["keys"]), **columns)


def _sorted_last_wins(arrays: _Arrays) -> _Arrays:
    """Sorted by hash (stable); of rows with the same key only the last is kept."""
    order = np.argsort(arrays.hashes, kind="stable")
    hashes = arrays.hashes[order]
    ties = np.flatnonzero(hashes[1:] == hashes[:-1])
    same = ties[arrays.keys[order[ties]] == arrays.keys[order[ties + 1]]]
    if len(same):
        order = np.delete(order, same)
    return arrays.consume(order)


def _update_existing(old: _Arrays, new: _Arrays, at: npt.NDArray[np.intp], found: npt.NDArray[np.bool_]) -> _Arrays:
    """Old arrays with the statuses, types, dates and agencies of re-reported keys replaced in place."""
    small = {name: np.array(getattr(old, name)) for name in ARRAYS[2:]}
    for name, column in small.items():
        column[at] = getattr(new, name)[found]
    return _Arrays(old.hashes, old.keys, **small)


def _merge(old: _Arrays, batches: list[Batch], find: Any) -> _Arrays:
    """Old entries plus new rows; a key already present is updated in place (so re-loading a file only rewrites
    small columns), new keys are merged in hash order; within a file the last row of a key wins."""
    new = _sorted_last_wins(_concat(batches))
    if len(old.hashes) == 0:
        return new
    at, found = find(new.keys, new.hashes)
    if found.any():
        old = _update_existing(old, new, at, found)
        new = new.consume(np.flatnonzero(~found))
    if len(new.hashes) == 0:
        return old
    merged = _Arrays(*(np.concatenate([getattr(old, n), getattr(new, n)]) for n in ARRAYS))
    return merged.consume(np.argsort(merged.hashes, kind="stable"))


@dataclass
class LostStolenRegistry:
    """The registry of one node, kept under ``home/registry/``."""

    folder: Path
    arrays: _Arrays = field(default_factory=_Arrays.empty)
    agencies: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    #: the issuing states the registry holds (``None``: not read yet); meta.json keeps them since format 2
    issuing_states: tuple[str, ...] | None = None

    # -- persistence

    @classmethod
    def open(cls, home: Path) -> LostStolenRegistry:
        """The registry under ``home/registry`` (empty if none was loaded yet); arrays are memory-mapped."""
        folder = home / "registry"
        meta_path = folder / "meta.json"
        if not meta_path.exists():
            return cls(folder)
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        arrays = _Arrays(*(np.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS))
        states = tuple(meta["issuing_states"]) if "issuing_states" in meta else None
        return cls(folder, arrays, list(meta["agencies"]), list(meta["sources"]), states)

    def _save(self) -> None:
        staging = self.folder.with_name("registry.new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for name in ARRAYS:
            np.save(staging / f"{name}.npy", getattr(self.arrays, name))
        meta = {
            "format": 2,
            "entries": len(self),
            "agencies": self.agencies,
            "sources": self.sources,
            "issuing_states": list(_states_of(self.arrays.keys)),
        }
        (staging / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        old = self.folder.with_name("registry.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            self.folder.replace(old)
        staging.replace(self.folder)
        shutil.rmtree(old, ignore_errors=True)
        reopened = LostStolenRegistry.open(self.folder.parent)
        self.arrays, self.issuing_states = reopened.arrays, reopened.issuing_states

    def __len__(self) -> int:
        return len(self.arrays.hashes)

    # -- loading

    def load_csv(self, path: Path) -> LoadReport:
        """Add (or update) the rows of a CSV; rejects go to ``PATH.rejects.jsonl``; re-loading changes nothing."""
        if not path.is_file():
            raise InvalidInput(f"no such file: {path}")
        before = len(self)
        from palermo.documents.registry_csv import read_batches  # pyarrow's CSV reader: loads only, not lookups

        agencies = {name: i for i, name in enumerate(self.agencies)}
        batches = list(read_batches(path, agencies))
        rejects = [r for b in batches for r in b.rejects]
        accepted = sum(len(b.keys) for b in batches)
        self.arrays = _merge(self.arrays, batches, self._positions)
        self.agencies = sorted(agencies, key=agencies.__getitem__)
        digest = _digest(path)
        self.sources = [s for s in self.sources if s["sha256"] != digest]
        self.sources.append({"path": str(path), "sha256": digest, "accepted": accepted, "rejected": len(rejects)})
        self._save()
        rejects_path = _write_rejects(path, rejects)
        report = LoadReport(str(path), accepted + len(rejects), accepted, len(rejects), before, len(self), rejects_path)
        log.info("registry_loaded", path=str(path), accepted=accepted, rejected=len(rejects), entries=len(self))
        return report

    # -- lookups

    def _index(self, key: bytes) -> int | None:
        hashes = self.arrays.hashes
        target = np.uint64(hash_key(key))
        i = int(hashes.searchsorted(target))
        while i < len(hashes) and hashes[i] == target:
            if self.arrays.keys[i] == key:
                return i
            i += 1
        return None

    def _positions(self, keys: Keys, wanted: Hashes) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
        """For each key: its position in the arrays where found, and whether it was found."""
        hashes = self.arrays.hashes
        pos = np.minimum(hashes.searchsorted(wanted), len(hashes) - 1)
        found = (hashes[pos] == wanted) & (self.arrays.keys[pos] == keys)
        return pos[found], found

    def _indices(self, keys: Keys) -> npt.NDArray[np.intp]:
        if len(self.arrays.hashes) == 0:
            return np.empty(0, dtype=np.intp)
        wanted = hash_keys(keys)
        order = np.argsort(wanted)  # sorted needles make the binary searches share cache lines
        return self._positions(keys[order], wanted[order])[0]

    def _hit(self, i: int, match: str, reason: str) -> RegistryHit:
        state, number = split_key(bytes(self.arrays.keys[i]))
        conf = taxonomy("document_checks").require("registry_exact" if match == "exact" else "registry_near")
        return RegistryHit(
            match="exact" if match == "exact" else "near",
            confidence=float(conf.attributes["confidence"]),
            reason=reason,
            issuing_state=state,
            document_number=number,
            document_type=taxonomy("document_types").ids[int(self.arrays.document_type[i])],
            status=taxonomy("document_statuses").ids[int(self.arrays.status[i])],
            reported_date=EPOCH + timedelta(days=int(self.arrays.reported[i])),
            reporting_agency=self.agencies[int(self.arrays.agency[i])],
        )

    def lookup(self, state: str, number: str) -> RegistryHit | None:
        """The entry for exactly this (state, number), after normalisation."""
        i = self._index(key_for(state, number))
        return None if i is None else self._hit(i, "exact", "same issuing state and document number")

    def lookup_any_state(self, number: str) -> list[RegistryHit]:
        """Exact entries for this number under any issuing state: a number typed without its state.

        One key per state the registry holds, hashed and searched at once (a few hundred keys: well under a
        millisecond). Near hits need the state: across every state they would be mostly other people's documents.
        """
        plain = normalise_number(number)
        if self.issuing_states is None:
            self.issuing_states = _states_of(self.arrays.keys)
        if not self.issuing_states or len(self) == 0:
            return []
        keys = np.array([make_key(state, plain) for state in self.issuing_states], dtype=KEY_DTYPE)
        at, _ = self._positions(keys, hash_keys(keys))
        reason = "same document number; its issuing state was not given, the registry's entry is {}'s"
        return [self._hit(int(i), "exact", reason.format(split_key(bytes(self.arrays.keys[i]))[0])) for i in at]

    def near(self, state: str, number: str) -> list[RegistryHit]:
        """Stolen or stolen-blank entries of the same state one substitution or adjacent transposition away."""
        key = key_for(state, number)
        if len(self) == 0:
            return []
        _, plain = split_key(key)
        near_status = _near_statuses()
        hits = []
        for i in self._indices(_variant_keys(key, len(plain))):
            _, found = split_key(bytes(self.arrays.keys[i]))
            if found != plain and int(self.arrays.status[i]) in near_status:
                hits.append(self._hit(int(i), "near", f"{_difference(plain, found)}: {number!r} vs reported {found!r}"))
        return hits

    def search(self, state: str, number: str) -> list[RegistryHit]:
        """The exact hit (if any) followed by the near hits."""
        exact = self.lookup(state, number)
        return ([exact] if exact else []) + self.near(state, number)


def _states_of(keys: Keys) -> tuple[str, ...]:
    """The distinct issuing states of registry keys (their first :data:`STATE_WIDTH` bytes)."""
    if len(keys) == 0:
        return ()
    heads = np.ascontiguousarray(keys).view(np.uint8).reshape(-1, KEY_DTYPE.itemsize)[:, :STATE_WIDTH]
    distinct = np.unique(np.ascontiguousarray(heads).view(f"S{STATE_WIDTH}").ravel())
    return tuple(state.decode("ascii").rstrip("<") for state in distinct)


def _near_statuses() -> frozenset[int]:
    terms = taxonomy("document_statuses").terms
    return frozenset(i for i, t in enumerate(terms) if t.attributes.get("near_match"))


_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def _variant_keys(key: bytes, length: int) -> Keys:
    """Keys of every number one substitution (A-Z0-9, the original included) or one adjacent swap away."""
    base = np.frombuffer(key, dtype=np.uint8)
    first = STATE_WIDTH
    subs = np.tile(base, (length * len(ALPHABET), 1))
    rows = np.arange(len(subs))
    subs[rows, first + rows // len(ALPHABET)] = np.tile(_ALPHABET_BYTES, length)
    swaps = np.tile(base, (max(length - 1, 0), 1))
    at = np.arange(len(swaps)) + first
    swaps[np.arange(len(swaps)), at], swaps[np.arange(len(swaps)), at + 1] = base[at + 1], base[at]
    variants: Keys = np.ascontiguousarray(np.concatenate([subs, swaps])).view(KEY_DTYPE).ravel()
    return variants


def _difference(query: str, found: str) -> str:
    diff = [i for i, (a, b) in enumerate(zip(query, found, strict=True)) if a != b]
    if len(diff) == 1:
        i = diff[0]
        return f"one substitution at position {i + 1} ({query[i]}->{found[i]})"
    return f"adjacent transposition at positions {diff[0] + 1}-{diff[1] + 1}"


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_rejects(path: Path, rejects: Iterable[Reject]) -> str | None:
    target = path.with_name(path.name + ".rejects.jsonl")
    ordered = sorted(rejects, key=lambda r: r.line)
    rows = [json.dumps({"line": r.line, "reason": r.reason, "row": r.row}, ensure_ascii=False) for r in ordered]
    if not rows:
        target.unlink(missing_ok=True)
        return None
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return str(target)
