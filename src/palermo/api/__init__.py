"""The HTTP API: ``create_app()``, one router module per domain, dependencies, error rendering, metrics."""

from palermo.api.app import create_app

__all__ = ["create_app"]
