"""The documented input format of each kind of record, as pydantic models.

The same fields apply to CSV (lists as ``a;b``), JSON Lines and Parquet. ``docs/formats.md`` and the JSON Schemas in
``docs/schemas/`` are generated from these models, and a test keeps them in step.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from palermo.ingest.fields import (
    BirthDate,
    Country,
    CountryList,
    Credibility,
    Distribution,
    DocumentType,
    HandlingCode,
    Key,
    NameKind,
    RelationshipKind,
    Reliability,
    Sensitivity,
    Text,
    TextList,
    Timestamp,
    TravelPurpose,
)
from palermo.ingest.phones import to_e164


def _sex(value: Any) -> Any:
    if isinstance(value, str):
        upper = value.strip().upper()
        aliases = {"MALE": "M", "FEMALE": "F", "U": None, "<": None, "UNKNOWN": None, "": None}
        return aliases.get(upper, upper)
    return value


def _currency(value: str) -> str:
    code = value.strip().upper()
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return code


Sex = Annotated[Literal["M", "F", "X"] | None, BeforeValidator(_sex)]
Currency = Annotated[str, AfterValidator(_currency)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class RecordRow(BaseModel):
    """Fields every kind accepts: the record's key in its source, and optional provenance overrides.

    Unset overrides take the source's defaults (see ``palermo sources add``).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)
    kind: ClassVar[str]

    source_key: Key = Field(description="The record's identifier in its source; the idempotency key of ingest.")
    originator: Key | None = Field(None, description="Agency that first recorded it (default: the source's agency).")
    handling: HandlingCode | None = Field(None, description="Handling code H0-H3 (default: the source's).")
    handling_note: Text | None = Field(None, description="Free-text restriction; required with H3.")
    distribution: Distribution | None = Field(None, description="agency, group or partners (default: the source's).")
    sharing_group: Text | None = Field(None, description="Name of the sharing group; required with distribution=group.")
    source_reliability: Reliability | None = Field(None, description="4x4 grading of the source: A, B, C or X.")
    information_credibility: Credibility | None = Field(None, description="4x4 grading of the information: 1-4.")
    sensitivity: Sensitivity | None = Field(None, description="ordinary or special (victims, minors).")
    review_at: dt.date | None = Field(None, description="Date by which the record must be reviewed.")
    delete_at: dt.date | None = Field(None, description="Date on which the record must be deleted.")


