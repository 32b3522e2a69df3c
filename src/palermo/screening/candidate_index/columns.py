"""Growable numpy columns and compressed lists (CSR): the compact, appendable storage of the candidate index."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


class Column:
    """A numpy array that grows by doubling; ``view()`` is the filled part (no copy)."""

    def __init__(self, dtype: Any, data: NDArray[Any] | None = None) -> None:
        self.data: NDArray[Any] = np.zeros(16, dtype=dtype) if data is None else data
        self.size = 0 if data is None else len(data)

    def _reserve(self, extra: int) -> None:
        if self.size + extra > len(self.data):
            grown = np.zeros(max(2 * len(self.data), self.size + extra, 16), dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown

    def append(self, value: Any) -> None:
        self._reserve(1)
        self.data[self.size] = value
        self.size += 1

    def extend(self, values: list[Any]) -> None:
        self._reserve(len(values))
        self.data[self.size : self.size + len(values)] = values
        self.size += len(values)

    def view(self) -> NDArray[Any]:
        return self.data[: self.size]

    def __len__(self) -> int:
        return self.size


class Ragged:
    """Lists of ints stored as one values column and an offsets column (row ``i`` is ``values[off[i]:off[i+1]]``)."""

    def __init__(self, offsets: NDArray[np.int64] | None = None, values: NDArray[np.int32] | None = None) -> None:
        self.offsets = Column(np.int64, offsets if offsets is not None else np.zeros(1, dtype=np.int64))
        self.values = Column(np.int32, values)

    def append(self, items: list[int]) -> None:
        self.values.extend(items)
        self.offsets.append(len(self.values))

    def get(self, index: int) -> NDArray[np.int32]:
        off = self.offsets.data
        return self.values.data[off[index] : off[index + 1]]

    def __len__(self) -> int:
        return len(self.offsets) - 1


class Postings:
    """Rows per token: a compressed base (as built or loaded) plus appended rows per token since then."""

    def __init__(self, base: Ragged | None = None) -> None:
        self.base = base or Ragged()
        self.added: dict[int, list[int]] = {}

    def add(self, token: int, row: int) -> None:
        self.added.setdefault(token, []).append(row)

    def get(self, token: int) -> NDArray[np.int64]:
        base = self.base.get(token) if token < len(self.base) else np.zeros(0, dtype=np.int32)
        extra = self.added.get(token)
        if extra:
            return np.concatenate([base.astype(np.int64), np.asarray(extra, dtype=np.int64)])
        return base.astype(np.int64)

    def count(self, token: int) -> int:
        base = 0
        if token < len(self.base):
            off = self.base.offsets.data
            base = int(off[token + 1] - off[token])
        return base + len(self.added.get(token, ()))

    def counts(self, tokens: list[int]) -> list[int]:
        """:meth:`count` of each token, in one pass over the offsets."""
        ids = np.asarray(tokens, dtype=np.int64)
        off = self.base.offsets.data
        stored = ids < len(self.base)
        base = np.zeros(len(ids), dtype=np.int64)
        base[stored] = off[ids[stored] + 1] - off[ids[stored]]
        counts: list[int] = base.tolist()
        if self.added:
            counts = [count + len(self.added.get(token, ())) for token, count in zip(tokens, counts, strict=True)]
        return counts

    def get_many(self, tokens: list[int]) -> NDArray[np.int64]:
        """:meth:`get` of each token, one after the other, gathered in one pass when no rows were appended to them."""
        if self.added and any(token in self.added for token in tokens):
            return np.concatenate([self.get(token) for token in tokens]) if tokens else np.zeros(0, dtype=np.int64)
        ids = np.asarray(tokens, dtype=np.int64)
        ids = ids[ids < len(self.base)]
        off = self.base.offsets.data
        starts, lengths = off[ids], off[ids + 1] - off[ids]
        # position i of the result reads values[starts[t] + i - (rows of the tokens before t)]
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        rows: NDArray[np.int64] = self.base.values.data[np.arange(len(shift)) + shift].astype(np.int64)
        return rows

    def compacted(self, tokens: int) -> Ragged:
        """One compressed list for tokens ``0..tokens-1`` (what is saved)."""
        if not self.added and len(self.base) == tokens:
            return self.base
        merged = Ragged()
        for token in range(tokens):
            merged.append(self.get(token).tolist())
        return merged
