import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from palermo.documents import LostStolenRegistry
from palermo.documents.registry_keys import KEY_DTYPE, hash_key, hash_keys, key_for
from palermo.errors import InvalidInput

HEADER = "document_number,issuing_state,document_type,status,reported_date,reporting_agency\n"
ROWS = (
    "C01X00T47,D,passport,stolen,2024-01-02,BKA\n"
    "12AB34567,FRA,id_card,stolen_blank,2023-05-06,DGPN\n"
    "LOST12345,FRA,passport,lost,2023-05-06,DGPN\n"
    "bad number!,FRA,id_card,lost,2023-05-06,DGPN\n"
    "X1,ZZZ,passport,lost,2023-05-06,A\n"
    "too,many,cols,x,y,z,w\n"
    "Y1,FRA,passport,found,2023-01-06,A\n"
)


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[LostStolenRegistry, Path]:
    csv = tmp_path / "sltd.csv"
    csv.write_text(HEADER + ROWS, encoding="utf-8")
    registry = LostStolenRegistry.open(tmp_path / "home")
    registry.load_csv(csv)
    return registry, csv


def test_rejects_written_with_line_and_reason(loaded):
    _, csv = loaded
    rejects = [json.loads(line) for line in Path(f"{csv}.rejects.jsonl").read_text().splitlines()]
    assert [(r["line"], r["reason"].split(":")[0]) for r in rejects] == [
        (5, "document_number"),
        (6, "issuing_state"),
        (7, "expected 6 columns, found 7"),
        (8, "status"),
    ]


def test_exact_lookup_normalises_state_and_number(loaded):
    registry, _ = loaded
    hit = registry.lookup("DE", "c01x-00t47")
    assert hit is not None
    assert (hit.issuing_state, hit.status, hit.reporting_agency) == ("DEU", "stolen", "BKA")
    assert registry.lookup("FRA", "C01X00T47") is None


def test_near_lookup_finds_substitution_and_transposition_of_stolen_only(loaded):
    registry, _ = loaded
    assert [h.document_number for h in registry.near("FRA", "12AB34576")] == ["12AB34567"]
    assert [h.document_number for h in registry.near("D", "C01X00T4Z")] == ["C01X00T47"]
    assert registry.near("FRA", "LOST12346") == []  # lost documents are not searched nearly
    assert all(h.confidence < 1 for h in registry.near("FRA", "12AB34568"))


def test_snapshot_survives_a_restart_and_reload_is_idempotent(loaded, tmp_path):
    _, csv = loaded
    reopened = LostStolenRegistry.open(tmp_path / "home")
    assert len(reopened) == 3
    assert reopened.lookup("FRA", "12AB34567") is not None
    report = reopened.load_csv(csv)
    assert (report.entries_before, report.entries_after) == (3, 3)
    assert len(LostStolenRegistry.open(tmp_path / "home").sources) == 1


def test_later_file_updates_status(loaded, tmp_path):
    registry, _ = loaded
    update = tmp_path / "update.csv"
    update.write_text(HEADER + "C01X00T47,DEU,passport,revoked,2024-03-01,BKA\n", encoding="utf-8")
    registry.load_csv(update)
    assert registry.lookup("D", "C01X00T47").status == "revoked"
    assert len(registry) == 3


def test_missing_column_is_a_clear_error(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("document_number,issuing_state\nX,FRA\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="header"):
        LostStolenRegistry.open(tmp_path / "home").load_csv(csv)


@settings(max_examples=200)
@given(
    st.sampled_from(["FRA", "D", "UTO", "XXA"]),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=21),
)
def test_scalar_and_vector_hashes_agree(state, number):
    key = key_for(state, number)
    assert hash_key(key) == int(hash_keys(np.array([key], dtype=KEY_DTYPE))[0])
