"""Response and request bodies shared by several routers."""

from __future__ import annotations

from pydantic import BaseModel


class Message(BaseModel):
    message: str
