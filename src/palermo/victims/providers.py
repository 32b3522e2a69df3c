"""Service providers (shelters, legal aid, medical, return and reintegration, child protection): reference data.

Loaded from a CSV file (docs/victims.md, "Providers file"), one row per provider, keyed by ``key``: a re-load updates
the rows whose values changed and leaves the rest; a file with any bad row is refused whole, every problem named
with its line, and nothing is written. Providers hold no personal data; listing them needs ``victims.providers``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.victims import VictimServiceProvider
from palermo.errors import InvalidInput, NotFound, PalermoError
from palermo.taxonomies import taxonomy
from palermo.taxonomies.countries import normalise_country

COLUMNS = ("key", "name", "services", "country", "area", "contact", "languages", "serves_children", "active")
REQUIRED = ("key", "name", "services", "country", "contact")
KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
YES, NO = ("yes", "true", "1"), ("no", "false", "0")
MAX_PROBLEMS = 20


class ProviderView(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    services: list[str]
    country: str
    area: str | None
    contact: str
    languages: list[str]
    serves_children: bool
    active: bool


class ProvidersLoaded(BaseModel):
    model_config = ConfigDict(frozen=True)

    inserted: int
    updated: int
    unchanged: int


def view_of(row: VictimServiceProvider) -> ProviderView:
    return ProviderView(
        key=row.key,
        name=row.name,
        services=list(row.services),
        country=row.country,
        area=row.area,
        contact=row.contact,
        languages=list(row.languages),
        serves_children=row.serves_children,
        active=row.active,
    )


def _flag(value: str, default: bool, column: str) -> bool:
    text = value.strip().lower()
    if not text:
        return default
    if text in YES or text in NO:
        return text in YES
    raise InvalidInput(f"{column} is yes or no, got {value!r}")


def _parse(row: dict[str, str]) -> dict[str, Any]:
    missing = [c for c in REQUIRED if not (row.get(c) or "").strip()]
    if missing:
        raise InvalidInput(f"missing {', '.join(missing)}")
    key = row["key"].strip()
    if not KEY.match(key):
        raise InvalidInput(f"key {key!r} is 1-64 lower-case letters, digits, '.', '_' or '-'")
    services = [s.strip() for s in row["services"].split(";") if s.strip()]
    for service in services:
        taxonomy("victim_services").require(service)
    languages = [x.strip() for x in (row.get("languages") or "").split(";") if x.strip()]
    return {
        "key": key,
        "name": row["name"].strip()[:300],
        "services": services,
        "country": normalise_country(row["country"]),
        "area": (row.get("area") or "").strip()[:200] or None,
        "contact": row["contact"].strip(),
        "languages": languages,
        "serves_children": _flag(row.get("serves_children") or "", False, "serves_children"),
        "active": _flag(row.get("active") or "", True, "active"),
    }


def read_providers(path: Path) -> list[dict[str, Any]]:
    """The file's providers, or one :class:`InvalidInput` naming every bad line (at most 20)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            unknown = [c for c in header if c not in COLUMNS]
            absent = [c for c in REQUIRED if c not in header]
            if unknown or absent:
                raise InvalidInput(
                    f"{path.name}: columns are {', '.join(COLUMNS)}"
                    + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                    + (f"; missing: {', '.join(absent)}" if absent else "")
                )
            rows, problems, seen = [], [], set()
            for line, raw in enumerate(reader, start=2):
                try:
                    parsed = _parse(raw)
                    if parsed["key"] in seen:
                        raise InvalidInput(f"key {parsed['key']!r} appears twice")
                    seen.add(parsed["key"])
                    rows.append(parsed)
                except PalermoError as exc:
                    problems.append(f"line {line}: {exc.message}")
    except FileNotFoundError:
        raise NotFound(f"no providers file {path}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text") from None
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS])
        raise InvalidInput(f"{path.name}: nothing loaded, {len(problems)} bad rows: {shown}")
    if not rows:
        raise InvalidInput(f"{path.name} holds no providers")
    return rows


def load_providers(session: Session, actor: Actor, path: Path) -> ProvidersLoaded:
    """Insert or update the providers of ``path`` by key (``victims.providers_load``)."""
    guard(session, actor, "victims.providers_load", subject="victim_service_providers")
    rows = read_providers(path)
    existing = {p.key: p for p in session.scalars(select(VictimServiceProvider))}
    inserted = updated = 0
    for values in rows:
        current = existing.get(values["key"])
        if current is None:
            session.add(VictimServiceProvider(**values, loaded_by=actor.name))
            inserted += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.loaded_by = actor.name
            updated += 1
    session.flush()
    return ProvidersLoaded(inserted=inserted, updated=updated, unchanged=len(rows) - inserted - updated)


def list_providers(
    session: Session, actor: Actor, *, service: str | None = None, include_inactive: bool = False
) -> list[ProviderView]:
    """Providers by key, optionally those offering ``service``; active ones only unless asked."""
    guard(session, actor, "victims.providers", subject="victim_service_providers")
    if service is not None:
        taxonomy("victim_services").require(service)
    query = select(VictimServiceProvider).order_by(VictimServiceProvider.key)
    query = query if include_inactive else query.where(VictimServiceProvider.active.is_(True))
    found = [view_of(p) for p in session.scalars(query)]
    return [p for p in found if service is None or service in p.services]


def provider_by_key(session: Session, key: str) -> VictimServiceProvider:
    found = session.scalars(select(VictimServiceProvider).where(VictimServiceProvider.key == key)).first()
    if found is None:
        raise NotFound(f"no service provider {key!r}; `palermo victims providers list` lists them")
    return found
