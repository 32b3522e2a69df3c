"""Latin spellings of one name under the transliteration conventions of different languages.

The same Cyrillic, Arabic or Greek name reaches a list in the spelling of the country that wrote it down: Russian
Жуков is ``Zhukov`` in English, ``Joukov`` in French and ``Schukow`` in German; Ельцин is ``Yeltsin`` and
``Jelzin``; Рашид is ``Rashid`` and ``Rachid``. Edit distance calls them different names (``zaytsev`` / ``saizew``
0.43) and sound codes built for English miss most of them. Each convention here maps a spelling to the sounds it
writes, in one neutral spelling (:func:`neutral`): two parts are the same name by their spelling conventions when
some reading of the one is a reading of the other (:func:`readings`). Only whole-part equality counts; a typo on top
of another convention is left to edit distance. French transliteration's final ``e`` (``Eltsine``, ``Poutine``) is
not read away: it would make ``Martin`` and ``Martine``, ``Pascal`` and ``Pascale`` one name.

Conventions: English (BGN/PCGN-like, the neutral form), German (``tsch`` ч, ``sch`` ш, ``ch`` х, ``z`` ц, ``s`` з
before a vowel, ``w`` в, ``j`` й), French (``tch`` ч, ``ch`` ш, ``dj`` дж, ``j`` ж, ``ou`` у), Polish/Czech (``cz``
ч, ``sz`` ш, ``w`` в, ``j`` й, ``c`` ц) and Greek (``ai`` e, ``ei`` and ``oi`` i, ``ev`` or ``ef``).
"""

from __future__ import annotations

import re
from functools import lru_cache

_VOWELS = "aeiouy"
_DOUBLED = re.compile(r"([a-z])\1")


class _Table:
    """Spellings and the sounds they write, replaced in one pass (the longest spelling first at each place, and no
    replacement read again)."""

    def __init__(self, pairs: dict[str, str]) -> None:
        self.pairs = pairs
        self.pattern = re.compile("|".join(sorted(map(re.escape, pairs), key=len, reverse=True)))

    def __call__(self, key: str) -> str:
        return self.pattern.sub(lambda found: self.pairs[found.group()], key)


#: the neutral spelling: letters that write one sound in every convention folded to one
_NEUTRAL = _Table({
    "dzh": "j", "ph": "f", "th": "t", "kh": "h", "gh": "g", "ck": "k", "q": "k", "x": "ks", "w": "v", "ee": "i",
    "oo": "u", "ou": "u", "iy": "i", "yi": "i", "y": "i",
})  # fmt: skip
_GERMAN = _Table({
    "tsch": "ch", "dsch": "dzh", "sch": "sh", "ch": "kh", "tz": "ts", "z": "ts", "j": "y", "w": "v",
})  # fmt: skip
_FRENCH = _Table({"tch": "ch", "dj": "dzh", "ch": "sh", "j": "zh", "ou": "u", "gue": "ge", "gui": "gi", "ss": "s"})
_POLISH = _Table({"cz": "ch", "sz": "sh", "ch": "kh", "c": "ts", "j": "y", "w": "v"})
#: Greek names: vowel digraphs read as one vowel (``Aimilia`` / ``Emilia``), ``ευ`` / ``αυ`` as ev or ef
_GREEK = _Table({"ai": "e", "ei": "i", "oi": "i", "ev": "ef", "av": "af"})
_GERMAN_S = re.compile(rf"(?:(?<=^)|(?<=[{_VOWELS}lmnr]))s(?=[{_VOWELS}])")


def neutral(key: str) -> str:
    """One spelling for the sounds every convention writes alike (``ph`` f, ``kh`` h, ``y`` i, doubled letters
    once, a first ``ye`` as e): ``Filippos`` and ``Philippos`` are one neutral spelling."""
    first_e = "e" + key[2:] if key.startswith("ye") else key  # Yelena, Jelena (German), Elena (French)
    return _DOUBLED.sub(r"\1", _NEUTRAL(first_e))


def _german(key: str) -> str:
    single_s = _GERMAN_S.sub("z", key.replace("ss", "S")).replace("S", "s")
    return _GERMAN(single_s)


#: each convention's reading, with the letters that must be in a part for it to read the part otherwise
_CONVENTIONS = (
    (_german, re.compile("[szjw]|ch")),
    (_FRENCH, re.compile("ch|j|ou|gu|ss")),
    (_POLISH, re.compile("[cjw]|sz")),
    (_GREEK, re.compile("[aeo]i|[ae]v")),
)


#: parts whose readings a process remembers (a screening index's vocabulary at 1M entries is well under it)
READINGS_CACHE = 262_144


@lru_cache(maxsize=READINGS_CACHE)
def readings(key: str) -> frozenset[str]:
    """The neutral spellings of a lower-case ASCII name part read as English, German, French, Polish and Greek write:
    ``saizew`` (German) reads ``zaitsev`` among others, as ``zaytsev`` (English) does."""
    if len(key) < 3 or not key.isalpha():
        return frozenset()
    found = {neutral(key)}
    for reading, trigger in _CONVENTIONS:
        if trigger.search(key):
            found.add(neutral(reading(key)))
    return frozenset(found)


def same_by_convention(a: str, b: str) -> bool:
    """Whether two name parts are one name written under two conventions (or one convention and its neutral form)."""
    return a != b and not readings(a).isdisjoint(readings(b))
