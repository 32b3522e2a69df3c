"""Prepared names: everything comparison needs, computed once per name (the fast path for screening).

``prepare_name("Александр Иванов")`` normalises, transliterates, tags equivalent-name symbols (rigour's
Wikidata-derived person-name symbols plus our ``given_name_equivalents`` and ``korean_surnames`` taxonomies),
computes phonetic codes and consonant skeletons. A :class:`PreparedName` is immutable and can be cached beside a
stored name; comparing a query against many candidates then costs only the pairwise alignment.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from palermo.errors import InvalidInput
from palermo.names.hangul import name_parts as hangul_name_parts
from palermo.names.hangul import surname_spellings
from palermo.names.normalise import abbreviated_initials, canonical_particle, clean_name, name_tokens
from palermo.names.scripts import SPARSE_VOWEL_SCRIPTS, detect_script
from palermo.names.symbols import part_symbols
from palermo.names.transliterate import ascii_key, han_name_keys, join_syllables, phonetic_key, skeleton
from palermo.taxonomies import taxonomy


@dataclass(frozen=True, slots=True)
class NameToken:
    """One part of a name: its native form, comparable Latin key and the evidence keys derived from it."""

    native: str
    key: str
    script: str | None
    phonetic: str
    skeleton: str
    symbols: frozenset[str]
    particle: str | None
    is_initial: bool
    sparse_vowels: bool
    #: process-wide id of this token's content (see :func:`intern_token`); -1 for a token built directly
    uid: int = field(default=-1, compare=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # unpickled tokens are interned again, so their uid is valid in this process
        return (intern_token, self.content())

    def content(self) -> tuple[str, str, str | None, str, str, frozenset[str], str | None, bool, bool]:
        return (
            self.native,
            self.key,
            self.script,
            self.phonetic,
            self.skeleton,
            self.symbols,
            self.particle,
            self.is_initial,
            self.sparse_vowels,
        )


_INTERNED: dict[tuple[Any, ...], NameToken] = {}
_UIDS = itertools.count()  # next() is atomic: two threads never get the same uid


def intern_token(
    native: str,
    key: str,
    script: str | None,
    phonetic: str,
    skeleton: str,
    symbols: frozenset[str],
    particle: str | None,
    is_initial: bool,
    sparse_vowels: bool,
) -> NameToken:
    """The one token object of this content in the process, with a stable ``uid`` (keys the similarity cache).

    Names repeat their tokens (``mohammed``, ``ivanov``), so the table stays as small as the token vocabulary.
    """
    content = (native, key, script, phonetic, skeleton, symbols, particle, is_initial, sparse_vowels)
    token = _INTERNED.get(content)
    if token is None:
        token = NameToken(*content, uid=next(_UIDS))
        _INTERNED[content] = token
    return token


#: names of at least this many characters may have lost the end of their last part to a list's field width (35
#: characters in SWIFT messages and many legacy lists, 30-40 in others): ``NOUREDDINE BEN ALI BEN BELKASSEM DR``
CLIPPED_LENGTH = 30


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name ready for comparison (a ``NameKey``): tokens in written order plus whole-name keys."""

    original: str
    tokens: tuple[NameToken, ...]
    script: str | None
    #: tokens that are not particles (all tokens when every token is a particle)
    core: tuple[NameToken, ...]
    #: core keys run together in written order (compares ``VladimirPutin`` with ``Vladimir Putin``)
    joined: str
    #: core keys sorted, then run together (order-free form)
    sorted_joined: str
    core_keys: frozenset[str]
    #: total order used to put two names in a canonical order (comparison is then symmetric by construction)
    order_key: tuple[int, str, str, str]
    #: the name is long enough that a list may have cut its last part at its field width (:data:`CLIPPED_LENGTH`)
    clipped: bool = False

    @classmethod
    def build(cls, original: str, tokens: tuple[NameToken, ...], script: str | None) -> PreparedName:
        core = tuple(t for t in tokens if t.particle is None) or tokens
        keys = [t.key for t in core]
        joined = "".join(keys)
        order_key = (len(core), joined, " ".join(t.key for t in tokens), original)
        clipped = len(original.strip()) >= CLIPPED_LENGTH and len(core) > 1
        return cls(original, tokens, script, core, joined, "".join(sorted(keys)), frozenset(keys), order_key, clipped)

    def describe(self) -> str:
        return " ".join(t.key for t in self.tokens)


NameKey = PreparedName


@cache
def _equivalents() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for term in taxonomy("given_name_equivalents").terms:
        for name in term.attributes.get("names", []):
            groups.setdefault(ascii_key(str(name)), set()).add(f"EQ:{term.id}")
    for spelling, ids in surname_spellings().items():  # Korean surnames: Lee, Yi, Rhee; Park, Bak, Pak
        groups.setdefault(spelling, set()).update(ids)
    return {name: frozenset(ids) for name, ids in groups.items()}


