"""Romanisation of Cyrillic and Greek names by the schemes officers meet, and diacritic stripping.

Tables live in ``data/names.yaml``: ICAO 9303 (the passport scheme), BGN/PCGN, German and French styles for
Cyrillic; ELOT 743 and a phonetic style for Greek. Each scheme is the ICAO/ELOT table with its own overrides.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from palermo.synth.config import load_yaml

_STRIP_EXTRA = {"đ": "d", "Đ": "D", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss"}
_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}


@cache
def _tables() -> dict[str, dict[str, str]]:
    raw = load_yaml("names.yaml")
    icao = {str(k): str(v or "") for k, v in raw["cyrillic"]["icao"].items()}
    elot = {str(k): str(v or "") for k, v in raw["greek"]["elot"].items()}
    tables = {"cyrillic:icao": icao, "greek:elot": elot}
    for scheme in ("bgn", "german", "french"):
        tables[f"cyrillic:{scheme}"] = {**icao, **{str(k): str(v or "") for k, v in raw["cyrillic"][scheme].items()}}
    tables["greek:phonetic"] = {**elot, **{str(k): str(v) for k, v in raw["greek"]["phonetic"].items()}}
    tables["greek:elot:digraphs"] = {str(k): str(v) for k, v in raw["greek"]["digraphs_elot"].items()}
    tables["greek:phonetic:digraphs"] = {str(k): str(v) for k, v in raw["greek"]["digraphs_phonetic"].items()}
    return tables


def schemes(script: str) -> tuple[str, ...]:
    """The romanisation schemes of a script, the document (ICAO/ELOT) scheme first."""
    return ("icao", "bgn", "german", "french") if script == "cyrillic" else ("elot", "phonetic")


@cache
def romanise(text: str, script: str, scheme: str) -> str:
    """``text`` in Cyrillic or Greek romanised by ``scheme``; capitalisation follows the source."""
    table = _tables()[f"{script}:{scheme}"]
    digraphs = _tables().get(f"{script}:{scheme}:digraphs", {})
    out: list[str] = []
    lower = text.lower()
    i = 0
    while i < len(text):
        pair = lower[i : i + 2]
        if pair in digraphs:
            piece, step = digraphs[pair], 2
        else:
            piece, step = table.get(lower[i], lower[i]), 1
        if text[i].isupper() and piece:
            piece = piece[0].upper() + piece[1:]
        out.append(piece)
        i += step
    return "".join(out)


@cache
def strip_diacritics(text: str) -> str:
    """Latin text without diacritics, as in an MRZ: ``Nguyễn`` -> ``Nguyen``, ``Đặng`` -> ``Dang``."""
    replaced = "".join(_STRIP_EXTRA.get(c, c) for c in text)
    decomposed = unicodedata.normalize("NFKD", replaced)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def latin_variants(text: str) -> tuple[str, ...]:
    """Spellings of a Latin-script name officers meet: as written, German umlaut expansion, stripped."""
    variants = [text]
    if any(c in _GERMAN for c in text):
        variants.append("".join(_GERMAN.get(c, c) for c in text))
    variants.append(strip_diacritics(text))
    return tuple(dict.fromkeys(variants))
