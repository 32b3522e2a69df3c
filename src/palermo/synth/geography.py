"""Countries, real border crossing points and carriers of the synthetic world (``data/geography.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from palermo.synth.config import load_yaml


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    region: str
    locale: str
    names: str
    currency: str
    visa_required: bool


@dataclass(frozen=True, slots=True)
class BorderPoint:
    code: str
    name: str
    country: str
    kind: str
    latitude: float
    longitude: float
    serves_from: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Carrier:
    name: str
    prefix: str


@dataclass(frozen=True)
class Geography:
    countries: dict[str, Country]
    points: tuple[BorderPoint, ...]
    carriers: dict[str, tuple[Carrier, ...]]

    def country(self, code: str) -> Country:
        return self.countries[code]

    def airports(self, country: str) -> tuple[BorderPoint, ...]:
        return tuple(p for p in self.points if p.country == country and p.kind == "air")

    def surface_points(self, country: str, origin: str) -> tuple[BorderPoint, ...]:
        """Land, rail and sea crossings of ``country`` that journeys from ``origin`` use."""
        return tuple(p for p in self.points if p.country == country and origin in p.serves_from)


@cache
def geography() -> Geography:
    raw = load_yaml("geography.yaml")
    visa = set(raw["visa_required"])
    countries = {
        c["code"]: Country(c["code"], c["region"], c["locale"], c["names"], c["currency"], c["code"] in visa)
        for c in raw["countries"]
    }
    points = tuple(
        BorderPoint(
            p["code"], p["name"], p["country"], p["kind"], float(p["lat"]), float(p["lon"]), tuple(p.get("from", ()))
        )
        for p in raw["border_points"]
    )
    carriers = {mode: tuple(Carrier(n, pre) for n, pre in rows) for mode, rows in raw["carriers"].items()}
    return Geography(countries, points, carriers)