def _token(
    native: str, key: str, script: str | None, symbols: frozenset[str], particle: str | None, initial: bool = False
) -> NameToken:
    return intern_token(
        native=native,
        key=key,
        script=script,
        phonetic=phonetic_key(key),
        skeleton=skeleton(key),
        symbols=symbols | _equivalents().get(key, frozenset()),
        particle=particle,
        is_initial=initial or (len(key) == 1 and key.isalpha()) or _native_initial(native, script, particle),
        sparse_vowels=script in SPARSE_VOWEL_SCRIPTS,
    )


#: alphabets (not syllabaries or ideographs: 王 is a name) whose one letter alone is an initial even where its
#: Latin key has two letters (Ю yu, Ш sh, Θ th, ش sh)
_INITIAL_ALPHABETS = frozenset({"Cyrl", "Grek", "Arab", "Hebr", "Armn", "Geor"})


def _native_initial(native: str, script: str | None, particle: str | None) -> bool:
    return len(native) == 1 and native.isalpha() and script in _INITIAL_ALPHABETS and particle is None


def _two_letter_initial(native: str) -> NameToken:
    """``Yu.``: the initial of a Cyrillic letter written with two Latin letters (no symbols: it is no name)."""
    return _token(native, native, "Latn", frozenset(), None, initial=True)


#: digits a reader or a writer put for the letters they look like (OCR of a document, names in online adverts
#: written to slip past filters): ``I9or Sech1n`` is Igor Sechin
_DIGIT_LETTERS = str.maketrans("0123456789", "oizeasgtbg")


def _digits_as_letters(key: str) -> str:
    """A word of letters with a digit or two among them, read as the letters the digits look like."""
    if key.isalpha() or key.isdigit():
        return key
    letters = sum(c.isalpha() for c in key)
    return key.translate(_DIGIT_LETTERS) if letters >= 2 and letters > len(key) - letters else key


@lru_cache(maxsize=200_000)
def _expand(native: str, symbols: frozenset[str], particle: str | None, alone: bool) -> tuple[NameToken, ...]:
    """The tokens of one word of a name, remembered: a list of a million names holds a few hundred thousand words,
    and a word's script, key, phonetic code and skeleton do not change (tokens are immutable and interned)."""
    script = detect_script(native)
    key = _digits_as_letters(ascii_key(native) or native)
    if script == "Hani" and alone:
        keys = han_name_keys(key)
        # one character a syllable: each part keeps its own characters (compared as characters, see align.py)
        natives = (
            [native[:1], native[1:]] if len(keys) == 2 and len(native) == len(key.split()) else [native] * len(keys)
        )
        return tuple(_token(n, k, script, symbols, None) for n, k in zip(natives, keys, strict=True))
    if script == "Hang":
        return tuple(_token(n, k, script, symbols, None) for n, k in hangul_name_parts(native, alone))
    return (_token(native, join_syllables(key), script, symbols, particle),)


#: the version of :func:`prepare_name`'s analysis: whatever is stored from it (the screening index's tokens) is
#: rebuilt when it was made by another. Raise it with any change to the tokens a name gives.
#: 2: a question mark inside a word joins its letters (7 December 2026).
#: 3: Hangul romanised as passports do and a one-word Korean name split into surname and given name; the parts of a
#: Chinese or Korean name keep their own characters.
#: 4: Thai, Khmer and Burmese read as their documents write them, North Indian keys without the unsaid last vowel,
#: vowel signs kept by the tokeniser, digits among letters read as the letters they look like, ``Yu.`` an initial.
#: 5: Hebrew everyday given names (Bibi, Yossi, Itzik) share their full names' symbols; ``bin`` is fused into a
#: variant only with a name's last token; a name of 30 characters or more may have its last part cut short.
#: 6: Thai titles written onto the first word (``นายสมชาย``) or abbreviated (``น.ส.``) dropped; one letter of
#: Cyrillic, Greek, Arabic, Hebrew, Armenian or Georgian alone an initial (``Ю.``), and ``Th.``, ``Ph.``, ``Ps.``.
ANALYSIS_VERSION = 6


def prepare_name(text: str) -> PreparedName:
    """Normalise and analyse one name once; raises :class:`InvalidInput` when it has no letters or digits."""
    if not isinstance(text, str):
        raise InvalidInput(f"a name must be a string, got {type(text).__name__}")
    cleaned = clean_name(text)
    raw = name_tokens(cleaned)
    if not raw:
        raise InvalidInput(f"name {text!r} has no letters or digits to compare")
    symbols = part_symbols(" ".join(raw), len(raw))
    tokens: list[NameToken] = []
    initials = abbreviated_initials(cleaned)
    for index, native in enumerate(raw):
        if native in initials:
            tokens.append(_two_letter_initial(native))
            continue
        particle = canonical_particle(native) if index < len(raw) - 1 else None
        tokens.extend(_expand(native, symbols[index], particle, alone=len(raw) == 1))
    return PreparedName.build(text, tuple(tokens), detect_script(cleaned))
