"""FollowTheMoney ``Person`` entities (OpenSanctions, Aleph) as watchlist entries.

Parsed directly from the JSON rather than with the ``followthemoney`` library: screening needs a dozen stable
properties of one schema, and the library would bring its model, ICU and a large dependency tree into the node
for that. Both the flat form (``entities.ftm.json``: properties hold strings) and the nested form
(``targets.nested.json``: ``identification``/``passport`` hold nested ``Identification``/``Passport`` entities) load.
Entities of other schemata are skipped, not rejected, except the ``Passport``/``Identification`` entities of flat
exports, whose numbers join their ``holder``'s entry (:func:`holder_documents`). Delta lines (``{"op": "ADD" |
"MOD" | "DEL", "entity": ...}``, as yente and OpenSanctions' delta files write them) are unwrapped by the loader.

Nothing an entity says is dropped silently: an oversized entity is trimmed (names beyond :data:`MAX_NAMES`, names
longer than :data:`MAX_NAME_LENGTH`), a country code nothing knows is left out, each with a warning on the entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from palermo.errors import InvalidInput
from palermo.screening.entries import MAX_NAME_LENGTH, MAX_NAMES, EntrySpec, build_entry
from palermo.taxonomies.countries import normalise_country

PERSON_SCHEMATA = frozenset({"Person"})
NAME_PROPERTIES = ("name", "alias", "previousName")
DOCUMENT_PROPERTIES = ("passportNumber", "idNumber")
NESTED_DOCUMENTS = ("identification", "passport", "identificationHolder")
DOCUMENT_SCHEMATA = frozenset({"Passport", "Identification"})
#: the parts of a name, in the order they make a full name when an entity has no ``name``
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
#: FtM country codes that neither ISO 3166 nor ICAO know, and what they stand for in Palermo
FTM_COUNTRIES = {"XK": "RKS", "XKX": "RKS", "EU": "EUE"}
#: a label in front of an identifier ("TIN: 183111242572", "Passport No.: 123"): the number is what matches
_NUMBER_LABEL = re.compile(r"^[^\W\d][\w .()/-]{0,40}?:\s*(?=\w)")
_DOCUMENT_LINE = re.compile(r'"schema"\s*:\s*"(?:Passport|Identification)"')
#: OpenSanctions topics, most specific first, and the watchlist category each implies
TOPIC_CATEGORIES = (
    ("wanted", "wanted"),
    ("crime.traffick", "suspect"),
    ("crime", "suspect"),
    ("role.rca", "associate"),
    ("sanction", "suspect"),
)


def is_ftm(row: dict[str, Any]) -> bool:
    """Whether a JSON object is a FollowTheMoney entity (``schema`` and ``properties``) rather than a flat row."""
    return isinstance(row.get("schema"), str) and isinstance(row.get("properties"), dict)


def is_person(row: dict[str, Any]) -> bool:
    return row.get("schema") in PERSON_SCHEMATA


def _strings(properties: dict[str, Any], name: str) -> list[str]:
    values = properties.get(name)
    if not values:  # most properties of most entities are absent
        return []
    if not isinstance(values, list):
        raise InvalidInput(f"property {name!r} must be a list, got {type(values).__name__}")
    return [text for v in values if isinstance(v, str) and (text := v.strip())]


def bare_number(value: str) -> str:
    """An identifier without a label in front of it (``TIN: 183111242572`` -> ``183111242572``)."""
    return _NUMBER_LABEL.sub("", value).strip()


def _nested_numbers(properties: dict[str, Any]) -> list[str]:
    numbers: list[str] = []
    for name in NESTED_DOCUMENTS:
        for value in properties.get(name) or []:
            if isinstance(value, dict) and isinstance(value.get("properties"), dict):
                numbers += _strings(value["properties"], "number")
    return numbers


def country_code(value: str) -> str | None:
    """The stored code of an FtM country value: ISO/ICAO codes, FtM's own (``xk`` Kosovo, ``eu``), historic ISO
    3166-3 codes (``suhh``), and territories as their country (``ua-dpr`` -> UKR); ``None`` when none applies."""
    upper = value.strip().upper()
    if upper in FTM_COUNTRIES:
        return FTM_COUNTRIES[upper]
    for candidate in (upper, upper.partition("-")[0]):
        try:
            return normalise_country(candidate)
        except InvalidInput:
            continue
    return None


def _countries(values: list[str], warnings: list[str]) -> list[str]:
    known = []
    for value in values:
        code = country_code(value)
        if code is None:
            warnings.append(f"country code {value!r} is not known (ISO 3166, ICAO or FtM): left out")
        elif code not in known:
            known.append(code)
    return known


def _within_limits(names: list[str], what: str, warnings: list[str]) -> list[str]:
    long = [n for n in names if len(n) > MAX_NAME_LENGTH]
    if long:
        warnings.append(f"{len(long)} {what}(s) longer than {MAX_NAME_LENGTH} characters left out")
        names = [n for n in names if len(n) <= MAX_NAME_LENGTH]
    if len(names) > MAX_NAMES:
        warnings.append(f"{len(names)} {what}s: the first {MAX_NAMES} kept")
        names = names[:MAX_NAMES]
    return names


#: the properties of a person a watchlist entry is made of (nested documents apart)
_OTHER_READ = ("notes", "summary", "nationality", "citizenship", "country", "weakAlias", "birthDate", "gender")
_READ = frozenset((*NAME_PROPERTIES, *NAME_PARTS, *DOCUMENT_PROPERTIES, *_OTHER_READ, "topics", "program"))
_NONE: list[str] = []


def _texts(props: dict[str, Any]) -> dict[str, list[str]]:
    """The non-empty strings of every property an entry is made of, by property: one pass over the few properties an
    entity has, not one lookup for each of the many it may have."""
    return {name: _strings(props, name) for name in props.keys() & _READ}


def _names(texts: dict[str, list[str]], warnings: list[str]) -> list[str]:
    names = list(dict.fromkeys(n for prop in NAME_PROPERTIES for n in texts.get(prop, _NONE)))
    if not names:
        parts = [part for prop in NAME_PARTS for part in texts.get(prop, _NONE)[:1]]
        names = [" ".join(parts)] if parts else []
    return _within_limits(names, "name", warnings)


def _category(topics: list[str]) -> str | None:
    for topic, category in TOPIC_CATEGORIES:
        if topic in topics:
            return category
    return None


def ftm_entry(entity: dict[str, Any], documents: list[str] | None = None) -> EntrySpec:
    """The :class:`EntrySpec` of one ``Person`` entity (with ``documents``: numbers of its holder's separate
    identification entities); :class:`InvalidInput` when it cannot be one."""
    props: dict[str, Any] = entity["properties"]
    texts = _texts(props)
    warnings: list[str] = []
    names = _names(texts, warnings)
    notes = texts.get("notes") or texts.get("summary", _NONE)
    nationalities = _countries(texts.get("nationality", _NONE) + texts.get("citizenship", _NONE), warnings)
    if not nationalities:  # a person's "country" is the country they are tied to: the best there is then
        nationalities = _countries(texts.get("country", _NONE), warnings)
    numbers = [n for prop in DOCUMENT_PROPERTIES for n in texts.get(prop, _NONE)] + _nested_numbers(props)
    row = {
        "id": entity.get("id"),
        "name": names[0] if names else None,
        "aliases": names[1:],
        "weak_aliases": _within_limits(texts.get("weakAlias", _NONE), "weak alias", warnings),
        "birth_date": [v[:10] for v in texts.get("birthDate", _NONE)],  # every date; a time, if any, does not count
        "nationality": nationalities,
        "sex": next(iter(texts.get("gender", _NONE)), None),
        "document_numbers": [b for n in [*numbers, *(documents or [])] if (b := bare_number(n))],
        "category": _category(texts.get("topics", _NONE)),
        "reason": "; ".join(notes[:1] + texts.get("program", _NONE)[:1]) or None,
    }
    spec = build_entry(row)
    return replace(spec, warnings=tuple(warnings)) if warnings else spec


def delta(row: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """``(op, entity)`` of a delta line (``{"op": "ADD", "entity": {...}}``), else ``None``."""
    op, entity = row.get("op"), row.get("entity")
    if isinstance(op, str) and isinstance(entity, dict) and set(row) <= {"op", "entity"}:
        if op.upper() not in ("ADD", "MOD", "DEL"):
            raise InvalidInput(f"delta op {op!r} is not ADD, MOD or DEL")
        return op.upper(), entity
    return None


def holder_documents(path: Path, encoding: str) -> dict[str, list[str]]:
    """The numbers of a flat export's ``Passport``/``Identification`` entities, by holder id (one quick pass over
    the file; only lines naming those schemata are parsed)."""
    found: dict[str, list[str]] = {}
    with path.open(encoding=encoding, errors="replace") as lines:
        for line in lines:
            if not _DOCUMENT_LINE.search(line):
                continue
            try:
                entity = json.loads(line)
                entity = (delta(entity) or ("ADD", entity))[1] if isinstance(entity, dict) else {}
                props = entity.get("properties")
                if entity.get("schema") not in DOCUMENT_SCHEMATA or not isinstance(props, dict):
                    continue
                numbers = [b for n in _strings(props, "number") if (b := bare_number(n))]
                holders = _strings(props, "holder")
            except (ValueError, InvalidInput):
                continue  # the loader reports the line when it reads it
            for holder in holders:
                found.setdefault(holder, []).extend(numbers)
    return found
