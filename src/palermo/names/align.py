"""Token similarity and alignment: which token of one name corresponds to which token of the other, and why.

Each aligned pair carries its similarity and the kind of evidence behind it (exact, edit distance, equivalent
name, phonetic code, consonant skeleton, initial, short form, different names, same reading, Korean, Thai or Burmese
romanisation). Features in :mod:`palermo.names.features` read the alignment.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import icu  # type: ignore[import-untyped]
from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from palermo.names.burmese import burmese_folded
from palermo.names.config import TokenSimilarity
from palermo.names.conventions import same_by_convention
from palermo.names.hangul import korean_folded
from palermo.names.normalise import particle_forms
from palermo.names.symbols import part_symbols
from palermo.names.thai import thai_folded
from palermo.names.tokens import NameToken, PreparedName
from palermo.names.transliterate import arabic_folded, ascii_key
from palermo.taxonomies import taxonomy


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """How similar two tokens are, and by which evidence."""

    similarity: float
    evidence: str


@dataclass(frozen=True, slots=True)
class AlignedPair:
    short_index: int
    long_index: int
    short: NameToken
    long: NameToken
    match: TokenMatch

    def describe(self) -> str:
        sign = "=" if self.match.evidence == "exact" else "~"
        return f"{self.short.key}{sign}{self.long.key} {self.match.similarity:.2f} ({self.match.evidence})"


@dataclass(frozen=True, slots=True)
class Alignment:
    """The alignment of the shorter name's core tokens onto the longer name's core tokens."""

    short: tuple[NameToken, ...]
    long: tuple[NameToken, ...]
    pairs: tuple[AlignedPair, ...]
    joined: bool
    #: similarity of each short token to its counterpart (0.0 when it has none), by short index
    similarities: tuple[float, ...]

    @property
    def unaligned_short(self) -> tuple[NameToken, ...]:
        used = {p.short_index for p in self.pairs}
        return tuple(t for i, t in enumerate(self.short) if i not in used)

    @property
    def unaligned_long(self) -> tuple[NameToken, ...]:
        used = {p.long_index for p in self.pairs}
        return tuple(t for i, t in enumerate(self.long) if i not in used)

    def similarity_of(self, short_index: int) -> float:
        return self.similarities[short_index]


def _alignment(
    short: tuple[NameToken, ...], long: tuple[NameToken, ...], pairs: list[AlignedPair], joined: bool
) -> Alignment:
    similarities = [0.0] * len(short)
    for p in pairs:
        similarities[p.short_index] = p.match.similarity
    return Alignment(short, long, tuple(pairs), joined, tuple(similarities))


def _same_first_letter(initial: NameToken, full: NameToken) -> bool:
    """An initial and a name written in the same alphabet that begins with it, whatever their Latin keys say: ``Г.``
    is ``g`` and ``Григорій`` ``hryhorii`` (Ukrainian), ``Ν.`` is ``n`` and ``Νταίζη`` ``daizi``."""
    return initial.script == full.script != "Latn" and full.native.startswith(initial.native)


def _evidence_match(a: NameToken, b: NameToken, params: TokenSimilarity, edit: float) -> TokenMatch | None:
    """The strongest evidence other than letters in common that two parts are one name (``edit``: their edit
    similarity, which evidence weaker than it cannot beat)."""
    if a.symbols and not a.symbols.isdisjoint(b.symbols):
        return TokenMatch(params.equivalent_name, EQUIVALENT_NAME)
    if a.is_initial != b.is_initial:
        initial, full = (a, b) if a.is_initial else (b, a)
        if full.key.startswith(initial.key) or _same_first_letter(initial, full):
            return TokenMatch(params.initial, "initial")
    if (a.sparse_vowels or b.sparse_vowels) and a.skeleton and _same_skeleton(a, b):
        return TokenMatch(params.skeleton, "consonant skeleton")
    for fold in _romanisation_folds(a, b):
        x, y = fold.fold(a.key), fold.fold(b.key)
        if fold.exact:
            if x == y:
                return TokenMatch(params.skeleton, fold.evidence)
        elif (folded := OSA.normalized_similarity(x, y)) >= params.align_floor:
            return TokenMatch(min(folded, params.skeleton), fold.evidence)
    if (
        a.script == "Latn" == b.script
        and edit < params.convention
        and _convention_possible(a.key, b.key)
        and same_by_convention(a.key, b.key)
    ):
        return TokenMatch(params.convention, SPELLING_CONVENTION)
    short_enough = min(len(a.key), len(b.key)) < params.min_phonetic_length
    if a.phonetic and a.phonetic == b.phonetic and not short_enough:
        return TokenMatch(params.phonetic, "phonetic")
    return None


#: the last letters a spelling convention may write for one sound, by the sound (a part's readings can only meet
#: another's if their last letters write the same sound): ``Saizew`` / ``Zaytsev``, ``Andrej`` / ``Andrey``
_LAST_SOUND = {c: c for c in "abdfghiklmnoprstu"} | dict(zip("eyjwvzcxq", "iiiffsssk", strict=True))
#: a last h is part of a letter pair (th, kh, ph, sh, ch): the sound of the letter before it
_AFTER_H = frozenset("tkfs")


def _convention_possible(a: str, b: str) -> bool:
    """A quick necessary condition of :func:`same_by_convention` (most pairs a screening compares fail it): lengths
    at most four letters apart and last letters that may write one sound."""
    if not a or not b or abs(len(a) - len(b)) > 4:
        return False
    x, y = _LAST_SOUND.get(a[-1]), _LAST_SOUND.get(b[-1])
    return x == y or (x == "h" and y in _AFTER_H) or (y == "h" and x in _AFTER_H)


def is_short_form(a: str, b: str) -> bool:
    """One key is the other with a compound name's element dropped (``ngozichukwu`` / ``ngozi``, ``chukwuemeka`` /
    ``emeka``): ``taxonomies/name_elements.yaml``."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < MIN_STEM or len(long) - len(short) < _shortest_element():
        return False
    elements = _name_elements()
    if long.startswith(short) and long[len(short) :] in elements:
        return True
    return long.endswith(short) and long[: len(long) - len(short)] in elements


@cache
def _name_elements() -> frozenset[str]:
    return frozenset(str(e) for term in taxonomy("name_elements").terms for e in term.attributes["elements"])


@cache
def _shortest_element() -> int:
    return min(map(len, _name_elements()), default=1)


@dataclass(frozen=True, slots=True)
class _EndingRule:
    id: str
    label: str
    endings: tuple[str, ...]
    fleeting_vowels: tuple[str, ...]
    replaces: tuple[str, ...]
    vowel_pairs: frozenset[frozenset[str]]
    needs_lexicon: bool


@cache
def _longest_ending() -> int:
    """The most letters any ending rule adds or replaces: two keys further apart in length are no such pair."""
    rules = _ending_rules()
    return max((len(e) for rule in rules for e in (*rule.endings, *rule.replaces)), default=0) + 1


@cache
def _most_replaced() -> int:
    """The most letters at its end the shorter of two names loses when one is formed from the other: two for a
    fleeting vowel (petar / petr-a), a masculine ending replaced (polydoros / polydor-a) or an ending in place of one
    (polydora / polydor-os): two keys that differ before that are formed by no rule."""
    rules = _ending_rules()
    replacing = [len(e) for rule in rules if rule.replaces for e in (*rule.replaces, *rule.endings)]
    return max([2, *replacing])


@cache
def _ending_rules() -> tuple[_EndingRule, ...]:
    return tuple(
        _EndingRule(
            id=term.id,
            label=term.label,
            endings=tuple(term.attributes.get("endings", ())),
            fleeting_vowels=tuple(term.attributes.get("fleeting_vowels", ())),
            replaces=tuple(term.attributes.get("replaces", ())),
            vowel_pairs=frozenset(frozenset(pair) for pair in term.attributes.get("vowel_pairs", ())),
            needs_lexicon=bool(term.attributes["needs_lexicon"]),
        )
        for term in taxonomy("name_endings").terms
    )


_VOWELS = frozenset("aeiouy")
MIN_STEM = 3  # a shorter stem is too little to call a name formed from another


def _formed_by(rule: _EndingRule, short: str, long: str) -> bool:
    if len(short) < MIN_STEM:
        return False
    for ending in () if rule.replaces else rule.endings:  # a rule that replaces an ending only replaces
        if long == short + ending:
            return True
        # the ending's first letter is the name's last: Anders / Andersen, Hans / Hansen (derived names only)
        if not rule.needs_lexicon and len(ending) > 2 and short[-1] == ending[0] and long == short + ending[1:]:
            return True
        # the ending in place of the final vowel: Nikola / Nikolina
        if rule.fleeting_vowels and short[-1] in _VOWELS and long == short[:-1] + ending and ending != short[-1]:
            return True
        # the fleeting vowel: Petar / Petra, Aleksandar / Aleksandra (petar = petr with an a before its last letter)
        stem = long[: -len(ending)] if long.endswith(ending) else ""
        fleeting = stem and len(short) == len(stem) + 1 and short[-2] in rule.fleeting_vowels
        if fleeting and short[:-2] + short[-1] == stem:
            return True
    for masculine in rule.replaces:  # the ending in place of a masculine one: Polydoros / Polydora
        for a, b in ((short, long), (long, short)):
            stem = a[: -len(masculine)]
            if a.endswith(masculine) and len(stem) >= MIN_STEM and any(b == stem + e for e in rule.endings):
                return True
    if rule.vowel_pairs:
        short, long = _unglided(short), _unglided(long)
        if len(short) == len(long) and short[:-1] == long[:-1]:
            return frozenset((short[-1], long[-1])) in rule.vowel_pairs
    return False


#: a final -ия as transliterations write it (``Мария``: mariya, marija, mariia): one ending, ``ia``, for the
#: final-vowel rule, so that ``Мария`` / ``Mario`` differ as ``Maria`` / ``Mario`` do (and ``Nadia`` / ``Nadiya`` not)
_GLIDED_ENDING = re.compile(r"i(?:y|j|i)a$")


def _unglided(key: str) -> str:
    return _GLIDED_ENDING.sub("ia", key) if len(key) > 4 else key


def different_forms(a: NameToken, b: NameToken, *, linked: bool = False) -> str | None:
    """Why two tokens are different names although one is formed from the other (``None``: they are not).

    Gendered forms (``Jovan`` / ``Jovana``, ``Aleksandar`` / ``Aleksandra``), patronymics and derived surnames
    (``Aleksandr`` / ``Aleksandrovna``, ``Horvat`` / ``Horvatić``) and root-sharing names (``Ardit`` / ``Arditi``)
    are a letter or two apart but different names (``taxonomies/name_endings.yaml``). Where a typo could make the
    same difference (one letter), the rule counts only when the name lexicon knows the shorter token as a name and
    lists no name the two share: it lists spelling and transliteration variants together (``Aleksandr`` /
    ``Alexander``), and a typo seldom lands on a name's regular feminine or derived ending. With ``linked``, a
    known name the lexicon links with the other still counts (:func:`given_name_forms`).
    """
    if a.is_initial or b.is_initial or not (a.key.isascii() and b.key.isascii()):  # endings are written in ASCII
        return None
    if a.key[:1] != b.key[:1]:  # every rule keeps the stem, so most pairs stop here
        return None
    if len(a.key) == len(b.key):  # another final vowel (Teófilo / Teófila): either may be the one formed
        return _formed(a, b, linked) or _formed(b, a, linked)
    return _formed(a, b, linked) if len(a.key) < len(b.key) else _formed(b, a, linked)


def _formed(short: NameToken, long: NameToken, linked: bool = False) -> str | None:
    """:func:`different_forms` with ``long`` the token that may be formed from ``short``."""
    short_key, long_key = short.key, long.key
    if len(long_key) - len(short_key) > _longest_ending():  # no rule adds that many letters
        return None
    particle = "" if short.symbols else _shared_particle(short_key, long_key)
    if particle:  # a particle fused to both (Alhashim / Alhashimi): the names behind it decide
        short_key, long_key = short_key[len(particle) :], long_key[len(particle) :]
    if _letter_doubled(short_key, long_key):  # Ana / Anaa, Garcia / Garciia: a key slipped, no name was formed
        return None
    keep = len(short_key) - _most_replaced()
    if keep > 0 and short_key[:keep] != long_key[:keep]:  # every rule keeps all but the last few letters
        return None
    lexicon: bool | None = None
    for rule in _forming_rules(short_key, long_key):
        if rule.needs_lexicon:
            if lexicon is None:  # asked only when a rule needs it (a lookup for parts in other scripts)
                if particle:
                    short_symbols, long_symbols = _symbols_of(short_key), _symbols_of(long_key)
                else:
                    short_symbols, long_symbols = _lexicon_symbols(short), _lexicon_symbols(long)
                lexicon = bool(short_symbols) and (linked or short_symbols.isdisjoint(long_symbols))
                # two letters swapped make Petar / Petra and Arslan / Arslna alike: only a known name is a form
                lexicon = lexicon and (bool(long_symbols) or not _swapped_letters(short_key, long_key))
            if not lexicon:
                continue
        return f"{rule.label.lower()}: {long.key!r} is formed from {short.key!r}"
    return None


