"""Registry keys: (issuing state, document number) as 24 fixed bytes, and their 64-bit hashes.

A key is the stored three-letter state code padded with ``<`` to 3 characters followed by the normalised number
padded with ``<`` to 21 characters. The hash is splitmix64 folded over the key's three 64-bit words, computed the
same way for one key in plain Python (exact lookup) and for many keys with numpy (loading, near lookup).
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from palermo.errors import InvalidInput
from palermo.taxonomies.countries import normalise_country

KEY_BYTES = 24
STATE_WIDTH = 3
NUMBER_WIDTH = KEY_BYTES - STATE_WIDTH
KEY_DTYPE = np.dtype(f"S{KEY_BYTES}")
NUMBER_PATTERN = rf"^[A-Z0-9]{{1,{NUMBER_WIDTH}}}$"
_IGNORED = re.compile(r"[\s\-<]")
_NUMBER = re.compile(NUMBER_PATTERN)
_MASK = (1 << 64) - 1
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB

Keys = npt.NDArray[np.bytes_]
Hashes = npt.NDArray[np.uint64]


def normalise_number(number: str) -> str:
    """Upper case without spaces, hyphens or fillers; refuses anything but 1-21 letters and digits."""
    cleaned = _IGNORED.sub("", number).upper()
    if not _NUMBER.match(cleaned):
        raise InvalidInput(f"document number {number!r}: expected 1 to {NUMBER_WIDTH} letters A-Z and digits 0-9")
    return cleaned


def make_key(state: str, number: str) -> bytes:
    """The key of a normalised state and number; ``normalise_country``/``normalise_number`` first."""
    return (state.ljust(STATE_WIDTH, "<") + number.ljust(NUMBER_WIDTH, "<")).encode("ascii")


def key_for(state: str, number: str) -> bytes:
    """Normalise then key: the form every lookup uses."""
    return make_key(normalise_country(state), normalise_number(number))


def _mix(x: int) -> int:
    x ^= x >> 30
    x = (x * _M1) & _MASK
    x ^= x >> 27
    x = (x * _M2) & _MASK
    return x ^ (x >> 31)


def hash_key(key: bytes) -> int:
    a, b, c = (int.from_bytes(key[i : i + 8], "little") for i in (0, 8, 16))
    return _mix(_mix(_mix(a) ^ b) ^ c)


def _mix_array(x: Hashes) -> Hashes:
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(_M1)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(_M2)
    return x ^ (x >> np.uint64(31))


def hash_keys(keys: Keys) -> Hashes:
    words = np.ascontiguousarray(keys).view("<u8").reshape(-1, 3)
    return _mix_array(_mix_array(_mix_array(words[:, 0]) ^ words[:, 1]) ^ words[:, 2])


def split_key(key: bytes) -> tuple[str, str]:
    text = key.decode("ascii")
    return text[:STATE_WIDTH].rstrip("<"), text[STATE_WIDTH:].rstrip("<")
