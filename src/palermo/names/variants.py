"""Spelling variants of one name that officers meet as different strings: particles fused to the next token.

``Ben Ali`` and ``Benali``, ``van Dijk`` and ``Vandijk``, ``El Amrani`` and ``Elamrani`` are the same surname written
with and without the space. Particles are left out of a name's core tokens, so without the fused variant the two
forms would never be compared token for token. Matching and retrieval therefore consider every name together with
its variants; the best pair wins, as with aliases.
"""

from __future__ import annotations

from collections.abc import Iterable

from palermo.names.tokens import PreparedName, prepare_name


def fused_particles(name: PreparedName) -> str | None:
    """The name with each particle joined to the token after it, or ``None`` when it has no such particle."""
    tokens = name.tokens
    if not any(t.particle for t in tokens[:-1]):
        return None
    words: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.particle and index + 1 < len(tokens) and not tokens[index + 1].particle:
            words.append(token.native + tokens[index + 1].native)
            index += 2
        else:
            words.append(token.native)
            index += 1
    return " ".join(words)


def with_variants(names: Iterable[str | PreparedName]) -> list[PreparedName]:
    """Every name prepared, each followed by its fused-particle variant when it has one."""
    prepared: list[PreparedName] = []
    for name in names:
        item = name if isinstance(name, PreparedName) else prepare_name(name)
        prepared.append(item)
        fused = fused_particles(item)
        if fused is not None:
            prepared.append(prepare_name(fused))
    return prepared
