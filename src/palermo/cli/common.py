"""What every command shares: settings, the open node, the operating-system user, and error reporting."""

from __future__ import annotations

import functools
import getpass
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from palermo.errors import PalermoError
from palermo.logs import configure
from palermo.node import Node, open_node
from palermo.settings import Settings, load_settings

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


def settings() -> Settings:
    current = load_settings()
    configure(current.log_level, current.log_json)
    return current


def node() -> Node:
    return open_node(settings())


def os_user() -> str:
    """The operating-system user running the CLI; CLI actions are attributed to ``cli:<user>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn a :class:`PalermoError` into a one-line message on stderr and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except PalermoError as exc:
            err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper
