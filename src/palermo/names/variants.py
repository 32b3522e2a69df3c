"""Spelling variants of one name that officers meet as different strings: particles fused to the next token, and the
syllables of an East Asian given name written apart or as one.

``Ben Ali`` and ``Benali``, ``van Dijk`` and ``Vandijk``, ``El Amrani`` and ``Elamrani`` are the same surname written
with and without the space. Particles are left out of a name's core tokens, so without the fused variant the two
forms would never be compared token for token. Likewise ``Lee Min Ho`` and ``Lee Minho`` (``이민호``): the letters run
together meet only when the surnames are spelled alike. Matching and retrieval therefore consider every name
together with its variants; the best pair wins, as with aliases. The screening index stores names with their
fused-particle variants only (a query's syllable variants find stored names either way).
"""

from __future__ import annotations

from collections.abc import Iterable

from palermo.names.tokens import PreparedName, prepare_name


def fused_particles(name: PreparedName) -> str | None:
    """The name with each particle joined to the token after it, or ``None`` when it has no such particle.

    ``bin`` (son of) is joined only to a name's last token (``Bin Laden`` / ``Binladin``, a family name): before a
    father's name followed by more names it says whose son is who (``Saif al-Din bin Ibrahim al-Masri``), which
    :func:`palermo.names.features.father_and_son_reversed` reads."""
    tokens = name.tokens
    if not any(t.particle for t in tokens[:-1]):
        return None
    words: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        joins = token.particle != "bin" or index + 2 == len(tokens)
        if token.particle and joins and index + 1 < len(tokens) and not tokens[index + 1].particle:
            words.append(token.native + tokens[index + 1].native)
            index += 2
        else:
            words.append(token.native)
            index += 1
    return " ".join(words)


#: the longest name part taken for one syllable of an East Asian given name written apart (``Min Ho``, ``Gui Hua``)
SYLLABLE = 4


def joined_syllables(name: PreparedName) -> list[str]:
    """The name with its two given-name syllables written as one, as Pinyin and Korean passports write them:
    ``Lee Min Ho`` -> ``Lee Minho``, ``Leng Gui Hua`` -> ``Leng Guihua``; in given-name-first order
    ``Min Ho Lee`` -> ``Minho Lee``. Only for names of three Latin parts, two of them syllable-short."""
    tokens = name.tokens
    if len(tokens) != 3 or any(t.particle or t.script != "Latn" or not t.key.isalpha() for t in tokens):
        return []
    short = [len(t.key) <= SYLLABLE and not t.is_initial for t in tokens]
    natives = [t.native for t in tokens]
    variants = []
    if short[1] and short[2]:
        variants.append(f"{natives[0]} {natives[1]}{natives[2]}")
    if short[0] and short[1]:
        variants.append(f"{natives[0]}{natives[1]} {natives[2]}")
    return variants


def with_variants(names: Iterable[str | PreparedName], syllables: bool = True) -> list[PreparedName]:
    """Every name prepared, each followed by its fused-particle variant when it has one and (with ``syllables``)
    its joined-syllable variants (:func:`joined_syllables`)."""
    prepared: list[PreparedName] = []
    for name in names:
        item = name if isinstance(name, PreparedName) else prepare_name(name)
        prepared.append(item)
        fused = fused_particles(item)
        if fused is not None:
            prepared.append(prepare_name(fused))
        if syllables:
            prepared.extend(prepare_name(joined) for joined in joined_syllables(item))
    return prepared
