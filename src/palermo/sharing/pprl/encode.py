"""Encoding persons: one keyed Bloom filter per field, packed side by side into 64-bit words, plus keyed blocking
keys. An :class:`EncodedSet` is what travels to a partner (``to_wire``) and what matching works on."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from palermo.errors import InvalidInput
from palermo.sharing.pprl.bloom import Bits, balanced, bloom_filter, xor_folded
from palermo.sharing.pprl.config import PprlConfig
from palermo.sharing.pprl.fields import PersonFields, birth_year, field_tokens, phonetic_codes
from palermo.sharing.pprl.keys import PprlKey

Words = npt.NDArray[np.uint64]
BLOCK_KEY_HEX = 16  # 64 bits of HMAC: collisions between different blocks are negligible at national scale


@dataclass(frozen=True)
class Layout:
    """Where each field's filter lies in a record's words, and its weight."""

    fields: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    weights: tuple[float, ...]

    @property
    def words(self) -> int:
        return self.ends[-1]

    @property
    def nbytes(self) -> int:
        return self.words * 8


def encoded_bits(bits: int, config: PprlConfig) -> int:
    if config.hardening.balance:
        return 2 * bits
    if config.hardening.xor_fold and bits >= 128:
        return bits // 2
    return bits


def layout_for(config: PprlConfig) -> Layout:
    starts, ends, at = [], [], 0
    for spec in config.fields.values():
        starts.append(at)
        at += encoded_bits(spec.bits, config) // 64
        ends.append(at)
    weights = tuple(spec.weight for spec in config.fields.values())
    return Layout(tuple(config.fields), tuple(starts), tuple(ends), weights)


def scheme_of(config: PprlConfig) -> dict[str, Any]:
    """What both partners must agree on to compare encodings (sent with them; no secret in it)."""
    return {
        "qgram": config.qgram,
        "fields": {name: spec.model_dump() for name, spec in config.fields.items()},
        "hardening": config.hardening.model_dump(),
        "blocking": list(config.blocking),
    }


def scheme_id(config: PprlConfig) -> str:
    return hashlib.sha256(json.dumps(scheme_of(config), sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class EncodedSet:
    """Encoded persons: ``filters`` (n x words), ``present`` (n x fields: the field was known), ``blocks``."""

    layout: Layout
    filters: Words
    present: npt.NDArray[np.bool_]
    blocks: list[frozenset[str]]

    def __len__(self) -> int:
        return len(self.filters)

    @cached_property
    def counts(self) -> npt.NDArray[np.int32]:
        """Bits set per field (n x fields)."""
        ones = np.bitwise_count(self.filters)
        return np.stack(
            [
                ones[:, s:e].sum(axis=1, dtype=np.int32)
                for s, e in zip(self.layout.starts, self.layout.ends, strict=True)
            ],
            axis=1,
        )


def _field_filter(key: bytes, tokens: set[str], spec_bits: int, hashes: int, config: PprlConfig) -> Bits:
    bloom = bloom_filter(key, tokens, hashes, spec_bits, random_hashing=config.hardening.random_hashing)
    if config.hardening.balance:
        return balanced(key, bloom)
    if config.hardening.xor_fold:
        return xor_folded(bloom)
    return bloom


def _salted(tokens: dict[str, set[str]], person: PersonFields, config: PprlConfig) -> dict[str, set[str]]:
    year = birth_year(person.birth_date) if config.hardening.salt_names_with == "birth_year" else None
    return tokens if year is None else tokens | {"name": {f"{year}|{g}" for g in tokens["name"]}}


def block_keys(person: PersonFields, key: PprlKey, config: PprlConfig) -> frozenset[str]:
    """Keyed hashes of the blocking values: a partner without the key cannot read them back."""
    values: set[str] = set()
    if "birth_year" in config.blocking and (year := birth_year(person.birth_date)):
        values.add(f"birth_year:{year}")
    codes = phonetic_codes(person)
    if "name_phonetic" in config.blocking:
        values.update(f"name_phonetic:{code}" for code in codes)
    if "birth_year_name_phonetic" in config.blocking and (year := birth_year(person.birth_date)):
        values.update(f"birth_year_name_phonetic:{year}:{code}" for code in codes)  # both at once: for scale
    secret = key.block_key()
    return frozenset(hmac.new(secret, v.encode(), hashlib.sha256).hexdigest()[:BLOCK_KEY_HEX] for v in values)


def encode_person(person: PersonFields, key: PprlKey, config: PprlConfig) -> tuple[Words, list[bool]]:
    tokens = _salted(field_tokens(person, config.qgram), person, config)
    parts: list[Bits] = []
    present: list[bool] = []
    for name, spec in config.fields.items():
        parts.append(_field_filter(key.field_key(name), tokens[name], spec.bits, spec.hashes, config))
        present.append(bool(tokens[name]))
    packed = np.packbits(np.concatenate(parts), bitorder="little")
    return packed.view(np.uint64), present


def encode_people(people: Sequence[PersonFields], key: PprlKey, config: PprlConfig) -> EncodedSet:
    layout = layout_for(config)
    filters = np.zeros((len(people), layout.words), dtype=np.uint64)
    present = np.zeros((len(people), len(layout.fields)), dtype=np.bool_)
    blocks = []
    for row, person in enumerate(people):
        filters[row], present[row] = encode_person(person, key, config)
        blocks.append(block_keys(person, key, config))
    return EncodedSet(layout, filters, present, blocks)


def to_wire(encoded: EncodedSet, references: Sequence[str]) -> list[dict[str, Any]]:
    """One JSON object per record: its reference, filters (base64), which fields are present, block keys."""
    return [
        {
            "reference": ref,
            "filters": base64.b64encode(encoded.filters[i].astype("<u8").tobytes()).decode(),
            "present": [f for f, known in zip(encoded.layout.fields, encoded.present[i], strict=True) if known],
            "blocks": sorted(encoded.blocks[i]),
        }
        for i, ref in enumerate(references)
    ]


def from_wire(records: Sequence[dict[str, Any]], layout: Layout) -> tuple[EncodedSet, list[str]]:
    """Parse what ``to_wire`` wrote; a record of the wrong shape is refused with its position."""
    filters = np.zeros((len(records), layout.words), dtype=np.uint64)
    present = np.zeros((len(records), len(layout.fields)), dtype=np.bool_)
    blocks, references = [], []
    for i, record in enumerate(records):
        try:
            raw = base64.b64decode(str(record["filters"]), validate=True)
            references.append(str(uuid.UUID(str(record["reference"]))))
            known = {str(f) for f in record.get("present", [])}
            blocks.append(frozenset(str(b)[:BLOCK_KEY_HEX] for b in record.get("blocks", [])))
        except (KeyError, TypeError, binascii.Error, ValueError):
            raise InvalidInput(
                f"encoded record {i} is malformed (needs a UUID reference, base64 filters, present, blocks)"
            ) from None
        if len(raw) != layout.nbytes:
            raise InvalidInput(f"encoded record {i} has {len(raw)} bytes of filters; the scheme has {layout.nbytes}")
        filters[i] = np.frombuffer(raw, dtype="<u8")
        present[i] = [f in known for f in layout.fields]
    return EncodedSet(layout, filters, present, blocks), references