def _letter_doubled(short: str, long: str) -> bool:
    """``long`` is ``short`` with one of its letters written twice."""
    if len(long) != len(short) + 1:
        return False
    at = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return long[at + 1 :] == short[at:] and at > 0 and long[at] == long[at - 1]


def _swapped_letters(short: str, long: str) -> bool:
    """The two keys differ by two neighbouring letters swapped."""
    return len(short) == len(long) and OSA.distance(short, long) == 1 and sorted(short) == sorted(long)


@lru_cache(maxsize=262144)
def _forming_rules(short: str, long: str) -> tuple[_EndingRule, ...]:
    """The ending rules by which ``long`` is formed from ``short`` (remembered: many tokens share a key, such as
    the Han characters read ``liu``)."""
    return tuple(rule for rule in _ending_rules() if _formed_by(rule, short, long))


def _shared_particle(short: str, long: str) -> str:
    """The particle both keys start with, fused to a name of at least :data:`MIN_STEM` letters (``""``: none)."""
    for particle in _particles_starting(short):
        if long.startswith(particle):
            return particle
    return ""


@lru_cache(maxsize=65536)
def _particles_starting(key: str) -> tuple[str, ...]:
    """The particles ``key`` starts with before a name of at least :data:`MIN_STEM` letters, longest first."""
    return tuple(p for p in _particle_keys() if key.startswith(p) and len(key) - len(p) >= MIN_STEM)


@cache
def _particle_keys() -> tuple[str, ...]:
    keys = {ascii_key(form) for form in particle_forms()}
    return tuple(sorted((k for k in keys if k.isalpha()), key=len, reverse=True))


def _symbols_of(key: str) -> frozenset[str]:
    return part_symbols(key, 1)[0]


def _lexicon_symbols(token: NameToken) -> frozenset[str]:
    """What the name lexicon knows of a part: its own symbols, or for a part in another script that the lexicon
    does not know in it (``Ардит``), those of its Latin reading (``ardit``)."""
    if token.symbols or token.script in (None, "Latn") or not token.key.isascii():
        return token.symbols
    return _symbols_of(token.key)


#: letters an Arabic, Persian, Urdu or Hebrew name ends with where its Latin spelling ends in a vowel: ta marbuta,
#: heh, alef, alef maksura, Persian yeh, hamza (سميرة Samira, رانيا Rania, مصطفى Mustafa, דניאלה Daniela)
_WRITTEN_FINAL_VOWELS = frozenset("ةهاىیءۃہەאה")
#: the feminine endings among them: ta marbuta (Arabic, Urdu) and Hebrew he
_FEMININE_FINALS = frozenset("ةۃה")
#: scripts that write a name's consonants and its final vowel (the rule above)
_ABJADS = frozenset({"Arab", "Hebr"})


def _same_final_vowel(a: NameToken, b: NameToken) -> bool:
    """Whether a name part in an abjad and a Latin one agree on their ending: the abjad writes a final vowel (the
    feminine ending above all), so ``سمير`` is Samir and not Samira, ``דניאל`` Daniel and not Daniela, ``سميرة`` Samira
    and not Samir. True for any other pair."""
    abjad, latin = (a, b) if a.script in _ABJADS else (b, a)
    if abjad.script not in _ABJADS or latin.script != "Latn" or not latin.key or not abjad.native:
        return True
    last, final = latin.key[-1], abjad.native[-1]
    if last == "a":
        return final in _WRITTEN_FINAL_VOWELS
    if last not in "eiouyht":  # a consonant (h and t also write a ta marbuta): no feminine ending on either side
        return final not in _FEMININE_FINALS
    return True


def _same_skeleton(a: NameToken, b: NameToken) -> bool:
    """The same consonants, reading a Latin p or v as the b or f an Arabic-script side writes for it."""
    if a.skeleton == b.skeleton:
        return True
    arabic = a.script == "Arab" or b.script == "Arab"
    return arabic and arabic_folded(a.skeleton) == arabic_folded(b.skeleton)


