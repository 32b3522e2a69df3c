"""Docs that cannot drift: every setting, command and ingest field is documented, and the schemas are current."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from palermo.cli.main import app
from palermo.ingest.formats import FORMATS
from palermo.ingest.schemas import field_rows, schema_text
from palermo.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _commands(group: TyperGroup, prefix: str) -> list[str]:
    """Every command under ``group`` (imported through the lazy loader, as a user's call would)."""
    found = []
    context = typer.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, f"{prefix} {name} does not load"
        if isinstance(command, TyperGroup):
            found.extend(_commands(command, f"{prefix} {name}"))
            continue
        assert command.help, f"{prefix} {name} has no help text"
        found.append(f"{prefix} {name}")
    return found


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [f"PALERMO_{name.upper()}" for name in Settings.model_fields if f"`PALERMO_{name.upper()}`" not in text]
    assert missing == []


def test_every_command_is_documented_and_has_help() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = _commands(typer.main.get_group(app), "palermo")
    assert [c for c in commands if f"## `{c}`" not in text] == []
    assert len(commands) >= 8


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_json_schema_in_docs_is_current(kind: str) -> None:
    assert (DOCS / "schemas" / f"{kind}.json").read_text(encoding="utf-8") == schema_text(kind)


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_every_field_of_every_kind_is_in_formats_md(kind: str) -> None:
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    assert f"### `{kind}`" in text
    assert [name for name, _, _ in field_rows(kind) if f"`{name}`" not in text] == []


def permission_table() -> str:
    """The permission table of docs/security.md, as permissions.yaml says it must read."""
    from palermo.auth.permissions import permissions
    from palermo.db.accounts import ROLES

    head = "| permission | personal data | " + " | ".join(f"`{r}`" for r in ROLES) + " | description |"
    rule = "| --- | --- | " + " | ".join("---" for _ in ROLES) + " | --- |"
    rows = [
        f"| `{p.id}` | {'yes' if p.personal_data else 'no'} | "
        + " | ".join("✓" if r in p.roles else "" for r in ROLES)
        + f" | {p.description} |"
        for p in permissions().values()
    ]
    return "\n".join([head, rule, *rows])


def test_security_md_permission_table_matches_permissions_yaml() -> None:
    assert permission_table() in (DOCS / "security.md").read_text(encoding="utf-8")


def test_every_api_route_is_in_api_md() -> None:
    from fastapi.routing import APIRoute, iter_route_contexts

    from palermo.api.app import DOMAIN_ROUTERS

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    routes = [
        f"`{method} {context.path}`"
        for router in DOMAIN_ROUTERS
        for context in iter_route_contexts(router.routes)
        if isinstance(context.original_route, APIRoute)
        for method in sorted(context.methods or ())
    ]
    assert [r for r in routes if r not in text] == []


def test_every_docs_page_is_linked_from_the_index() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    pages = sorted(p.name for p in DOCS.glob("*.md") if p.name != "index.md")
    assert [page for page in pages if f"({page})" not in index] == []
