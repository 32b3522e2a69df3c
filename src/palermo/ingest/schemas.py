"""JSON Schemas and field tables of the ingest formats, generated from the pydantic models (docs cannot drift)."""

from __future__ import annotations

import json
from typing import Any

from palermo.errors import InvalidInput
from palermo.ingest.formats import FORMATS


def json_schema(kind: str) -> dict[str, Any]:
    model = FORMATS.get(kind)
    if model is None:
        raise InvalidInput(f"unknown kind {kind!r}; expected one of: {', '.join(sorted(FORMATS))}")
    schema = model.model_json_schema()
    schema["$id"] = f"palermo:ingest/{kind}"
    return schema


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def field_rows(kind: str) -> list[tuple[str, bool, str]]:
    """(field, required, description) for each field of a kind, in declaration order."""
    return [(name, info.is_required(), info.description or "") for name, info in FORMATS[kind].model_fields.items()]
