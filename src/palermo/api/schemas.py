"""Response and request bodies shared by several routers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from palermo.auth.users import UserInfo


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    agency_code: str
    role: str
    disabled: bool
    totp_enabled: bool
    must_change_password: bool
    failed_logins: int
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None

    @classmethod
    def of(cls, info: UserInfo) -> UserOut:
        return cls.model_validate(info)


class Message(BaseModel):
    message: str
