"""What one record says that rules out another record being the same person: the identity constraints of clustering.

Two records cannot be one identity when

- their **dates of birth clearly conflict**: two full dates that no single recording slip turns into each other (one
  character mistyped or two neighbours transposed, day and month swapped, the year one off with day and month
  agreeing), or, when a date is partial, two years more than one apart (and not one slip apart);
- they come from **the same source with different numbers for the same kind of document of the same issuing
  state** (one source does not hold one person under two passports of one state).

Dates of birth count only where the data bear them out: when the trained model found that one person's records
carry conflicting dates less often than ``date_conflicts_below`` (``config.yaml``; on Palermo's synthetic world 1 in
2,000, on FEBRL, whose generator replaces 5% of dates wholesale, 1 in 16: there they do not rule anything out).

Clustering refuses a union that would put conflicting records into one identity. Links are taken from the
strongest down, so a chain of links that would join two conflicting records is cut at its weakest link, however
strong each link is: namesakes chained through a record without a birth date, for example.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

BirthDate = tuple[int, int | None, int | None]
DocumentSlot = tuple[str, str, str]  # (source, issuing state, document type)


@dataclass(frozen=True)
class Facts:
    """The facts of one record, or of a group of records, that can conflict with another's."""

    birth_dates: frozenset[BirthDate] = frozenset()
    documents: Mapping[DocumentSlot, frozenset[str]] | None = None

    def merged(self, other: Facts) -> Facts:
        documents = dict(self.documents or {})
        for slot, numbers in (other.documents or {}).items():
            documents[slot] = documents.get(slot, frozenset()) | numbers
        return Facts(self.birth_dates | other.birth_dates, documents or None)


NO_FACTS = Facts()


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def birth_date(row: Mapping[str, Any]) -> BirthDate | None:
    """``(year, month, day)`` of a comparison row (month and day ``None`` for partial dates), or ``None``."""
    year = _int(row.get("dob_year"))
    return None if year is None else (year, _int(row.get("dob_month")), _int(row.get("dob_day")))


def facts_of(row: Mapping[str, Any], *, birth_dates: bool = True) -> Facts:
    """The facts of one comparison row (``features.feature_row``): its date of birth (unless ``birth_dates`` is
    false) and its issued documents."""
    born = birth_date(row) if birth_dates else None
    slots: dict[DocumentSlot, frozenset[str]] = {}
    for key in row.get("issued_documents") or ():
        state, kind, number = str(key).split("|", 2)
        slot = (str(row.get("source")), state, kind)
        slots[slot] = slots.get(slot, frozenset()) | {number}
    return Facts(frozenset({born}) if born else frozenset(), slots or None)


def _one_slip(a: str, b: str) -> bool:
    """One substitution, or two neighbouring characters transposed (strings of the same length)."""
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) <= 1:
        return True
    i, j = diffs[0], diffs[-1]
    return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]


def _years_close(a: int, b: int) -> bool:
    return abs(a - b) <= 1 or _one_slip(f"{a:04d}", f"{b:04d}")


def dates_conflict(a: BirthDate, b: BirthDate) -> bool:
    """Whether two dates of birth cannot belong to one person (see the module docstring)."""
    if None in a or None in b:  # a partial date: only the years can conflict
        return not _years_close(a[0], b[0])
    (ya, ma, da), (yb, mb, db) = a, b
    if (ma, da) == (mb, db) and abs(ya - yb) <= 1:
        return False
    if ya == yb and (ma, da) == (db, mb):
        return False
    return not _one_slip(_date(a), _date(b))


def conflict(a: Facts, b: Facts) -> str | None:
    """Why records with facts ``a`` and ``b`` cannot be one person, in words; ``None`` when nothing conflicts."""
    for x in a.birth_dates:
        for y in b.birth_dates:
            if dates_conflict(x, y):
                return f"dates of birth {_date(x)} and {_date(y)} conflict"
    if a.documents and b.documents:
        for slot, numbers in a.documents.items():
            others = b.documents.get(slot)
            if others and not numbers & others:
                source, state, kind = slot
                return f"{source} holds different {kind} numbers of {state} ({min(numbers)}, {min(others)})"
    return None


def _date(value: BirthDate) -> str:
    year, month, day = value
    return "-".join([f"{year:04d}", *(f"{p:02d}" for p in (month, day) if p is not None)])


def facts_by_record(rows: Iterable[Mapping[str, Any]], *, birth_dates: bool = True) -> dict[int, Facts]:
    """The facts of every comparison row that has any, by record id."""
    facts = {}
    for row in rows:
        found = facts_of(row, birth_dates=birth_dates)
        if found != NO_FACTS:
            facts[int(row["unique_id"])] = found
    return facts
