"""A shared person's documents as FtM entities: written with the issuing state, read back exactly, and a malformed
one refused with what is wrong (the item is then refused whole, never stored without it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from palermo.errors import InvalidInput
from palermo.sharing import ftm

PASSPORT = ftm.DocumentParts("passport", "P1234567", "AUT", dt.date(2020, 1, 15), dt.date(2030, 1, 14))
ID_CARD = ftm.DocumentParts("id_card", "ID-0042", "ROU")


def _entities() -> list[dict[str, Any]]:
    return ftm.document_entities(ftm.PersonParts(documents=[PASSPORT, ID_CARD]), holder="plm-holder")


def test_documents_round_trip_with_issuing_state_type_and_dates() -> None:
    entities = _entities()
    assert [e["schema"] for e in entities] == ["Passport", "Identification"]
    assert entities[0]["properties"]["country"] == ["at"]  # ISO alpha-2, as FtM writes countries
    assert [parts for _eid, parts in ftm.document_values("plm-holder", entities)] == [PASSPORT, ID_CARD]
    assert entities == _entities()  # the same ids every time: a re-sent record is not a new document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e["properties"].update(holder=["plm-other"]), "not by the person plm-holder"),
        (lambda e: e["properties"].pop("number"), "a number"),
        (lambda e: e["properties"].pop("country"), "an issuing state"),
        (lambda e: e["properties"].update(country=["zz"]), "document 0"),
        (lambda e: e["properties"].update(startDate=["2020-02-31"]), "document 0"),
        (lambda e: e.update(schema="Person"), "Identification or Passport"),
        (lambda e: e.update(schema="NoSuchSchema"), "not a FollowTheMoney entity"),
    ],
)
def test_a_malformed_document_is_refused_with_the_reason(change: Any, message: str) -> None:
    entities = _entities()
    change(entities[0])
    with pytest.raises(InvalidInput, match=message):
        ftm.document_values("plm-holder", entities)


def test_a_year_alone_is_left_out_rather_than_guessed() -> None:
    entities = _entities()
    entities[0]["properties"]["startDate"] = ["2020"]
    (_eid, parts), _ = ftm.document_values("plm-holder", entities)
    assert parts.issue_date is None
    assert parts.expiry_date == dt.date(2030, 1, 14)
