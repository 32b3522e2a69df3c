"""Property tests for the parsers ingest relies on."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from palermo.ingest.fields import partial_date, split_list
from palermo.ingest.readers import RawRow, ReadState, read_csv

texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@given(st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_full_dates_round_trip(day: dt.date) -> None:
    assert partial_date(day.isoformat()) == (day.isoformat(), "day")
    assert partial_date(day.isoformat()[:7]) == (day.isoformat()[:7], "month")
    assert partial_date(f"{day.year:04d}-00-00") == (f"{day.year:04d}", "year")


@given(texts)
def test_partial_date_accepts_or_explains(text: str) -> None:
    try:
        iso, precision = partial_date(text)
    except ValueError as exc:
        message = str(exc)
        iso, precision = "", ""
    else:
        message = ""
    if message:
        assert repr(text.strip()) in message or repr(text) in message
    else:
        assert len(iso) == {"year": 4, "month": 7, "day": 10}[precision]


@given(st.lists(st.text(st.characters(blacklist_characters=";", blacklist_categories=("Cs", "Zs", "Cc")), min_size=1)))
def test_split_list_recovers_items(items: list[str]) -> None:
    items = [i for i in items if i.strip()]
    assert split_list(";".join(items)) == [i.strip() for i in items]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(texts, texts, texts), max_size=20))
def test_csv_reader_returns_every_row_with_its_fields(rows: list[tuple[str, str, str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["a", "b", "c"])
    writer.writerows(rows)
    path = Path(f"/tmp/palermo-prop-{abs(hash(buffer.getvalue()))}.csv")
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    try:
        header, found = next(read_csv(path, "utf-8", ReadState(path.stat().st_size)))
        got = [r.fields for r in found if isinstance(r, RawRow)]
    finally:
        path.unlink()
    assert header == ["a", "b", "c"]
    expected = [dict(zip("abc", r, strict=True)) for r in rows]
    assert got == expected


@pytest.mark.parametrize("bad", ["1985-13", "1985-02-30", "85", "1985-1-1", "1985-00-05", "abc"])
def test_bad_dates_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=repr(bad)):
        partial_date(bad)
