"""Palermo: one node of a cross-border counter-trafficking network.

The package is a library core (``palermo.<domain>``) with thin shells (CLI, HTTP API, web pages) on top.
"""

__version__ = "0.1.0"
