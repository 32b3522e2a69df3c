"""Reading a lost/stolen document CSV in streamed batches with pyarrow, validating whole columns at once.

Columns (header required, any order, extra columns ignored): ``document_number``, ``issuing_state``,
``document_type``, ``status``, ``reported_date`` (ISO ``YYYY-MM-DD``), ``reporting_agency``. Rows that fail are
returned with their physical line number and reason; good rows come back as numpy arrays ready for the registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from palermo.documents.registry_keys import KEY_DTYPE, NUMBER_PATTERN, NUMBER_WIDTH, STATE_WIDTH, Keys
from palermo.errors import InvalidInput
from palermo.taxonomies import taxonomy
from palermo.taxonomies.countries import code_table

COLUMNS = ("document_number", "issuing_state", "document_type", "status", "reported_date", "reporting_agency")
BLOCK_SIZE = 32 << 20


@dataclass
class Reject:
    line: int
    reason: str
    row: dict[str, Any]


@dataclass
class Batch:
    """Good rows of one block: keys, codes as small integers, dates as days since 1970-01-01."""

    keys: Keys
    status: npt.NDArray[np.uint8]
    document_type: npt.NDArray[np.uint8]
    reported: npt.NDArray[np.int32]
    agency: npt.NDArray[np.uint32]
    rejects: list[Reject] = field(default_factory=list)


@dataclass
class _Vocab:
    statuses: tuple[str, ...]
    document_types: tuple[str, ...]
    agencies: dict[str, int]
    state_keys: pa.Array
    state_values: pa.Array


def _vocab(agencies: dict[str, int]) -> _Vocab:
    table = code_table()
    return _Vocab(
        statuses=taxonomy("document_statuses").ids,
        document_types=taxonomy("document_types").ids,
        agencies=agencies,
        state_keys=pa.array(list(table.keys())),
        state_values=pa.array(list(table.values())),
    )


def _fixed_width(array: pa.Array) -> Keys:
    """A string array whose values all have ``KEY_BYTES`` characters, as a numpy ``S24`` array (no copy)."""
    if len(array) == 0:
        return np.empty(0, dtype=KEY_DTYPE)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=len(array) + 1, offset=array.offset * 4)
    data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.view(KEY_DTYPE).copy()


def _columns(batch: pa.RecordBatch, vocab: _Vocab) -> dict[str, pa.Array]:
    number = pc.utf8_upper(pc.replace_substring_regex(batch["document_number"], r"[\s\-<]", ""))
    state = pc.utf8_upper(pc.utf8_trim(batch["issuing_state"], " <"))
    state_index = pc.index_in(state, value_set=vocab.state_keys)
    return {
        "number": number,
        "state": pc.take(vocab.state_values, state_index),
        "status": pc.index_in(
            pc.utf8_lower(pc.utf8_trim_whitespace(batch["status"])), value_set=pa.array(vocab.statuses)
        ),
        "document_type": pc.index_in(
            pc.utf8_trim_whitespace(batch["document_type"]), value_set=pa.array(vocab.document_types)
        ),
        "reported": pc.strptime(
            pc.utf8_trim_whitespace(batch["reported_date"]), format="%Y-%m-%d", unit="s", error_is_null=True
        ),
        "agency": pc.utf8_trim_whitespace(batch["reporting_agency"]),
    }


def _reason(cols: dict[str, pa.Array], i: int, vocab: _Vocab, row: dict[str, Any]) -> str:
    if not any((value or "").strip() for value in row.values()):
        return "empty line"
    if not pc.match_substring_regex(cols["number"][i : i + 1], NUMBER_PATTERN)[0].as_py():
        return f"document_number: expected 1 to {NUMBER_WIDTH} letters and digits (spaces, '-' and '<' are ignored)"
    checks = (
        ("state", "issuing_state: not an ISO 3166-1 alpha-2/alpha-3 or ICAO Doc 9303 code"),
        ("document_type", f"document_type: expected one of {', '.join(vocab.document_types)}"),
        ("status", f"status: expected one of {', '.join(vocab.statuses)}"),
        ("reported", "reported_date: expected a date YYYY-MM-DD"),
    )
    for name, reason in checks:
        if not cols[name][i].is_valid:
            return reason
    return "reporting_agency: empty"


def _good_mask(cols: dict[str, pa.Array]) -> pa.Array:
    mask = pc.match_substring_regex(cols["number"], NUMBER_PATTERN)
    for name in ("state", "document_type", "status", "reported"):
        mask = pc.and_(mask, pc.is_valid(cols[name]))
    return pc.fill_null(pc.and_(mask, pc.greater(pc.utf8_length(cols["agency"]), 0)), False)


def _agency_ids(agency: pa.Array, vocab: _Vocab) -> npt.NDArray[np.uint32]:
    encoded = pc.dictionary_encode(agency)
    local = [vocab.agencies.setdefault(name, len(vocab.agencies)) for name in encoded.dictionary.to_pylist()]
    lookup = np.asarray(local, dtype=np.uint32)
    ids: npt.NDArray[np.uint32] = lookup[encoded.indices.to_numpy(zero_copy_only=False)]
    return ids


def _to_batch(batch: pa.RecordBatch, vocab: _Vocab, lines: npt.NDArray[np.int64]) -> Batch:
    cols = _columns(batch, vocab)
    good = _good_mask(cols)
    bad_rows = np.flatnonzero(~good.to_numpy(zero_copy_only=False))
    rows = {int(i): batch.slice(int(i), 1).to_pylist()[0] for i in bad_rows}
    rejects = [Reject(int(lines[i]), _reason(cols, i, vocab, row), row) for i, row in rows.items()]
    kept = {name: pc.filter(col, good) for name, col in cols.items()}
    padded = pc.binary_join_element_wise(
        pc.utf8_rpad(kept["state"], STATE_WIDTH, "<"), pc.utf8_rpad(kept["number"], NUMBER_WIDTH, "<"), ""
    )
    seconds = pc.cast(kept["reported"], pa.int64()).to_numpy(zero_copy_only=False)
    return Batch(
        keys=_fixed_width(padded),
        status=kept["status"].to_numpy(zero_copy_only=False).astype(np.uint8),
        document_type=kept["document_type"].to_numpy(zero_copy_only=False).astype(np.uint8),
        reported=(seconds // 86400).astype(np.int32),
        agency=_agency_ids(kept["agency"], vocab),
        rejects=rejects,
    )


def _physical_lines(first_row: int, count: int, malformed: list[int]) -> npt.NDArray[np.int64]:
    """Physical line of each row of a batch: header is line 1; malformed lines (skipped by the parser) shift rows."""
    ordinals = np.arange(first_row, first_row + count, dtype=np.int64) + 2
    skipped = np.asarray(sorted(malformed), dtype=np.int64)
    # the k-th good row sits on line k + 2 + (number of malformed lines before it): solve by fixed-point steps
    lines = ordinals.copy()
    for _ in range(len(skipped) + 1):
        shifted = ordinals + np.searchsorted(skipped, lines, side="right")
        if np.array_equal(shifted, lines):
            break
        lines = shifted
    return lines


def read_batches(path: Path, agencies: dict[str, int]) -> Iterator[Batch]:
    """Validated batches of ``path``; ``agencies`` (name -> id) grows with the agencies met."""
    malformed: list[Reject] = []

    def on_invalid(row: Any) -> str:
        text = str(row.text)
        malformed.append(
            Reject(
                int(row.number or 0),
                f"expected {row.expected_columns} columns, found {row.actual_columns}",
                {"text": text},
            )
        )
        return "skip"

    try:
        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(use_threads=False, block_size=BLOCK_SIZE),
            parse_options=pa_csv.ParseOptions(invalid_row_handler=on_invalid, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(COLUMNS, pa.string()), include_columns=list(COLUMNS)
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
        raise InvalidInput(f"{path}: cannot read as CSV with a header {', '.join(COLUMNS)}: {exc}") from None
    vocab, seen, reported = _vocab(agencies), 0, 0
    for record_batch in reader:
        lines = _physical_lines(seen, record_batch.num_rows, [r.line for r in malformed])
        batch = _to_batch(record_batch, vocab, lines)
        batch.rejects = [*malformed[reported:], *batch.rejects]
        reported = len(malformed)
        seen += record_batch.num_rows
        yield batch
    if len(malformed) > reported:
        yield Batch(
            keys=np.empty(0, KEY_DTYPE),
            status=np.empty(0, np.uint8),
            document_type=np.empty(0, np.uint8),
            reported=np.empty(0, np.int32),
            agency=np.empty(0, np.uint32),
            rejects=malformed[reported:],
        )