def token_match(a: NameToken, b: NameToken, params: TokenSimilarity) -> TokenMatch:
    """The best evidence that two tokens are the same name part."""
    if a.script == b.script and a.script in _CHARACTER_SCRIPTS and a.native != b.native:
        return _characters_match(a, b)
    if a.key == b.key and a.native != b.native and (a.script == "Hani") != (b.script == "Hani"):
        return _SAME_READING
    if a.key == b.key or a.native == b.native or (a.particle is not None and a.particle == b.particle):
        return _EXACT
    edit = 0.0 if a.is_initial or b.is_initial else OSA.normalized_similarity(a.key, b.key)
    if params.short_form > edit and is_short_form(a.key, b.key):
        return TokenMatch(params.short_form, SHORT_FORM)
    if _different_names(a, b):
        return TokenMatch(min(edit, params.different_names), DIFFERENT_NAMES)
    other = _evidence_match(a, b, params, edit)
    if other is not None and other.similarity > edit:
        return other
    return TokenMatch(edit, "edit distance")


def _different_names(a: NameToken, b: NameToken) -> bool:
    """Two parts alike in letters that are different names: one formed from the other (unless the lexicon links
    them), an abjad and a Latin part that disagree on the final vowel, or a Chinese given name spelled with another
    character."""
    return (
        ((not a.symbols or a.symbols.isdisjoint(b.symbols)) and different_forms(a, b) is not None)
        or ((a.script in _ABJADS) is not (b.script in _ABJADS) and not _same_final_vowel(a, b))
        or ((a.script == "Hani") is not (b.script == "Hani") and _another_character(a, b))
    )


#: Pinyin initials, the two-letter ones first (a syllable is its initial and its final: ``ming`` m + ing)
_PINYIN_INITIALS = ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcs")
#: initials that one character's other spellings swap, so that a swap of them says nothing: Wade-Giles and postal
#: spellings (Chang for zhang, Teng for deng, Kuo for guo, Jen for ren), and the mergers of southern speech (zh/z,
#: ch/c, sh/s, n/l, f/h)
_SPELLING_INITIALS = frozenset(
    frozenset(pair)
    for pair in (
        ("zh", "ch"), ("j", "ch"), ("q", "ch"), ("r", "j"), ("g", "k"), ("d", "t"), ("b", "p"), ("x", "s"),
        ("x", "h"), ("z", "c"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("j", "z"),
        ("q", "c"), ("j", "q"),
    )
)  # fmt: skip


def _pinyin_parts(syllable: str) -> tuple[str, str]:
    for initial in _PINYIN_INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial) :]
    return "", syllable


def _another_character(a: NameToken, b: NameToken) -> bool:
    """A Chinese given name of two or more characters and a Latin spelling that reads all but one of them and, for
    that one, another character: the same final behind another initial (``小明`` xiao ming / ``Xiaoling``, the
    generation name siblings share). Initials that other spellings of one character swap do not count (``Chang`` for
    zhang, ``Teng`` for deng), nor does a syllable without an initial (``Ing-wen`` for ying wen)."""
    han, latin = (a, b) if a.script == "Hani" else (b, a)
    if latin.script != "Latn" or latin.is_initial:
        return False
    syllables = ascii_key(han.native).split()
    if len(syllables) < 2 or "".join(syllables) != han.key:  # one token's characters only
        return False
    key = latin.key
    for i, syllable in enumerate(syllables):
        before, after = "".join(syllables[:i]), "".join(syllables[i + 1 :])
        if len(key) <= len(before) + len(after) or not (key.startswith(before) and key.endswith(after)):
            continue
        written = key[len(before) : len(key) - len(after)]
        (x, final), (y, other_final) = _pinyin_parts(syllable), _pinyin_parts(written)
        if written != syllable and x and y and final == other_final and frozenset((x, y)) not in _SPELLING_INITIALS:
            return True
    return False


#: scripts whose letters are syllables or words: two parts written in them differ by whole characters
_CHARACTER_SCRIPTS = frozenset({"Hani", "Hang"})


_TO_SIMPLIFIED = icu.Transliterator.createInstance("Traditional-Simplified")
_TO_SIMPLIFIED_LOCK = threading.Lock()  # an ICU transliterator is not to be used by two threads at once


@lru_cache(maxsize=65536)
def _simplified(text: str) -> str:
    with _TO_SIMPLIFIED_LOCK:
        return str(_TO_SIMPLIFIED.transliterate(text))


