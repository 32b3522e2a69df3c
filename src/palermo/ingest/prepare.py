"""Turn raw rows into prepared items: validate, build table values, apply provenance, hash the content.

Preparing is pure computation with no database access, so a batch can be prepared in a worker process while the
main process writes the previous one (the two cores of a small node both work). Everything here is picklable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from palermo.ingest.formats import PersonRow, RecordRow
from palermo.ingest.kinds import KINDS, Built, Ref
from palermo.ingest.readers import BadLine, RawRow
from palermo.ingest.sources import SourceDefaults
from palermo.persons.minors import sensitivity_of


@dataclass
class Item:
    """A valid row, ready to be resolved and written."""

    line: int
    key: str
    raw: Any
    built: Built
    digest: bytes  # content hash of values and children, before references are resolved


@dataclass
class Rejection:
    line: int
    field: str | None
    reason: str
    raw: Any


@dataclass(frozen=True)
class PrepareContext:
    kind: str
    source: SourceDefaults
    max_field_length: int


def provenance(row: RecordRow, source: SourceDefaults) -> dict[str, Any]:
    """The provenance columns of a row: its own overrides, else the source's defaults."""
    handling = row.handling or source.handling
    distribution = row.distribution or source.distribution
    values = {
        "source_id": source.id,
        "source_key": row.source_key,
        "originator": row.originator or source.agency_code,
        "handling": handling,
        "handling_note": row.handling_note or (source.handling_note if handling == source.handling else None),
        "distribution": distribution,
        "sharing_group": row.sharing_group or (source.sharing_group if distribution == source.distribution else None),
        "source_reliability": row.source_reliability or source.reliability,
        "information_credibility": row.information_credibility or source.credibility,
        "sensitivity": row.sensitivity or source.sensitivity,
        "review_at": row.review_at,
        "delete_at": row.delete_at,
    }
    if isinstance(row, PersonRow):  # a child among a source's travellers is special data whatever the default
        values["sensitivity"] = sensitivity_of(
            str(values["sensitivity"]), row.birth_date, dt.datetime.now(dt.UTC).date()
        )
    if handling == "H3" and not values["handling_note"]:
        raise ValueError("handling H3 needs a handling_note saying the restriction")
    if distribution == "group" and not values["sharing_group"]:
        raise ValueError("distribution 'group' needs a sharing_group")
    return values


def content_digest(values: dict[str, Any], children: dict[str, list[dict[str, Any]]]) -> bytes:
    """Hash of what a row writes. ``repr`` of sorted items: str, int, Decimal, date and datetime have stable
    reprs, and it is several times cheaper than JSON on this hot path."""
    payload = repr((sorted(values.items()), sorted((k, [sorted(c.items()) for c in v]) for k, v in children.items())))
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Empty strings are absent values (CSV has no null)."""
    return {k: v for k, v in fields.items() if v != "" and not (isinstance(v, str) and v.isspace())}


def _has_nul(value: Any) -> bool:
    """Whether a value (text, or the lists and objects of a JSON line) holds U+0000, which no store column takes."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def prepare_row(raw: RawRow, context: PrepareContext) -> Item | Rejection:
    for name, value in raw.fields.items():
        if isinstance(value, str) and len(value) > context.max_field_length:
            reason = f"value is {len(value)} characters long, the limit is {context.max_field_length}"
            return Rejection(raw.line, name, reason, raw.fields)
        if _has_nul(value):
            reason = "value contains a NUL character (U+0000), which no field accepts"
            return Rejection(raw.line, name, reason, raw.fields)
    spec = KINDS[context.kind]
    try:
        row = spec.model.model_validate(_clean(raw.fields), context={"phone_region": context.source.phone_region})
        built = spec.build(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        reason = first["msg"].removeprefix("Value error, ")
        more = len(exc.errors()) - 1
        return Rejection(raw.line, field, reason + (f" (and {more} more problem(s))" if more else ""), raw.fields)
    try:
        built.values.update(provenance(row, context.source))
    except ValueError as exc:
        return Rejection(raw.line, "handling", str(exc), raw.fields)
    for column in spec.ref_columns:
        built.values.setdefault(column, None)
    return Item(raw.line, row.source_key, raw.fields, built, content_digest(built.values, built.children))


Wire = tuple[Any, ...]


def to_wire(item: Item, position: int) -> Wire:
    """Plain tuples pickle far faster than dataclasses; the raw row stays behind (the sender has it)."""
    built = item.built
    refs = tuple((r.column, r.table, r.key, r.field, r.by, r.same_source) for r in built.refs)
    return (position, item.key, built.values, refs, built.children, item.digest)


def from_wire(wire: Wire, batch: list[RawRow | BadLine]) -> Item:
    position, key, values, refs, children, digest = wire
    raw = batch[position]
    return Item(raw.line, key, getattr(raw, "fields", None), Built(values, [Ref(*r) for r in refs], children), digest)


def prepare_wire(
    raws: list[tuple[int, dict[str, Any]] | tuple[int, str | None, str, Any]], context: PrepareContext
) -> tuple[list[Wire], list[Wire]]:
    """``prepare_batch`` for a worker process: rows and results as plain tuples."""
    rows: list[RawRow | BadLine] = [
        RawRow(r[0], r[1]) if len(r) == 2 else BadLine(r[0], r[2], r[3], r[1]) for r in raws
    ]
    items, rejected = prepare_batch(rows, context)
    positions = {raw.line: position for position, raw in enumerate(rows)}
    return [to_wire(i, positions[i.line]) for i in items], [(r.line, r.field, r.reason, r.raw) for r in rejected]


def prepare_batch(raws: list[RawRow | BadLine], context: PrepareContext) -> tuple[list[Item], list[Rejection]]:
    """Prepare one batch; the unit of work sent to a worker process."""
    items: list[Item] = []
    rejected: list[Rejection] = []
    for raw in raws:
        if isinstance(raw, BadLine):
            rejected.append(Rejection(raw.line, raw.field, raw.reason, raw.raw))
            continue
        prepared = prepare_row(raw, context)
        if isinstance(prepared, Item):
            items.append(prepared)
        else:
            rejected.append(prepared)
    return items, rejected
