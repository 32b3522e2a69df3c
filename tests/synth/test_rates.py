"""Planted patterns and confounders appear at the rates ``world.yaml`` asks for (small world, with tolerance)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from palermo.synth.config import world_config
from tests.synth.conftest import read_csv

pytestmark = pytest.mark.xdist_group("small-world")  # the small world is generated once, on one worker

TOLERANCE = 0.08


def _share(counter: Counter[str], key: str) -> float:
    return counter[key] / sum(counter.values())


def test_victim_profile_follows_unodc_2024(small_world: Path) -> None:
    victims = [r for r in read_csv(small_world / "truth/persons.csv") if r["role"] == "victim"]
    assert len(victims) > 150
    adult = Counter(("women" if v["sex"] == "F" else "men") if v["birth_date"] < "2005-12-31" else
                    ("girls" if v["sex"] == "F" else "boys") for v in victims)  # fmt: skip
    for group, expected in world_config().victims.profile.items():
        assert abs(_share(adult, group) - expected) < TOLERANCE, group


def test_exploitation_forms_cover_the_unodc_mix(small_world: Path) -> None:
    networks = [r for r in read_csv(small_world / "truth/units.csv") if r["unit_kind"] == "network"]
    forms = Counter(r["exploitation"] for r in networks)
    assert set(forms) <= set(world_config().victims.exploitation)
    assert forms.most_common(1)[0][0] in ("forced_labour", "sexual_exploitation")


def test_every_unit_kind_is_present_near_its_share_of_persons(small_world: Path) -> None:
    persons = Counter(r["unit_kind"] for r in read_csv(small_world / "truth/persons.csv"))
    for kind, mix in world_config().units.items():
        assert abs(_share(persons, kind) - mix.share) < TOLERANCE, kind


def test_victim_patterns_are_planted_at_their_rates(small_world: Path) -> None:
    victims = {r["person_id"] for r in read_csv(small_world / "truth/persons.csv") if r["role"] == "victim"}
    planted = Counter(r["pattern"] for r in read_csv(small_world / "truth/planted.csv") if r["person_id"] in victims)
    config = world_config()
    for pattern in ("third_party_payer", "shared_contact_phone", "shared_destination", "never_exits"):
        assert abs(planted[pattern] / len(victims) - config.pattern(pattern)) < TOLERANCE, pattern
    forged = sum(v for k, v in planted.items() if k.startswith("forged_document:"))
    assert abs(forged / len(victims) - config.pattern("forged_document")) < TOLERANCE


def test_confounders_are_planted_and_recorded(small_world: Path) -> None:
    planted = Counter(
        r["pattern"] for r in read_csv(small_world / "truth/planted.csv") if r["category"] == "confounder"
    )
    for pattern in ("family_shared_phone", "hotel_shared_address", "employer_payer", "guide_repeat_crossings",
                    "school_group_minors", "second_document"):  # fmt: skip
        assert planted[pattern] > 0, pattern
    shared = list(read_csv(small_world / "truth/shared_contacts.csv"))
    innocent = sum(r["innocent"] == "1" for r in shared)
    assert innocent > len(shared) - innocent  # legitimate sharing outnumbers the networks' own


def test_escorts_cross_repeatedly_with_different_victims(small_world: Path) -> None:
    movements = list(read_csv(small_world / "truth/movements.csv"))
    escort_entries = Counter(m["person_id"] for m in movements if m["movement_role"] == "escort")
    assert escort_entries
    assert max(escort_entries.values()) >= 6
