"""Where the name-symbol table lives, and which rigour it belongs to (shared by the lookup and the build)."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from palermo.settings import get_settings

#: bump when the table's layout or the way keys are made changes: older files are then ignored
TABLE_FORMAT = 1


def rigour_version() -> str:
    return version("rigour")


def symbol_table_path(cache_dir: Path | None = None) -> Path:
    """The table for the installed rigour: ``<cache_dir>/name-symbols-rigour-<version>-f<format>.sqlite``."""
    folder = cache_dir if cache_dir is not None else get_settings().cache_dir
    return folder / f"name-symbols-rigour-{rigour_version()}-f{TABLE_FORMAT}.sqlite"
