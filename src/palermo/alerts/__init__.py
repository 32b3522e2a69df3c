"""Alerts of every kind (screening, network analytics, victims, partner notices, rules): one lifecycle, one queue.

A domain raises an alert with :func:`open_alert` (kind, subject, decision, score, explanation) inside the
transaction of the action that found it; officers and analysts list, assign and close alerts; dispositions feed
measured precision. See ``docs/alerts.md``.
"""

from palermo.alerts.lifecycle import (
    STATUSES,
    AlertSubject,
    AlertView,
    alert_precision,
    assign_alert,
    dispose_alert,
    get_alert,
    list_alerts,
    open_alert,
)
from palermo.alerts.queue import AlertFilters, AlertQueuePage, alert_queue

__all__ = [
    "STATUSES",
    "AlertFilters",
    "AlertQueuePage",
    "AlertSubject",
    "AlertView",
    "alert_precision",
    "alert_queue",
    "assign_alert",
    "dispose_alert",
    "get_alert",
    "list_alerts",
    "open_alert",
]
