"""Machine readable zones of the synthetic world's documents, written by :mod:`palermo.documents` (one MRZ
implementation): passports as TD3, identity cards as TD1, lines joined by ``|`` as the ingest format carries them.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from palermo.documents import MrzFormatName, MrzSpec, break_check_digit, make_mrz
from palermo.taxonomies import taxonomy

FORMAT_OF = {"passport": MrzFormatName.TD3, "id_card": MrzFormatName.TD1}
SEPARATOR = "|"


@cache
def _icao_codes() -> dict[str, str]:
    """Alpha-3 codes that ICAO writes otherwise in the MRZ (``DEU`` -> ``D``), from the countries taxonomy."""
    return {str(t.attributes["iso3"]): t.id for t in taxonomy("countries").terms if "iso3" in t.attributes}


def mrz_state(code: str) -> str:
    """The code an MRZ carries for ``code`` (Germany is ``D``; ``make_mrz`` pads it to ``D<<``)."""
    return _icao_codes().get(code, code)


def write(
    document_type: str,
    *,
    number: str,
    issuing_state: str,
    nationality: str,
    surname: str,
    given_names: str,
    birth_date: dt.date,
    sex: str,
    expiry_date: dt.date,
) -> str:
    """The MRZ of a passport (TD3) or an identity card (TD1) with every check digit right."""
    spec = MrzSpec(
        format=FORMAT_OF[document_type],
        issuing_state=mrz_state(issuing_state),
        document_number=number,
        surname=surname,
        given_names=given_names,
        nationality=mrz_state(nationality),
        birth_date=birth_date,
        sex=sex or "<",
        expiry_date=expiry_date,
    )
    return SEPARATOR.join(make_mrz(spec))


def with_wrong_number_check_digit(mrz: str, document_type: str) -> str:
    """The same MRZ with the document number's check digit wrong (a crude counterfeit)."""
    lines = mrz.split(SEPARATOR)
    return SEPARATOR.join(break_check_digit(lines, FORMAT_OF[document_type], "document_number_check_digit"))
