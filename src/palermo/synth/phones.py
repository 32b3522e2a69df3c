"""Valid mobile phone numbers per country, in E.164, from libphonenumber's example numbers."""

from __future__ import annotations

import random
from functools import cache, lru_cache

import phonenumbers

from palermo.errors import ConfigurationError

_ATTEMPTS = 20


@cache
def _example(region: str) -> tuple[str, str]:
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if number is None:
        number = phonenumbers.example_number(region)
    if number is None:
        raise ConfigurationError(f"libphonenumber has no example number for region {region!r}")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164[:-6], e164  # keep the country code and mobile prefix, vary the last six digits


@lru_cache(maxsize=200_000)
def _valid(candidate: str) -> bool:
    return bool(phonenumbers.is_valid_number(phonenumbers.parse(candidate, None)))


def mobile_number(rng: random.Random, region: str) -> str:
    """A valid mobile number of ``region`` (ISO 3166 alpha-2) in E.164."""
    head, example = _example(region)
    for _ in range(_ATTEMPTS):
        candidate = f"{head}{rng.randrange(1_000_000):06d}"
        if _valid(candidate):
            return candidate
    return example
