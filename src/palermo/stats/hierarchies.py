"""Generalisation hierarchies of the released variables: each value can be said more coarsely, up to ``*``.

Level 0 is the value as held; each level up says less; the top level is ``*`` (the variable withheld). The age bands
are CTDC's (0-8, 9-17, 18-20, 21-23, 24-26, 27-29, 30-38, 39-47, 48+), then child / adult; citizenship goes up through
the UN M49 subregion and region (from ``rigour``'s territory data); a year is its own level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from rigour.territories import get_territory

SUPPRESSED = "*"
AGE_BANDS = ((0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47), (48, 200))


def age_band(age: int | None) -> str:
    if age is None:
        return "unknown"
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}" if high < 200 else f"{low}+"
    return "unknown"


def _age_group(band: str) -> str:
    if band == "unknown":
        return band
    return "child" if int(band.split("-")[0].rstrip("+")) < 18 else "adult"


@cache
def _territory(code: str) -> tuple[str, str]:
    """(subregion, region) of an ISO 3166 alpha-3 or alpha-2 code; ``unknown`` for a code rigour does not place."""
    import pycountry

    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else pycountry.countries.get(alpha_2=code)
    territory = get_territory(country.alpha_2.lower()) if country else None
    if territory is None:
        return "unknown", "unknown"
    return territory.subregion or territory.region or "unknown", territory.region or "unknown"


@dataclass(frozen=True)
class Hierarchy:
    """A variable's levels: ``names[level]`` says what a level holds, ``generalise(value, level)`` gives it."""

    variable: str
    names: tuple[str, ...]
    steps: tuple[Callable[[str], str], ...]  # level i+1 from level i

    @property
    def height(self) -> int:
        return len(self.names) - 1

    def generalise(self, value: str, level: int) -> str:
        for step in self.steps[:level]:
            value = step(value)
        return value


def _withheld(_value: str) -> str:
    return SUPPRESSED


#: UN M49 subregion -> region, for the subregions rigour names
_REGION_OF: dict[str, str] = {
    "Northern Africa": "Africa", "Sub-Saharan Africa": "Africa", "Eastern Africa": "Africa", "Middle Africa": "Africa",
    "Southern Africa": "Africa", "Western Africa": "Africa", "Latin America and the Caribbean": "Americas",
    "Northern America": "Americas", "Caribbean": "Americas", "Central America": "Americas", "South America": "Americas",
    "Central Asia": "Asia", "Eastern Asia": "Asia", "South-eastern Asia": "Asia", "Southern Asia": "Asia",
    "Western Asia": "Asia", "Eastern Europe": "Europe", "Northern Europe": "Europe", "Southern Europe": "Europe",
    "Western Europe": "Europe", "Australia and New Zealand": "Oceania", "Melanesia": "Oceania",
    "Micronesia": "Oceania", "Polynesia": "Oceania",
}  # fmt: skip


HIERARCHIES: dict[str, Hierarchy] = {
    "age_band": Hierarchy("age_band", ("CTDC age band", "child or adult", SUPPRESSED), (_age_group, _withheld)),
    "sex": Hierarchy("sex", ("sex", SUPPRESSED), (_withheld,)),
    "citizenship": Hierarchy(
        "citizenship",
        ("country", "UN subregion", "UN region", SUPPRESSED),
        (lambda c: c if c == "unknown" else _territory(c)[0], lambda s: _REGION_OF.get(s, s), _withheld),
    ),
    "exploitation": Hierarchy("exploitation", ("form of exploitation", SUPPRESSED), (_withheld,)),
    "year": Hierarchy("year", ("year", SUPPRESSED), (_withheld,)),
}