def _characters_match(a: NameToken, b: NameToken) -> TokenMatch:
    """Two Chinese or two Korean name parts compared by their characters, not their romanisation: 习近平 and 习近朋
    read alike (``jinping`` / ``jinpeng``) and 高石 and 高市 the same (``gao shi``), but one character is another name.
    Traditional and simplified characters are the same (張偉 / 张伟)."""
    x, y = a.native, b.native
    if a.script == "Hani":
        x, y = _simplified(x), _simplified(y)
    if x == y:
        return _EXACT
    return TokenMatch(OSA.normalized_similarity(x, y), "edit distance")


def _joined_token(name: PreparedName) -> tuple[NameToken, ...]:
    """The name's parts run together as one token; a Chinese name keeps its characters (read syllable by syllable by
    :func:`_another_character`)."""
    first = name.core[0]
    key = name.joined
    return (
        NameToken(
            native="".join(t.native for t in name.core) if first.script == "Hani" else key,
            key=key,
            script=first.script,
            phonetic="",
            skeleton="",
            symbols=frozenset(),
            particle=None,
            is_initial=False,
            sparse_vowels=False,
        ),
    )


_EXACT = TokenMatch(1.0, "exact")
#: Chinese characters and a romanisation that reads them: the same name, or a homophone (陈 and 沈 are both chen in
#: some dialects' spellings; 冯 feng and 封 feng): a little below the characters themselves, so that where many
#: listed names read alike (Chen Kun written in Latin letters) the one in the same characters ranks first
SAME_READING = "same reading"
_SAME_READING = TokenMatch(0.95, SAME_READING)
#: a Hangul name part and a Latin one that differ only as RR and passport spellings do (지우: jiu / Ji-woo)
KOREAN_ROMANISATION = "Korean romanisation"
#: a Thai name part and a Latin one compared with RTGS and chosen spellings folded alike (ใจดี: chaidi / Jaidee)
THAI_ROMANISATION = "Thai romanisation"
#: a Burmese name part and a Latin one compared with ICU's and passports' spellings folded alike (စု: hcu / Su)
BURMESE_ROMANISATION = "Burmese romanisation"


@dataclass(frozen=True, slots=True)
class _Fold:
    """How a part in one script and a Latin part are compared: both folded, then (``exact``) equal, or alike."""

    script: str
    fold: Callable[[str], str]
    evidence: str
    exact: bool  # Korean: a syllable apart is another name (지연 / 지원), so only equal folds count


#: scripts whose romanisation and the spellings people choose differ regularly, in the order they are tried
_ROMANISATION_FOLDS = (
    _Fold("Hang", korean_folded, KOREAN_ROMANISATION, exact=True),
    _Fold("Thai", thai_folded, THAI_ROMANISATION, exact=False),
    _Fold("Mymr", burmese_folded, BURMESE_ROMANISATION, exact=False),
)


def _romanisation_folds(a: NameToken | PreparedName, b: NameToken | PreparedName) -> list[_Fold]:
    """The folds to compare ``a`` and ``b`` with: those of a script exactly one of them is written in."""
    if a.script == b.script:
        return []
    return [f for f in _ROMANISATION_FOLDS if f.script in (a.script, b.script)]


#: the evidence of two parts the name lexicon links (rigour's symbols or our equivalents): Bill / William
EQUIVALENT_NAME = "equivalent name"
#: one name written under two languages' transliteration conventions (Zaytsev / Saizew, Rashid / Rachid)
SPELLING_CONVENTION = "spelling convention"
#: the evidence of a compound name and its everyday short form (Ngozichukwu / Ngozi)
SHORT_FORM = "short form"
#: the evidence of two tokens that are different names formed one from the other: aligned (so the explanation
#: names the pair) whatever their similarity
DIFFERENT_NAMES = "different names"


#: the evidence of a clipped name's last part against a longer part it begins (``DR`` / ``DRISSI``)
CUT_SHORT = "cut short"


def clipped_ends(short: PreparedName, long: PreparedName) -> tuple[int, int]:
    """The core index of each name's last part when the name may have been cut at a list's field width, else -1."""
    return (len(short.core) - 1 if short.clipped else -1, len(long.core) - 1 if long.clipped else -1)


