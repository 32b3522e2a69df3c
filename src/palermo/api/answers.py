"""Answers of the busiest routes: the core's pydantic result serialised once.

A route that returns a model (or a dict) has FastAPI validate it again against the route's response model and
encode it, in a worker thread; the core has already built and validated the result. These routes declare
``response_model`` (so OpenAPI documents the answer) and return :func:`json_answer` instead.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel, TypeAdapter


def json_answer(result: Any, adapter: TypeAdapter[Any] | None = None) -> Response:
    """``result`` (a model, or a value of ``adapter``'s type such as a list of models) as a JSON answer."""
    body = adapter.dump_json(result) if adapter is not None else BaseModel.model_dump_json(result)
    return Response(body, media_type="application/json")
