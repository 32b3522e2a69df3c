"""Phone numbers to E.164 with the ``phonenumbers`` library (Google's libphonenumber metadata)."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers


@lru_cache(maxsize=200_000)
def to_e164(raw: str, region: str | None) -> str:
    """Normalise ``raw`` to E.164. A number without ``+`` needs ``region`` (ISO 3166 alpha-2).

    Raises ``ValueError`` with the reason when the number cannot be parsed or is not a valid number.
    """
    text = raw.strip()
    if not text.startswith(("+", "00")) and region is None:
        raise ValueError(
            f"{raw!r} has no international prefix and the source has no phone region "
            "(give the number as +<country code>..., or set the source's phone region)"
        )
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{raw!r} is not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{raw!r} is not a valid phone number for its country code")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
