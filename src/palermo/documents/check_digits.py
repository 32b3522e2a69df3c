"""ICAO Doc 9303 Part 3, section 4.9: check digits with the repeating weights 7, 3, 1.

Each character has a value (digits 0-9 their own value, A-Z 10-35, the filler ``<`` 0); the check digit is the sum
of value times weight, modulo 10.
"""

from __future__ import annotations

from palermo.errors import InvalidInput

WEIGHTS = (7, 3, 1)
MRZ_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")


def char_value(char: str) -> int:
    """The value ICAO assigns to one MRZ character."""
    if "0" <= char <= "9":
        return ord(char) - 48
    if "A" <= char <= "Z":
        return ord(char) - 55
    if char == "<":
        return 0
    raise InvalidInput(f"character {char!r} is not an MRZ character (expected A-Z, 0-9 or '<')")


def check_digit(data: str) -> str:
    """The check digit (a character '0'-'9') of ``data``."""
    total = sum(char_value(c) * WEIGHTS[i % 3] for i, c in enumerate(data))
    return str(total % 10)


def is_valid(data: str, digit: str) -> bool:
    """Whether ``digit`` is the check digit of ``data``."""
    return digit.isdigit() and len(digit) == 1 and check_digit(data) == digit
