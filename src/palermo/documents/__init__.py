"""Travel documents: ICAO Doc 9303 MRZ reading and generation, document checks, the lost/stolen registry.

Call :func:`check_document` for the whole answer; the pieces are importable on their own.
"""

from palermo.documents.check_document import check_document
from palermo.documents.lost_stolen import LoadReport, LostStolenRegistry
from palermo.documents.models import Check, DocumentCheckResult, MrzReading, RegistryHit, VisualZone
from palermo.documents.mrz_formats import MrzFormatName
from palermo.documents.mrz_generate import MrzSpec, break_check_digit, make_mrz
from palermo.documents.mrz_parse import MrzUnreadable, parse_mrz

__all__ = [
    "Check",
    "DocumentCheckResult",
    "LoadReport",
    "LostStolenRegistry",
    "MrzFormatName",
    "MrzReading",
    "MrzSpec",
    "MrzUnreadable",
    "RegistryHit",
    "VisualZone",
    "break_check_digit",
    "check_document",
    "make_mrz",
    "parse_mrz",
]
