"""Korean names written in Hangul: romanised as passports romanise them, and split into surname and given name.

rigour transliterates Hangul letter by letter (``김지연`` -> ``gimjiyeon``, ``박`` -> ``bag``), while a Korean passport
writes ``KIM JIYEON`` and ``PARK``: the surname in its customary spelling, the given name by the Revised
Romanization (RR) syllable by syllable, without the sound changes of running speech. Koreans write their names
without a space (surname first, one syllable, or two for 남궁, 황보 ...), so a one-word Hangul name is split here
the way :func:`~palermo.names.transliterate.han_name_keys` splits a Chinese one.

Our own code because it is our domain's convention (names, not text): RR itself is a table of 19 initial, 21 vowel
and 28 final letters and a syllable's letters follow from its code point (Unicode's Hangul composition), and the
surnames' customary spellings are a taxonomy (``korean_surnames``).
"""

from __future__ import annotations

from functools import cache, lru_cache

from palermo.taxonomies import taxonomy

_FIRST, _LAST = 0xAC00, 0xD7A3  # the precomposed Hangul syllables
_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_VOWELS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
)  # fmt: skip
_FINALS = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip
#: a given name has one to three syllables; longer one-word names are not split
_LONGEST_SPLIT = 5


def is_hangul_syllable(char: str) -> bool:
    return _FIRST <= ord(char) <= _LAST


def has_hangul(text: str) -> bool:
    return any(is_hangul_syllable(c) for c in text)


def syllable_key(char: str) -> str:
    """The Revised Romanization of one precomposed syllable (``연`` -> ``yeon``, ``박`` -> ``bak``)."""
    index = ord(char) - _FIRST
    initial, rest = divmod(index, 588)
    vowel, final = divmod(rest, 28)
    return _INITIALS[initial] + _VOWELS[vowel] + _FINALS[final]


def romanise(word: str) -> str:
    """A word's Hangul syllables by RR, run together as names are written (``지연`` -> ``jiyeon``); other letters are
    left to the caller (returns only the syllables' keys)."""
    return "".join(syllable_key(c) for c in word if is_hangul_syllable(c))


@cache
def _surnames() -> dict[str, str]:
    """Hangul surname -> its customary spelling (the first of the term's ``names``)."""
    return {
        hangul: str(term.attributes["names"][0])
        for term in taxonomy("korean_surnames").terms
        for hangul in term.attributes["hangul"]
    }


@cache
def surname_spellings() -> dict[str, frozenset[str]]:
    """Each spelling of a Korean surname -> the surname's symbols (``lee``, ``yi``, ``rhee`` share ``KSN:lee``)."""
    groups: dict[str, set[str]] = {}
    for term in taxonomy("korean_surnames").terms:
        for name in term.attributes["names"]:
            groups.setdefault(str(name), set()).add(f"KSN:{term.id}")
    return {name: frozenset(ids) for name, ids in groups.items()}


def surname_key(word: str) -> str:
    """A Hangul surname in its customary spelling (``이`` -> ``lee``); RR for one the table does not hold."""
    return _surnames().get(word) or romanise(word)


def name_parts(word: str, alone: bool) -> list[tuple[str, str]]:
    """The parts (Hangul, key) of one Hangul word of a name.

    Alone (the whole name, as Koreans write it): surname then given name, ``김지연`` -> ``[("김", "kim"), ("지연",
    "jiyeon")]``, ``남궁민수`` -> ``namgoong``, ``minsu``. A word beside others (``김 지연``) is one part: a word the
    surname table knows is spelled as a surname (``김`` -> ``kim``), any other romanised.
    """
    syllables = "".join(c for c in word if is_hangul_syllable(c))
    if not alone or not 2 <= len(syllables) <= _LONGEST_SPLIT:
        return [(syllables, surname_key(syllables))]
    cut = 2 if len(syllables) >= 3 and syllables[:2] in _surnames() else 1
    return [(syllables[:cut], surname_key(syllables[:cut])), (syllables[cut:], romanise(syllables[cut:]))]


#: spellings passports use beside RR for the same syllable, folded to one form (longest first): 우 woo / u,
#: 정 jung / jeong, 영 young / yeong, 희 hee / hui, 수 soo / su, 경 kyung / gyeong, 철 chul / cheol, 신 shin / sin
_FOLDS = (("woo", "u"), ("wu", "u"), ("oo", "u"), ("ou", "u"), ("eo", "u"), ("eu", "u"), ("ee", "i"), ("ui", "i"))
_CONSONANTS = str.maketrans({"k": "g", "t": "d", "p": "b", "r": "l"})


@lru_cache(maxsize=65536)
def korean_folded(key: str) -> str:
    """A romanised Korean name part with the differences between RR and passport spellings folded away:
    ``jiwoo`` and ``jiu``, ``jungkook`` and ``jeongguk``, ``youngsoo`` and ``yeongsu`` fold alike."""
    folded = key.replace("sh", "s").replace("ch", "j")
    for spelling, fold in _FOLDS:
        folded = folded.replace(spelling, fold)
    return folded.translate(_CONSONANTS)
