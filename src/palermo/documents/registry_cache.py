"""One open lost/stolen registry per process (the API app), reopened when ``palermo documents registry load``
(or anyone) replaces the snapshot on disk.

Opening is cheap (arrays are memory-mapped), but not free on every request; the snapshot's ``meta.json`` is
rewritten on every load, so its identity (inode, size, modification time) says when to reopen.
"""

from __future__ import annotations

import threading
from pathlib import Path

from palermo.documents.lost_stolen import LostStolenRegistry

Signature = tuple[int, int, int] | None


def snapshot_signature(home: Path) -> Signature:
    """What identifies the registry snapshot under ``home`` now (``None``: no registry loaded yet)."""
    try:
        stat = (home / "registry" / "meta.json").stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


class RegistryCache:
    """The registry of the node at ``home``, opened once and reopened when its snapshot changes."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._lock = threading.Lock()
        self._signature: Signature = None
        self._registry: LostStolenRegistry | None = None
        self.opened = 0

    def current(self) -> LostStolenRegistry:
        signature = snapshot_signature(self.home)
        with self._lock:
            if self._registry is None or signature != self._signature:
                self._registry = LostStolenRegistry.open(self.home)
                self._signature = signature
                self.opened += 1
            return self._registry
