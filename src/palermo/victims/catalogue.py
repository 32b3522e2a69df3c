"""The ILO/EC operational indicators as typed data: the six dimensions, the four lists, each indicator's strength.

Read from the taxonomies ``victim_indicator_dimensions``, ``victim_indicator_lists`` and ``victim_indicators``; an
indicator belongs to a list when it states a strength for it. Nothing here reads the store.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from palermo.errors import ConfigurationError, InvalidInput
from palermo.taxonomies import taxonomy

Strength = Literal["strong", "medium", "weak"]
Element = Literal["action", "means", "purpose"]
STRENGTHS: tuple[Strength, ...] = ("strong", "medium", "weak")


class Dimension(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    element: Element


class ListedIndicator(BaseModel):
    """An indicator as it stands on one list: its dimension and its strength there."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    description: str
    dimension: str
    strength: Strength


class IndicatorList(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    population: Literal["adult", "child"]
    exploitation: Literal["labour", "sexual"]
    indicators: tuple[ListedIndicator, ...]

    def indicator(self, indicator_id: str) -> ListedIndicator:
        """The indicator on this list, or an :class:`InvalidInput` saying where to find the list's ids."""
        found = next((i for i in self.indicators if i.id == indicator_id), None)
        if found is None:
            raise InvalidInput(
                f"indicator {indicator_id!r} is not on the {self.id} list; "
                f"`palermo victims indicators --list {self.id}` lists its {len(self.indicators)} indicators",
                field="observations",
            )
        return found


@cache
def dimensions() -> tuple[Dimension, ...]:
    """The six dimensions in declared order."""
    return tuple(
        Dimension(id=t.id, label=t.label, element=t.attributes["element"])
        for t in taxonomy("victim_indicator_dimensions").terms
    )


@cache
def indicator_list(list_id: str) -> IndicatorList:
    """One of the four lists (``adult_labour``, ``adult_sexual``, ``child_labour``, ``child_sexual``)."""
    term = taxonomy("victim_indicator_lists").require(list_id)
    known = {d.id for d in dimensions()}
    listed = []
    for indicator in taxonomy("victim_indicators").terms:
        strength = indicator.attributes["strength"].get(list_id)
        dimension = indicator.attributes["dimension"]
        if dimension not in known or strength not in (*STRENGTHS, None):
            raise ConfigurationError(f"victim indicator {indicator.id!r}: bad dimension or strength")
        if strength is not None:
            listed.append(
                ListedIndicator(
                    id=indicator.id,
                    label=indicator.label,
                    description=indicator.description,
                    dimension=dimension,
                    strength=strength,
                )
            )
    return IndicatorList(
        id=term.id,
        label=term.label,
        population=term.attributes["population"],
        exploitation=term.attributes["exploitation"],
        indicators=tuple(listed),
    )


def list_for(population: str, exploitation: str) -> IndicatorList:
    """The list for a population (adult, child) and a form of exploitation (labour, sexual)."""
    if population not in ("adult", "child") or exploitation not in ("labour", "sexual"):
        raise InvalidInput("an assessment is of an adult or a child, for labour or sexual exploitation")
    return indicator_list(f"{population}_{exploitation}")
