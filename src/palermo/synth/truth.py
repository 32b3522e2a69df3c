"""The ground-truth tables written beside the world (``truth/*.csv``), their columns, and the other fixed layouts."""

from __future__ import annotations

TRUTH_COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": (
        "person_id", "nationality", "sex", "birth_date", "given_names", "surname", "native_name",
        "role", "exploitation", "unit_id", "unit_kind", "network_id",
    ),
    "records": ("source", "kind", "source_key", "person_id", "document_id", "organisation_id"),
    "documents": (
        "document_id", "document_type", "number", "issuing_state", "holder_person_id", "used_by_person_id",
        "status", "derived_from_number", "reported",
    ),
    "movements": (
        "source", "source_key", "person_id", "document_id", "unit_id", "unit_kind", "trafficking",
        "network_id", "movement_role",
    ),
    "units": ("unit_id", "unit_kind", "trafficking", "network_id", "exploitation", "size"),
    "memberships": ("unit_id", "person_id", "role"),
    "organisations": ("organisation_id", "name", "organisation_kind", "legitimate", "unit_id"),
    "shared_contacts": ("value", "contact_kind", "unit_id", "reason", "innocent", "users"),
    "watchlist_matches": ("watchlist", "entry_id", "person_id", "match"),
    "planted": ("pattern", "category", "unit_id", "person_id", "reference"),
}  # fmt: skip

WATCHLIST_COLUMNS = (
    "id", "name", "aliases", "birth_date", "nationality", "sex", "document_numbers", "category", "reason",
)  # fmt: skip
LOST_STOLEN_COLUMNS = (
    "document_number", "issuing_state", "document_type", "status", "reported_date", "reporting_agency",
)  # fmt: skip

ROLES = ("ordinary", "victim", "recruiter", "transporter", "exploiter", "financier", "corrupt_official")
