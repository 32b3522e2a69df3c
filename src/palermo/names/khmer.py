"""Khmer names romanised as Cambodian documents write them (``ហ៊ុន សែន`` -> ``hun saen``, for Hun Sen).

ICU has no Khmer transliteration (``Any-Latin`` returns Khmer unchanged, so every Khmer name had an empty key and
could meet no Latin spelling). This reads a Khmer word syllable by syllable after the UNGEGN romanisation (1972)
that Cambodian passports and lists follow loosely: a consonant's sound, its series (the first series reads an
inherent or written vowel one way, the second another: ``កា`` ``ka``, ``គា`` ``kea``), the series-changing signs
(``៉``, ``៊``), subscript consonants after the coeng (``្``), and final consonants. The spellings people choose
differ from it in vowels more than consonants, which the consonant skeleton comparison of scripts written with few
vowels already allows for (``saen`` / ``Sen``, skeleton ``sn``).

Our own code: no maintained Python package romanises Khmer offline, and the table below is the standard's.
"""

from __future__ import annotations

import re
from functools import lru_cache

_KHMER = re.compile("[\u1780-\u17ff]")

#: consonant -> (initial sound, final sound, series)
_CONSONANTS: dict[str, tuple[str, str, int]] = {
    "ក": ("k", "k", 1), "ខ": ("kh", "k", 1), "គ": ("k", "k", 2), "ឃ": ("kh", "k", 2), "ង": ("ng", "ng", 2),
    "ច": ("ch", "ch", 1), "ឆ": ("chh", "ch", 1), "ជ": ("ch", "ch", 2), "ឈ": ("chh", "ch", 2), "ញ": ("nh", "nh", 2),
    "ដ": ("d", "t", 1), "ឋ": ("th", "t", 1), "ឌ": ("d", "t", 2), "ឍ": ("th", "t", 2), "ណ": ("n", "n", 1),
    "ត": ("t", "t", 1), "ថ": ("th", "t", 1), "ទ": ("t", "t", 2), "ធ": ("th", "t", 2), "ន": ("n", "n", 2),
    "ប": ("b", "p", 1), "ផ": ("ph", "p", 1), "ព": ("p", "p", 2), "ភ": ("ph", "p", 2), "ម": ("m", "m", 2),
    "យ": ("y", "y", 2), "រ": ("r", "", 2), "ល": ("l", "l", 2), "វ": ("v", "v", 2), "ឝ": ("s", "s", 1),
    "ឞ": ("s", "s", 1), "ស": ("s", "s", 1), "ហ": ("h", "h", 1), "ឡ": ("l", "l", 1), "អ": ("", "", 1),
}  # fmt: skip
#: dependent vowel -> (first series, second series)
_VOWELS: dict[str, tuple[str, str]] = {
    "ា": ("a", "ea"), "ិ": ("e", "i"), "ី": ("ei", "i"), "ឹ": ("oe", "ue"), "ឺ": ("eu", "eu"), "ុ": ("o", "u"),
    "ូ": ("ou", "ou"), "ួ": ("uo", "uo"), "ើ": ("aeu", "eu"), "ឿ": ("oea", "oea"), "ៀ": ("ie", "ie"),
    "េ": ("e", "e"), "ែ": ("ae", "ae"), "ៃ": ("ai", "ey"), "ោ": ("ao", "o"), "ៅ": ("au", "ov"),
    "ំ": ("am", "um"), "ះ": ("ah", "eah"), "ុំ": ("om", "um"), "ាំ": ("am", "oam"), "េះ": ("eh", "eh"),
    "ោះ": ("aoh", "uoh"),
}  # fmt: skip
#: independent vowels (a syllable of their own)
_INDEPENDENT: dict[str, str] = {
    "ឥ": "e", "ឦ": "ei", "ឧ": "o", "ឩ": "ou", "ឪ": "ov", "ឫ": "rue", "ឬ": "rueu", "ឭ": "lue", "ឮ": "lueu",
    "ឯ": "ae", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao", "ឳ": "au",
}  # fmt: skip
_COENG = "\u17d2"  # the next consonant is written below: part of the same syllable
_TO_FIRST, _TO_SECOND = "\u17c9", "\u17ca"  # musikatoan, treisap: the consonant reads in the other series
_SILENT = "\u17cd"  # toandakhiat: the consonant under it is not pronounced
_INHERENT = ("a", "o")


def has_khmer(text: str) -> bool:
    return _KHMER.search(text) is not None


def _vowel_at(word: str, i: int) -> tuple[str, int] | None:
    """The (two- or one-character) dependent vowel starting at ``i`` and its length, if any."""
    for length in (2, 1):
        sign = word[i : i + length]
        if len(sign) == length and sign in _VOWELS:
            return sign, length
    return None


@lru_cache(maxsize=65536)
def romanise(word: str) -> str:
    """A Khmer word in Latin letters (lower case), syllable by syllable."""
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        char = word[i]
        if char in _INDEPENDENT:
            out.append(_INDEPENDENT[char])
            i += 1
            continue
        if char not in _CONSONANTS:
            i += 1  # signs without a consonant before them, digits, other scripts
            continue
        onset, _, series = _CONSONANTS[char]
        i += 1
        while i + 1 < n and word[i] == _COENG and word[i + 1] in _CONSONANTS:
            sub, _, sub_series = _CONSONANTS[word[i + 1]]
            onset += sub
            if onset and char == "អ":
                series = sub_series
            i += 2
        while i < n and word[i] in (_TO_FIRST, _TO_SECOND):
            series = 1 if word[i] == _TO_FIRST else 2
            i += 1
        vowel = _vowel_at(word, i)
        if vowel is not None:
            out.append(onset + _VOWELS[vowel[0]][series - 1])
            i += vowel[1]
        elif i < n and word[i] in _CONSONANTS and not _starts_syllable(word, i):
            out.append(onset + _INHERENT[series - 1])  # a closed syllable with the inherent vowel
        elif i >= n and out:
            out.append(_CONSONANTS[char][1])  # a word's last consonant is a final, not a syllable
            continue
        else:
            out.append(onset + _INHERENT[series - 1])
        if i < n and word[i] in _CONSONANTS and not _starts_syllable(word, i) and not _last_but_one(word, i):
            if i + 1 < n and word[i + 1] == _SILENT:
                i += 2
                continue
            out.append(_CONSONANTS[word[i]][1])
            i += 1
        while i < n and not (word[i] in _CONSONANTS or word[i] in _INDEPENDENT):
            i += 1  # bantoc, robat and other signs after a syllable
    return "".join(out)


def _last_but_one(word: str, i: int) -> bool:
    """A consonant followed only by the word's last consonant opens the last syllable (``សុផល``: so-phal)."""
    return i + 2 == len(word) and word[i + 1] in _CONSONANTS


def _starts_syllable(word: str, i: int) -> bool:
    """Whether the consonant at ``i`` begins a syllable (a vowel, a subscript or a series sign follows it) rather
    than closing the one before."""
    following = word[i + 1 : i + 2]
    if not following:
        return False
    return following in _VOWELS or following in (_COENG, _TO_FIRST, _TO_SECOND) or _vowel_at(word, i + 1) is not None
