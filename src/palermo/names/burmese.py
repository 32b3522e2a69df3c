"""Burmese names: ICU's Myanmar-Latin reading compared with the spellings Myanmar passports use.

ICU reads Burmese after the MLCTS-like system of its ``Myanmar-Latin`` rules (``စု`` -> ``hcu``, ``မင်း`` -> ``mainn``,
``ခင်`` -> ``hkain``), while a passport writes ``Su``, ``Min``, ``Khin``; and a Burmese name has no surname and is
often written without spaces (``အောင်ဆန်းစုကြည်`` for Aung San Suu Kyi), so it meets a Latin name through its letters run
together. The differences are regular and folded here before two parts are compared: ``hc``/``s``, aspirates
(``hk``/``kh``/``k``, ``ht``/``t``, ``hp``/``ph``/``p``), ``th`` as the ``s`` ICU writes for သ (``Than``/``saann``),
``hl``/``lh``/``l``, ``j``/``z``, doubled letters, the medial ``w`` (``htwann``/``Htun``), ``ay`` as ``e``
(``shway``/``Shwe``), and ``ai`` as ``i`` (``mainn``/``Min``).
"""

from __future__ import annotations

import re
from functools import lru_cache

_FOLDS: tuple[tuple[str, str], ...] = (
    ("hc", "s"), ("hs", "s"), ("hk", "k"), ("kh", "k"), ("ht", "t"), ("th", "s"), ("hp", "p"), ("ph", "p"),
    ("hl", "l"), ("lh", "l"), ("hm", "m"), ("hn", "n"), ("j", "z"), ("wan", "un"), ("wn", "un"), ("way", "we"),
    ("ay", "e"), ("aing", "ain"), ("ine", "ain"), ("ang", "in"), ("ai", "i"), ("oe", "o"), ("oo", "u"),
)  # fmt: skip
_DOUBLED = re.compile(r"(.)\1")


@lru_cache(maxsize=65536)
def burmese_folded(key: str) -> str:
    """A romanised Burmese name part with the differences between ICU's reading and passport spellings folded away:
    ``hcu`` and ``su``, ``mainn`` and ``min``, ``aaungsaannhcukyi`` and ``aungsansuukyi`` fold alike."""
    folded = _DOUBLED.sub(r"\1", key)
    for spelling, fold in _FOLDS:
        folded = folded.replace(spelling, fold)
    return folded
