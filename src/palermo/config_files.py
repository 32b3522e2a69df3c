"""Parameters shipped as YAML beside the code (thresholds, weights, blocking rules), loaded into typed models.

Settings (``palermo.settings``) are what an operator changes per node; these files are what the developers
calibrate and version with the code. A file that does not validate stops the node with one clear error.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from palermo.errors import ConfigurationError

M = TypeVar("M", bound=BaseModel)

#: libyaml's C parser when PyYAML was built with it (about ten times faster: it is paid at every process start)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Parse YAML safely (no Python objects), with the C parser where available."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader: CSafeLoader or SafeLoader


def load_packaged_yaml(package: str, filename: str, model: type[M]) -> M:
    """Validate ``package/filename`` (a YAML file inside the installed package) as ``model``."""
    where = f"{package.replace('.', '/')}/{filename}"
    return _load(lambda: (resources.files(package) / filename).read_text(encoding="utf-8"), model, where)


def load_yaml_file(path: Path, model: type[M]) -> M:
    """Validate the YAML file at ``path`` as ``model``: a calibrated copy of a shipped file."""
    return _load(lambda: path.read_text(encoding="utf-8"), model, str(path))


def validate_parameters(raw: Any, model: type[M], where: str) -> M:
    """``raw`` (parsed YAML) as ``model``, or one :class:`ConfigurationError` naming ``where``."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigurationError(f"invalid parameters in {where}: {exc}") from exc


def _load(read: Callable[[], str], model: type[M], where: str) -> M:
    try:
        raw = parse_yaml(read())
    except FileNotFoundError:
        raise ConfigurationError(f"{where} does not exist") from None
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"cannot read {where}: {exc}") from exc
    return validate_parameters(raw, model, where)