class NameIn(BaseModel):
    """One name in the ``names`` array of a person (JSON Lines and Parquet only)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    full_name: Text | None = None
    given_names: Text | None = None
    surname: Text | None = None
    kind: NameKind = "primary"
    script: Annotated[str, Field(pattern=r"^[A-Z][a-z]{3}$")] | None = None


class PersonRow(RecordRow):
    """A person as one source recorded them. At least one name is required."""

    kind: ClassVar[str] = "persons"

    full_name: Text | None = Field(None, description="Primary name as one string, when not split.")
    given_names: Text | None = Field(None, description="Given names of the primary name.")
    surname: Text | None = Field(None, description="Surname(s) of the primary name.")
    aliases: TextList = Field(default_factory=list, description="Other names used (`;`-separated in CSV).")
    transliterations: TextList = Field(default_factory=list, description="The name in other scripts.")
    maiden_name: Text | None = Field(None, description="Surname before marriage.")
    names: list[NameIn] = Field(default_factory=list, description="Structured names (JSON Lines / Parquet).")
    birth_date: BirthDate | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD (unknown parts may be 00).")
    birth_place: Text | None = Field(None, description="Place of birth as recorded.")
    sex: Sex = Field(None, description="M, F or X (ICAO 9303); empty, U or < for unknown.")
    nationalities: CountryList = Field(default_factory=list, description="Country codes (`;`-separated in CSV).")
    notes: Text | None = Field(None, description="Free text.")

    @field_validator("names")
    @classmethod
    def _names_have_text(cls, names: list[NameIn]) -> list[NameIn]:
        for position, name in enumerate(names):
            if not (name.full_name or name.given_names or name.surname):
                raise ValueError(f"names[{position}] has no full_name, given_names or surname")
        return names

    @model_validator(mode="after")
    def _has_a_name(self) -> PersonRow:
        if not (self.full_name or self.given_names or self.surname or self.names or self.aliases):
            raise ValueError("a person needs at least one name: full_name, given_names/surname, names or aliases")
        return self


class DocumentRow(RecordRow):
    """An identity or travel document, optionally held by a person record of the same source."""

    kind: ClassVar[str] = "documents"

    person_key: Key | None = Field(None, description="source_key of the holder (a person in the same source).")
    document_type: DocumentType = Field(description="passport, id_card, visa, residence_permit, ...")
    number: Annotated[str, Field(min_length=1, max_length=64)] = Field(description="Document number as printed.")
    issuing_state: Country = Field(description="Issuing state (ISO 3166 or ICAO code).")
    issue_date: dt.date | None = Field(None, description="Date of issue, YYYY-MM-DD.")
    expiry_date: dt.date | None = Field(None, description="Date of expiry, YYYY-MM-DD.")
    mrz: Text | None = Field(None, description="Machine readable zone, lines separated by a newline or `|`.")


class BorderPointRow(RecordRow):
    """A border crossing point: airport, land crossing, sea port or rail crossing."""

    kind: ClassVar[str] = "border_points"

    code: Annotated[str, Field(min_length=2, max_length=16, pattern=r"^[A-Z0-9-]+$")] = Field(
        description="IATA airport code or UN/LOCODE; travel events refer to it."
    )
    name: Text = Field(description="Name of the crossing point.")
    country: Country = Field(description="Country of the crossing point.")
    point_kind: Literal["air", "land", "sea", "rail"] = Field(description="air, land, sea or rail.")
    latitude: Latitude | None = Field(None, description="WGS 84 latitude.")
    longitude: Longitude | None = Field(None, description="WGS 84 longitude.")


class TravelEventRow(RecordRow):
    """A person crossing a border point, with the travel context."""

    kind: ClassVar[str] = "travel_events"

    person_key: Key = Field(description="source_key of the traveller (a person in the same source).")
    document_key: Key | None = Field(None, description="source_key of the document used (same source).")
    border_point: Annotated[str, Field(min_length=2, max_length=16)] = Field(description="Code of the border point.")
    direction: Literal["entry", "exit"] = Field(description="entry or exit.")
    occurred_at: Timestamp = Field(description="ISO 8601 time; without an offset it is taken as UTC.")
    mode: Literal["air", "land", "sea", "rail"] = Field(description="air, land, sea or rail.")
    carrier: Text | None = Field(None, description="Airline, shipping line, bus or rail company.")
    service_number: Text | None = Field(None, description="Flight, train or bus service number.")
    vehicle_registration: Text | None = Field(None, description="Registration of the car, bus or vessel.")
    origin_country: Country | None = Field(None, description="Country the journey came from.")
    destination_country: Country | None = Field(None, description="Country the journey goes to.")
    booking_ref: Text | None = Field(None, description="Booking (PNR) reference.")
    group_ref: Text | None = Field(None, description="Group booking or travel-group reference.")
    payer_name: Text | None = Field(None, description="Who paid the ticket, as reported.")
    payer_reference: Text | None = Field(None, description="Payer's account or card token, as reported.")
    contact_phone: Text | None = Field(None, description="Contact phone; stored in E.164.")
    destination_address: Text | None = Field(None, description="Declared address at destination.")
    declared_purpose: TravelPurpose | None = Field(None, description="tourism, business, work, study, family, ...")

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str | None, info: ValidationInfo) -> str | None:
        region = (info.context or {}).get("phone_region")
        return None if value is None else to_e164(value, region)


class OrganisationRow(RecordRow):
    """A company, recruitment agency, NGO or other organisation."""

    kind: ClassVar[str] = "organisations"

    name: Text = Field(description="Name of the organisation.")
    organisation_kind: Text | None = Field(None, description="e.g. company, recruitment_agency, ngo.")
    country: Country | None = Field(None, description="Country of registration.")
    registration_number: Text | None = Field(None, description="Company or registry number.")


class OwnedRow(RecordRow):
    """A row that may belong to a person or an organisation of the same source (at most one)."""

    person_key: Key | None = Field(None, description="source_key of the owning person (same source).")
    organisation_key: Key | None = Field(None, description="source_key of the owning organisation (same source).")

    @model_validator(mode="after")
    def _one_owner(self) -> OwnedRow:
        if self.person_key and self.organisation_key:
            raise ValueError("give person_key or organisation_key, not both")
        return self


class ContactRow(OwnedRow):
    """A phone number, e-mail address, online handle or web address."""

    kind: ClassVar[str] = "contacts"

    contact_kind: Literal["phone", "email", "handle", "url"] = Field(description="phone, email, handle or url.")
    value: Text = Field(description="The number, address, handle or URL; phones are stored in E.164.")
    platform: Text | None = Field(None, description="Platform of a handle (e.g. telegram).")

    @field_validator("value")
    @classmethod
    def _normalise(cls, value: str, info: ValidationInfo) -> str:
        contact_kind = info.data.get("contact_kind")
        if contact_kind == "phone":
            return to_e164(value, (info.context or {}).get("phone_region"))
        if contact_kind == "email":
            if value.count("@") != 1 or not value.split("@")[1]:
                raise ValueError(f"{value!r} is not an e-mail address")
            return value.lower()
        return value


class AddressRow(OwnedRow):
    """A postal address; ``full`` is built from the parts when not given."""

    kind: ClassVar[str] = "addresses"

    address_kind: Text | None = Field(None, description="e.g. residence, work, declared_destination.")
    full: Text | None = Field(None, description="The whole address as one line.")
    street: Text | None = Field(None, description="Street and number.")
    postcode: Text | None = Field(None, description="Postal code.")
    city: Text | None = Field(None, description="City or town.")
    region: Text | None = Field(None, description="Region or province.")
    country: Country | None = Field(None, description="Country.")
    latitude: Latitude | None = Field(None, description="WGS 84 latitude.")
    longitude: Longitude | None = Field(None, description="WGS 84 longitude.")

    @model_validator(mode="after")
    def _has_text(self) -> AddressRow:
        if not (self.full or self.street or self.city):
            raise ValueError("an address needs full, street or city")
        return self


class RelationshipRow(RecordRow):
    """A typed, directed edge: subject --kind--> object, both records of the same source."""

    kind: ClassVar[str] = "relationships"

    relationship_kind: RelationshipKind = Field(description="e.g. parent_of, recruited_by, travelled_with.")
    subject_key: Key = Field(description="source_key of the subject.")
    subject_type: Literal["person", "organisation"] = Field("person", description="person or organisation.")
    object_key: Key = Field(description="source_key of the object.")
    object_type: Literal["person", "organisation"] = Field("person", description="person or organisation.")
    started_on: dt.date | None = Field(None, description="Start of the relationship.")
    ended_on: dt.date | None = Field(None, description="End of the relationship.")
    note: Text | None = Field(None, description="Free text.")


class TransactionRow(RecordRow):
    """A payment between two parties, each a record of the same source or just a name/account."""

    kind: ClassVar[str] = "transactions"

    occurred_at: Timestamp = Field(description="ISO 8601 time; without an offset it is taken as UTC.")
    amount: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2)] = Field(description="Amount, > 0.")
    currency: Currency = Field(description="ISO 4217 currency code.")
    channel: Text | None = Field(None, description="e.g. bank_transfer, money_transfer, card, crypto.")
    payer_key: Key | None = Field(None, description="source_key of the paying person/organisation.")
    payer_type: Literal["person", "organisation"] = Field("person", description="Type of payer_key.")
    payee_key: Key | None = Field(None, description="source_key of the receiving person/organisation.")
    payee_type: Literal["person", "organisation"] = Field("person", description="Type of payee_key.")
    payer_name: Text | None = Field(None, description="Payer name as reported.")
    payee_name: Text | None = Field(None, description="Payee name as reported.")
    payer_account: Text | None = Field(None, description="Payer account (IBAN, wallet) as reported.")
    payee_account: Text | None = Field(None, description="Payee account as reported.")
    reference: Text | None = Field(None, description="Payment reference text.")


FORMATS: dict[str, type[RecordRow]] = {
    model.kind: model
    for model in (
        PersonRow,
        DocumentRow,
        BorderPointRow,
        TravelEventRow,
        OrganisationRow,
        ContactRow,
        AddressRow,
        RelationshipRow,
        TransactionRow,
    )
}
