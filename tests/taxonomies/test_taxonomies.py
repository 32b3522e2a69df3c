"""Every taxonomy loads, its ids are unique, and the store's check constraints agree with it."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from palermo.db import base
from palermo.errors import InvalidInput, NotFound
from palermo.screening.scoring_config import Decision
from palermo.taxonomies import available, taxonomy
from palermo.taxonomies.countries import icao_special_codes, normalise_country


@pytest.mark.parametrize("name", available())
def test_taxonomy_loads_with_unique_ids_and_a_source(name: str) -> None:
    loaded = taxonomy(name)
    assert loaded.name == name
    assert loaded.source.strip()
    assert len(loaded.ids) == len(set(loaded.ids)) > 0
    # an unquoted comma in a YAML flow mapping splits a description into a stray key ("not verifiable).")
    assert [k for t in loaded.terms for k in t.attributes if not re.fullmatch(r"[a-z][a-z0-9_]*", k)] == []


@pytest.mark.parametrize(
    ("name", "constrained"),
    [
        ("handling_codes", base.HANDLING_CODES),
        ("distributions", base.DISTRIBUTIONS),
        ("source_reliability", base.RELIABILITY_GRADES),
        ("information_credibility", base.CREDIBILITY_GRADES),
        ("sensitivities", base.SENSITIVITIES),
    ],
)
def test_store_constraints_match_the_taxonomy(name: str, constrained: tuple[str, ...]) -> None:
    assert taxonomy(name).ids == constrained


def test_the_console_words_every_screening_decision_and_no_other() -> None:
    decisions = taxonomy("screening_decisions")
    assert decisions.ids == get_args(Decision)
    assert all(term.attributes["headline"] and term.attributes["steps"] for term in decisions.terms)


def test_unknown_term_names_the_allowed_ones() -> None:
    with pytest.raises(InvalidInput, match="unknown handling_codes value 'H7'; expected one of: H0, H1, H2, H3"):
        taxonomy("handling_codes").require("H7")


def test_unknown_taxonomy_is_not_found() -> None:
    with pytest.raises(NotFound):
        taxonomy("colours")


@pytest.mark.parametrize(
    ("given", "stored"),
    [("AT", "AUT"), ("aut", "AUT"), ("D", "DEU"), ("D<<", "DEU"), ("XXA", "XXA"), ("UTO", "UTO"), ("GBD", "GBD")],
)
def test_country_codes_normalise_to_three_letters(given: str, stored: str) -> None:
    assert normalise_country(given) == stored


def test_icao_codes_that_are_iso_codes_are_not_listed_twice() -> None:
    import pycountry

    iso = {c.alpha_3 for c in pycountry.countries}
    assert [code for code in icao_special_codes() if code in iso] == []
