"""The alert queue: alerts filtered (status, decision, kind, border point, age), sorted and paged, with the total.

A page of the queue says how many alerts match in all, so a reader knows what is beyond the page; the web queue and
any client page through it with ``offset`` and ``limit``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, UnaryExpression, func, select
from sqlalchemy.orm import Session

from palermo.alerts.lifecycle import STATUSES, AlertView, may_see_special, view_of
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.alerts import Alert
from palermo.errors import InvalidInput
from palermo.taxonomies import taxonomy

DECISIONS = ("refer", "alert", "protect")
Sort = Literal["newest", "oldest", "score"]
SORTS: dict[str, tuple[UnaryExpression[Any], ...]] = {
    "newest": (Alert.created_at.desc(), Alert.id.desc()),
    "oldest": (Alert.created_at.asc(), Alert.id.asc()),
    "score": (Alert.score.desc(), Alert.id.desc()),
}
MAX_PAGE = 200


class AlertFilters(BaseModel):
    """Which alerts a queue shows; every filter is optional (None: any)."""

    model_config = ConfigDict(frozen=True)

    status: str | None = None
    decision: str | None = None
    kind: str | None = None
    border_point: str | None = Field(None, max_length=16)
    opened_after: dt.datetime | None = None
    opened_before: dt.datetime | None = None

    def checked(self) -> AlertFilters:
        """These filters, or an :class:`InvalidInput` naming the allowed values."""
        if self.status is not None and self.status not in STATUSES:
            raise InvalidInput(f"status {self.status!r} is not one of {', '.join(STATUSES)}", field="status")
        if self.decision is not None and self.decision not in DECISIONS:
            raise InvalidInput(f"decision {self.decision!r} is not one of {', '.join(DECISIONS)}", field="decision")
        if self.kind is not None:
            taxonomy("alert_kinds").require(self.kind)
        return self

    def conditions(self) -> list[ColumnElement[bool]]:
        found = []
        for column, wanted in (
            (Alert.status, self.status),
            (Alert.decision, self.decision),
            (Alert.kind, self.kind),
            (Alert.border_point, self.border_point),
        ):
            if wanted is not None:
                found.append(column == wanted)
        if self.opened_after is not None:
            found.append(Alert.created_at >= self.opened_after)
        if self.opened_before is not None:
            found.append(Alert.created_at < self.opened_before)
        return found


class AlertQueuePage(BaseModel):
    """One page of a queue: its alerts, where it starts, and how many match in all."""

    model_config = ConfigDict(frozen=True)

    total: int = Field(description="Alerts matching the filters, on every page")
    offset: int
    limit: int
    items: list[AlertView]

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None


def alert_queue(
    session: Session,
    actor: Actor,
    filters: AlertFilters | None = None,
    *,
    sort: Sort = "newest",
    offset: int = 0,
    limit: int = 25,
) -> AlertQueuePage:
    """A page of the alerts matching ``filters`` in ``sort`` order, with the total (recorded as a read of alerts)."""
    guard(session, actor, "alerts.read", subject="alerts")
    filters = (filters or AlertFilters()).checked()
    if sort not in SORTS:
        raise InvalidInput(f"sort {sort!r} is not one of {', '.join(SORTS)}", field="sort")
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"a page starts at 0 or later and holds 1 to {MAX_PAGE} alerts")
    where = filters.conditions()
    total = session.scalar(select(func.count()).select_from(Alert).where(*where)) or 0
    rows = session.scalars(select(Alert).where(*where).order_by(*SORTS[sort]).offset(offset).limit(limit))
    special = may_see_special(actor)
    items = [view_of(session, alert, with_history=False, special=special) for alert in rows]
    return AlertQueuePage(total=total, offset=offset, limit=limit, items=items)
