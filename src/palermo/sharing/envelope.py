"""The Palermo envelope: what a bundle says, before it is signed and encrypted.

``PalermoEnvelope`` is JSON (pydantic); its canonical form (sorted keys, compact) is the payload of the JWS. Each
item carries one FollowTheMoney entity and, beside it, the record's handling and provenance, so that handling can
never be lost by a tool that only understands FtM.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ENVELOPE_VERSION = 1
BundleKind = Literal["records", "notices", "query", "answer", "detail_request", "detail_reply"]


class Party(BaseModel):
    """A node on either end: agency code and the fingerprint of its keys."""

    model_config = ConfigDict(frozen=True)

    agency: str = Field(max_length=64)
    fingerprint: str = Field(max_length=80)


class Handling(BaseModel):
    """The record's handling as it travels."""

    model_config = ConfigDict(frozen=True)

    originator: str = Field(max_length=64)
    handling: Literal["H0", "H1", "H2", "H3"]
    handling_note: str | None = Field(None, max_length=2000)
    distribution: Literal["agency", "group", "partners"]
    sharing_group: str | None = Field(None, max_length=100)
    group_members: list[str] = Field(default_factory=list, max_length=500)
    source_reliability: Literal["A", "B", "C", "X"]
    information_credibility: Literal["1", "2", "3", "4"]
    sensitivity: Literal["ordinary", "special"]
    legal_basis: str | None = Field(None, max_length=64)
    review_at: dt.date | None = None
    delete_at: dt.date | None = None
    hops: int = Field(0, ge=0, le=16)


class Item(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["person", "notice"]
    category: str | None = Field(None, max_length=32, description="Watchlist category of a notice.")
    entity: dict[str, Any]
    handling: Handling


class PalermoEnvelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    palermo_bundle: int = ENVELOPE_VERSION
    bundle_id: str = Field(default_factory=lambda: str(uuid.uuid4()), min_length=36, max_length=36)
    kind: BundleKind
    sender: Party
    recipient: Party
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    justification: str | None = Field(None, max_length=200)
    items: list[Item] = Field(default_factory=list, max_length=100_000)
    message: dict[str, Any] = Field(default_factory=dict, description="Payload of queries, answers and requests.")