def cut_short(match: TokenMatch, clipped: NameToken, other: NameToken, params: TokenSimilarity) -> TokenMatch:
    """``match`` of a clipped name's last part and another part, raised to ``params.truncated`` when the last part
    begins the other (two letters at least): the list cut the name at its field width. Two forms of one name that
    the lexicon knows as different (``IVANOV`` / ``IVANOVA``) stay different."""
    if match.similarity >= params.truncated or match.evidence == DIFFERENT_NAMES or clipped.is_initial:
        return match
    if 2 <= len(clipped.key) < len(other.key) and other.key.startswith(clipped.key):
        return TokenMatch(params.truncated, CUT_SHORT)
    return match


def given_name_forms(match: TokenMatch, a: NameToken, b: NameToken, params: TokenSimilarity) -> TokenMatch:
    """``match`` of two given names (parts before the last of names of two parts or more) that the name lexicon links,
    as different names when one is formed from the other: Wikidata lists some masculine and feminine
    forms together (``Angel`` / ``Angela``, ``Cándido`` / ``Cándida``, ``Dejan`` / ``Dejana``). The last part keeps
    the lexicon's word, as surnames take feminine forms for the same person (``Ivanov`` / ``Ivanova``)."""
    if match.evidence != EQUIVALENT_NAME or a.symbols.isdisjoint(b.symbols):
        return match
    why = different_forms(a, b, linked=True)
    return match if why is None else TokenMatch(min(match.similarity, params.different_names), DIFFERENT_NAMES)


def in_order_first(candidate: tuple[float, int, int, Any]) -> tuple[float, int, int, int]:
    """Best similarity first; among equals, the pair nearest its place in both names (``Émilie Émilie`` / ``Émitie
    Émilie``: each part with the one in its own place, not the exact one in the other's place, which reads as given
    names swapped)."""
    neg_similarity, i, j = candidate[0], candidate[1], candidate[2]
    return (neg_similarity, abs(i - j), i, j)


def _greedy(
    short: tuple[NameToken, ...], long: tuple[NameToken, ...], params: TokenSimilarity, ends: tuple[int, int] = (-1, -1)
) -> list[AlignedPair]:
    candidates: list[tuple[float, int, int, TokenMatch]] = []
    given = len(short) > 1 and len(long) > 1
    for i, a in enumerate(short):
        for j, b in enumerate(long):
            match = token_match(a, b, params)
            if given and i < len(short) - 1 and j < len(long) - 1:
                match = given_name_forms(match, a, b, params)
            if i == ends[0]:
                match = cut_short(match, a, b, params)
            if j == ends[1]:
                match = cut_short(match, b, a, params)
            if match.similarity >= params.align_floor or match.evidence == DIFFERENT_NAMES:
                candidates.append((-match.similarity, i, j, match))
    candidates.sort(key=in_order_first)
    used_short: set[int] = set()
    used_long: set[int] = set()
    pairs: list[AlignedPair] = []
    for _, i, j, match in candidates:
        if i in used_short or j in used_long:
            continue
        used_short.add(i)
        used_long.add(j)
        pairs.append(AlignedPair(i, j, short[i], long[j], match))
    return sorted(pairs, key=lambda p: p.short_index)


def order_pair(a: PreparedName, b: PreparedName) -> tuple[PreparedName, PreparedName]:
    """Put the name with fewer core tokens first; break ties by content, so comparison is symmetric."""
    return (a, b) if a.order_key <= b.order_key else (b, a)


def joined_alike(a: PreparedName, b: PreparedName, floor: float) -> bool:
    """Whether two names' letters run together are alike (``floor`` in percent): ``VladimirPutin``, or ``Choi Ji-woo``
    and ``최지우`` (``choijiu``), whose joined letters differ only as RR and passport spellings do."""
    if ratio(a.joined, b.joined) >= floor:
        return True
    for fold in _romanisation_folds(a, b):
        x, y = fold.fold(a.joined), fold.fold(b.joined)
        if x == y if fold.exact else ratio(x, y) >= floor:
            return True
    return False


def align(a: PreparedName, b: PreparedName, params: TokenSimilarity) -> Alignment:
    """Align two prepared names (``a`` must be the shorter; see :func:`order_pair`).

    When the names have different token counts but the same letters run together (``VladimirPutin``), both are
    compared as one joined token.
    """
    short, long = a.core, b.core
    if len(short) != len(long) and joined_alike(a, b, params.joined_floor * 100):
        short, long = _joined_token(a), _joined_token(b)
        return _alignment(short, long, _greedy(short, long, params), joined=True)
    return _alignment(short, long, _greedy(short, long, params, clipped_ends(a, b)), joined=False)
