"""Taxonomies as data: YAML files in this folder, loaded into typed, immutable objects.

Code refers to terms by id (``taxonomy("handling_codes").require("H2")``); nothing else hard-codes a vocabulary.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from palermo.config_files import parse_yaml
from palermo.errors import InvalidInput, NotFound


class Term(BaseModel):
    """One entry of a taxonomy. Fields beyond id/label/description are kept in ``attributes``."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    description: str = ""
    attributes: dict[str, Any] = Field(default_factory=dict)


class Taxonomy(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    source: str
    terms: tuple[Term, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.terms)

    def get(self, term_id: str) -> Term | None:
        return next((t for t in self.terms if t.id == term_id), None)

    def require(self, term_id: str) -> Term:
        """The term with this id, or an :class:`InvalidInput` naming the allowed ids."""
        term = self.get(term_id)
        if term is None:
            raise InvalidInput(f"unknown {self.name} value {term_id!r}; expected one of: {', '.join(self.ids)}")
        return term


def available() -> list[str]:
    """Names of every taxonomy shipped with Palermo."""
    folder = resources.files(__package__)
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def _term(raw: dict[str, Any]) -> Term:
    known = {"id", "label", "description"}
    return Term(
        id=str(raw["id"]),
        label=str(raw.get("label", raw["id"])),
        description=str(raw.get("description", "")),
        attributes={k: v for k, v in raw.items() if k not in known},
    )


@cache
def taxonomy(name: str) -> Taxonomy:
    """Load one taxonomy by file name (without ``.yaml``); cached for the process."""
    path = resources.files(__package__) / f"{name}.yaml"
    if not path.is_file():
        raise NotFound(f"no taxonomy named {name!r}; available: {', '.join(available())}")
    raw = parse_yaml(path.read_text(encoding="utf-8"))
    return Taxonomy(
        name=raw["name"],
        description=raw["description"],
        source=raw["source"],
        terms=tuple(_term(t) for t in raw["terms"]),
    )
