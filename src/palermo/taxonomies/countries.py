"""Country codes: ISO 3166-1 (from pycountry) plus the codes ICAO Doc 9303 uses besides them.

Everything Palermo stores as a country, nationality or issuing state is a three-letter code (or an ICAO special
code such as ``XXA``); :func:`normalise_country` turns what partner data carries into that form.
"""

from __future__ import annotations

from functools import cache

import pycountry

from palermo.errors import InvalidInput
from palermo.taxonomies import taxonomy


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        table[country.alpha_3] = country.alpha_3
        table[country.alpha_2] = country.alpha_3
    for term in taxonomy("countries").terms:
        table[term.id] = str(term.attributes.get("iso3", term.id))
    # Former countries (ISO 3166-3: SUHH, YUCS, CSHH ...) as their old alpha-3 (SUN, YUG, CSK): lists and records
    # of people born before 1992 carry them. Their alpha-2 codes are left out, some are reused (BY, GE, CS).
    for former in pycountry.historic_countries:
        table.setdefault(former.alpha_4, former.alpha_3)
        table.setdefault(former.alpha_3, former.alpha_3)
    return table


def normalise_country(code: str) -> str:
    """Alpha-2, alpha-3 or ICAO code (any case, padded ``D<<`` too), or a former country's ISO 3166-3 code, to the
    stored three-letter form."""
    key = code.strip().upper().rstrip("<")
    try:
        return _table()[key]
    except KeyError:
        raise InvalidInput(
            f"unknown country code {code!r}: expected ISO 3166-1 alpha-2 or alpha-3, or an ICAO Doc 9303 code"
        ) from None


def icao_special_codes() -> dict[str, str]:
    """ICAO 9303 codes that are not ISO 3166-1 alpha-3, with their labels."""
    return {t.id: t.label for t in taxonomy("countries").terms}


@cache
def _icao_state_codes() -> frozenset[str]:
    iso = {country.alpha_3 for country in pycountry.countries}
    return frozenset(iso | set(taxonomy("countries").ids))


def is_icao_state_code(code: str) -> bool:
    """Whether ``code`` (fillers removed, e.g. ``D`` from ``D<<``) may stand in an MRZ state or nationality field."""
    return code.rstrip("<") in _icao_state_codes()


def code_table() -> dict[str, str]:
    """Every accepted code (alpha-2, alpha-3, ICAO) mapped to its stored three-letter form."""
    return dict(_table())
