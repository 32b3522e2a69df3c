"""Minors: data about a person who may be under the adult age is special category, whatever a source says.

A source's default sensitivity describes the source (border crossings: ordinary), not each person in it; a child
among its travellers is still a child. A person is taken to be a minor when the date of birth allows them to be
under the adult age on the day (a partial date counts young: the latest birth it allows, the presumption of
minority of Directive 2011/36/EU Art. 13(2)), as the victims assessment reads it (``palermo.victims.population``;
the adult age is the victims rule's, ``palermo/victims/decision_rule.yaml``). Ingest stores such a record as
``special``; sharing and hit/no-hit treat a person record as ``special`` while its subject may be a minor.
"""

from __future__ import annotations

import datetime as dt

from palermo.errors import InvalidInput
from palermo.victims.population import youngest_age
from palermo.victims.rule import rule_parameters


def may_be_minor(birth_date: str | None, on: dt.date) -> bool:
    """Whether a person born on ``birth_date`` (full or partial ISO date) may be under the adult age on ``on``."""
    if not birth_date:
        return False
    try:
        return youngest_age(birth_date, on) < rule_parameters().adult_age
    except InvalidInput:
        return False


def sensitivity_of(stated: str, birth_date: str | None, on: dt.date) -> str:
    """``special`` for a possible minor, else the stated sensitivity."""
    return "special" if may_be_minor(birth_date, on) else stated
