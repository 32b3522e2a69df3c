"""Operational figures for the dashboard: activity per day, per border point and per indicator, in aggregate.

Counts only, never a person: :func:`palermo.dashboard.activity.activity_summary` is guarded by ``dashboard.read``.
"""

from palermo.dashboard.activity import ActivitySummary, Count, PointVolume, activity_summary

__all__ = ["ActivitySummary", "Count", "PointVolume", "activity_summary"]
