"""The Palermo envelope: what a bundle says, before it is signed and encrypted.

``PalermoEnvelope`` is JSON (pydantic); its canonical form (sorted keys, compact) is the payload of the JWS. Each
item carries one FollowTheMoney entity and, beside it, the originator's handling terms, so that handling can never
be lost by a tool that only understands FtM. The originator signs the entity and its terms (``origin``); every node
that sends the item, the originator first, appends a signed hop (``chain``), so a receiver checks the terms and the
path against the originator's own signature, never against the last hop's word (``palermo.sharing.signatures``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

ENVELOPE_VERSION: Final = 2
MAX_HOPS = 16
MAX_DOCUMENTS = 20  # documents held by one shared person
BundleKind = Literal[
    "records",
    "notices",
    "query",
    "answer",
    "detail_request",
    "detail_reply",
    "withdrawal",
    "pprl_encodings",
    "pprl_answers",
]


class Party(BaseModel):
    """A node on either end: agency code and the fingerprint of its keys."""

    model_config = ConfigDict(frozen=True)

    agency: str = Field(max_length=64)
    fingerprint: str = Field(max_length=80)


class Handling(BaseModel):
    """The originator's handling terms: signed by the originator with the entity, unchanged at every hop."""

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
    review_at: dt.date | None = None
    delete_at: dt.date | None = None


class OriginSignature(BaseModel):
    """The originator's Ed25519 signature over the item's content and terms (``signatures.origin_payload``)."""

    model_config = ConfigDict(frozen=True)

    signing_key: str = Field(max_length=64, description="The originator's public signing key (base64url, raw).")
    signature: str = Field(max_length=100, description="Ed25519 signature (base64url, raw 64 bytes).")


class Hop(BaseModel):
    """One transfer of the item: who sent it to whom, on which legal basis, signed by the sender."""

    model_config = ConfigDict(frozen=True)

    agency: str = Field(max_length=64, description="The sending agency.")
    to: str = Field(max_length=64, description="The receiving agency.")
    signing_key: str = Field(max_length=64)
    legal_basis: str | None = Field(None, max_length=64, description="The sender's ground for special data.")
    signature: str = Field(max_length=100, description="Over the origin signature, the previous hop and this hop.")


class Item(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["person", "notice"]
    category: str | None = Field(None, max_length=32, description="Watchlist category of a notice.")
    entity: dict[str, Any]
    documents: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=MAX_DOCUMENTS,
        description="FtM Passport/Identification entities held by the person (issuing state, number, dates).",
    )
    handling: Handling
    origin: OriginSignature
    chain: list[Hop] = Field(default_factory=list, max_length=MAX_HOPS, description="Every transfer, first to last.")

    @property
    def legal_basis(self) -> str | None:
        """The last sender's legal basis (special data leaves only with one)."""
        return self.chain[-1].legal_basis if self.chain else None

    @property
    def hops(self) -> int:
        """How many times the item was forwarded before its last transfer (0: sent by its originator)."""
        return max(len(self.chain) - 1, 0)


class WithdrawalNotice(BaseModel):
    """An originator's signed withdrawal of a record it shared; forwarded untouched along the record's paths."""

    model_config = ConfigDict(frozen=True)

    entity_id: str = Field(max_length=64)
    kind: Literal["person", "notice"]
    originator: str = Field(max_length=64)
    withdrawn_at: dt.datetime
    reason: str = Field(min_length=1, max_length=2000)
    signing_key: str = Field(max_length=64, description="The originator's public signing key (base64url, raw).")
    signature: str = Field(max_length=100, description="Ed25519 over the notice's other fields (canonical JSON).")


class PalermoEnvelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    palermo_bundle: Literal[2] = ENVELOPE_VERSION
    bundle_id: str = Field(default_factory=lambda: str(uuid.uuid4()), min_length=36, max_length=36)
    kind: BundleKind
    sender: Party
    recipient: Party
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    justification: str | None = Field(None, max_length=200)
    items: list[Item] = Field(default_factory=list, max_length=100_000)
    message: dict[str, Any] = Field(default_factory=dict, description="Payload of queries, answers and requests.")
