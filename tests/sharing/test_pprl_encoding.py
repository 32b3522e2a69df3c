"""PPRL encodings: deterministic under one key, unrelated under another, names as Palermo normalises them."""

from __future__ import annotations

import uuid

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from palermo.errors import InvalidInput
from palermo.sharing.keys import b64
from palermo.sharing.pprl import PersonFields, PprlKey, encode_people, from_wire, partnership_key, pprl_config, to_wire
from palermo.sharing.pprl.bloom import bloom_filter
from palermo.sharing.pprl.fields import latin_tokens, qgrams
from palermo.sharing.pprl.match import field_dice

KEY = PprlKey(b"a" * 32)
OTHER = PprlKey(b"b" * 32)
IVAN = PersonFields("Иван Петров", "1980-01-02", "M", ("RUS",), "Lenina 5", "101000", "Moskva")


def _dice(
    a: PersonFields, b: PersonFields, key_a: PprlKey = KEY, key_b: PprlKey = KEY, **hardening: object
) -> dict[str, float]:
    config = pprl_config().with_hardening(**hardening) if hardening else pprl_config()
    ea, eb = encode_people([a], key_a, config), encode_people([b], key_b, config)
    dice, _ = field_dice(ea, eb, np.asarray([0]), np.asarray([0]))
    return {f: float(dice[0, n]) for n, f in enumerate(ea.layout.fields)}


def test_names_are_normalised_and_transliterated_before_encoding() -> None:
    assert latin_tokens("Петров, Иван") == ["ivan", "petrov"]
    assert latin_tokens("  ") == []
    assert _dice(IVAN, PersonFields("PETROV, Ivan", "1980-01-02"))["name"] == 1.0


def test_same_key_same_encoding() -> None:
    first, second = encode_people([IVAN], KEY, pprl_config()), encode_people([IVAN], KEY, pprl_config())
    assert np.array_equal(first.filters, second.filters)
    assert first.blocks == second.blocks
    assert first.present.all()


def test_another_key_gives_unrelated_encodings() -> None:
    mine, theirs = encode_people([IVAN], KEY, pprl_config()), encode_people([IVAN], OTHER, pprl_config())
    assert not mine.blocks[0] & theirs.blocks[0]
    dice = _dice(IVAN, IVAN, KEY, OTHER)
    assert max(dice["name"], dice["birth_date"], dice["street"]) < 0.5  # chance level, not the person's 1.0


def test_each_field_has_its_own_key() -> None:
    """The same text in two fields sets different bits, so one field's filter says nothing about another's."""
    tokens = qgrams(["paris"], 2)
    street = bloom_filter(KEY.field_key("street"), tokens, 8, 128)
    city = bloom_filter(KEY.field_key("city"), tokens, 8, 128)
    assert np.array_equal(street, bloom_filter(KEY.field_key("street"), tokens, 8, 128))
    assert (street & city).sum() < street.sum() / 2


def test_unknown_fields_are_marked_absent() -> None:
    encoded = encode_people([PersonFields("Ana Pop")], KEY, pprl_config())
    present = dict(zip(encoded.layout.fields, encoded.present[0], strict=True))
    assert present["name"]
    assert not present["birth_date"]
    assert not present["sex"]


def test_balanced_filters_have_half_their_bits_set() -> None:
    config = pprl_config().with_hardening(balance=True, xor_fold=False)
    encoded = encode_people([IVAN, PersonFields("Jo Li", "2001")], KEY, config)
    for n, spec in enumerate(config.fields.values()):
        assert (encoded.counts[:, n] == spec.bits).all()  # 2*bits long, exactly bits set


def test_xor_folding_halves_the_filters() -> None:
    plain = encode_people([IVAN], KEY, pprl_config().with_hardening(xor_fold=False))
    folded = encode_people([IVAN], KEY, pprl_config().with_hardening(xor_fold=True))
    assert folded.layout.ends[0] == plain.layout.ends[0] // 2
    assert _dice(IVAN, IVAN, xor_fold=True)["name"] == 1.0


def test_salting_names_with_the_birth_year_separates_years() -> None:
    other_year = PersonFields("Иван Петров", "1981-01-02")
    assert _dice(IVAN, other_year)["name"] == 1.0
    assert _dice(IVAN, other_year, salt_names_with="birth_year")["name"] < 0.5


def test_double_hashing_is_deterministic_too() -> None:
    assert _dice(IVAN, IVAN, random_hashing=False)["name"] == 1.0


def test_wire_round_trip_and_malformed_records() -> None:
    encoded = encode_people([IVAN, PersonFields("Ana Pop")], KEY, pprl_config())
    refs = [str(uuid.uuid4()), str(uuid.uuid4())]
    wire = to_wire(encoded, refs)
    back, got = from_wire(wire, encoded.layout)
    assert got == refs
    assert np.array_equal(back.filters, encoded.filters)
    assert np.array_equal(back.present, encoded.present)
    assert back.blocks == encoded.blocks
    with pytest.raises(InvalidInput, match="record 0 has 3 bytes"):
        from_wire([{**wire[0], "filters": "AAAA"}], encoded.layout)
    with pytest.raises(InvalidInput, match="record 0 is malformed"):
        from_wire([{"filters": wire[0]["filters"]}], encoded.layout)
    with pytest.raises(InvalidInput, match="record 1 is malformed"):
        from_wire([wire[0], {**wire[1], "reference": "x" * 400}], encoded.layout)


def test_partners_derive_the_same_key_and_nobody_else_does() -> None:
    a, b, c = (X25519PrivateKey.generate() for _ in range(3))

    def public(k: X25519PrivateKey) -> str:
        from cryptography.hazmat.primitives import serialization

        return b64(k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))

    pair = ("at-bk", "ro-igpr")
    at_a = partnership_key(a, public(b), pair, epoch=1)
    at_b = partnership_key(b, public(a), pair[::-1], epoch=1)
    assert at_a.secret == at_b.secret
    assert at_a.key_id == at_b.key_id
    assert partnership_key(c, public(b), pair, epoch=1).secret != at_a.secret
    assert partnership_key(a, public(b), pair, epoch=2).secret != at_a.secret
    assert at_a.field_key("name") != at_a.field_key("city")
    with pytest.raises(ValueError, match="at least 32 bytes"):
        PprlKey(b"short")


def test_compound_block_keys_need_year_and_name_sound_together() -> None:
    config = pprl_config().model_copy(update={"blocking": ["birth_year_name_phonetic"]})
    jon, john, other_year = (
        encode_people([PersonFields(name, birth)], KEY, config).blocks[0]
        for name, birth in (("Jon Smith", "1980-01-02"), ("John Smyth", "1980-05-06"), ("John Smith", "1981-01-02"))
    )
    assert jon & john  # same year, names that sound alike
    assert not jon & other_year
    assert len(jon) == 2  # one per name token
