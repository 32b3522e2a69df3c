"""FollowTheMoney ``Person`` entities (OpenSanctions, Aleph) as watchlist entries.

Parsed directly from the JSON rather than with the ``followthemoney`` library: screening needs a dozen stable
properties of one schema, and the library would bring its model, ICU and a large dependency tree into the node
for that. Both the flat form (``entities.ftm.json``: properties hold strings) and the nested form
(``targets.nested.json``: ``identification``/``passport`` hold nested ``Identification``/``Passport`` entities) load.
Entities of other schemata are skipped, not rejected.
"""

from __future__ import annotations

from typing import Any

from palermo.errors import InvalidInput
from palermo.screening.entries import EntrySpec, build_entry
from palermo.taxonomies.countries import normalise_country

PERSON_SCHEMATA = frozenset({"Person"})
NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")
DOCUMENT_PROPERTIES = ("passportNumber", "idNumber")
NESTED_DOCUMENTS = ("identification", "passport", "identificationHolder")
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
    values = properties.get(name) or []
    if not isinstance(values, list):
        raise InvalidInput(f"property {name!r} must be a list, got {type(values).__name__}")
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _nested_numbers(properties: dict[str, Any]) -> list[str]:
    numbers: list[str] = []
    for name in NESTED_DOCUMENTS:
        for value in properties.get(name) or []:
            if isinstance(value, dict) and isinstance(value.get("properties"), dict):
                numbers += _strings(value["properties"], "number")
    return numbers


def _known_countries(values: list[str]) -> list[str]:
    """FtM country codes that ISO 3166/ICAO know (historic codes such as ``suhh`` are dropped, not rejected)."""
    known = []
    for value in values:
        try:
            known.append(normalise_country(value))
        except InvalidInput:
            continue
    return known


def _category(topics: list[str]) -> str | None:
    for topic, category in TOPIC_CATEGORIES:
        if topic in topics:
            return category
    return None


def _birth_date(values: list[str]) -> str | None:
    """The most precise of the entity's dates of birth (FtM dates may carry a time; only the date counts)."""
    dates = sorted((v[:10] for v in values), key=len, reverse=True)
    return dates[0] if dates else None


def ftm_entry(entity: dict[str, Any]) -> EntrySpec:
    """The :class:`EntrySpec` of one ``Person`` entity; :class:`InvalidInput` when it cannot be one."""
    props: dict[str, Any] = entity["properties"]
    names = [n for prop in NAME_PROPERTIES for n in _strings(props, prop)]
    if not names:
        names = [" ".join(_strings(props, "firstName") + _strings(props, "lastName"))]
    notes = _strings(props, "notes") or _strings(props, "summary")
    row = {
        "id": entity.get("id"),
        "name": names[0],
        "aliases": names[1:],
        "birth_date": _birth_date(_strings(props, "birthDate")),
        "nationality": _known_countries(_strings(props, "nationality") + _strings(props, "citizenship")),
        "sex": next(iter(_strings(props, "gender")), None),
        "document_numbers": [n for prop in DOCUMENT_PROPERTIES for n in _strings(props, prop)] + _nested_numbers(props),
        "category": _category(_strings(props, "topics")),
        "reason": "; ".join(notes[:1] + _strings(props, "program")[:1]) or None,
    }
    return build_entry(row)
