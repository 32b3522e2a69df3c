"""Named scales of the synthetic world: how many persons each generates."""

from __future__ import annotations

from palermo.synth.config import world_config

SCALES: tuple[str, ...] = ("tiny", "small", "medium", "large")


def persons_at(scale: str) -> int:
    """Target number of persons at ``scale`` (tiny ~200, small ~5k, medium ~100k, large ~1M)."""
    return world_config().persons_for(scale)
