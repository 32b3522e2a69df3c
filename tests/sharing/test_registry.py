"""Who may be a partner: a node that shares names its agency, and a partner's code tells it apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.db.engine import transaction
from palermo.errors import InvalidInput
from palermo.node import Node
from palermo.sharing import partners
from palermo.sharing.keys import node_keys
from tests.conftest import StoreTemplates
from tests.sharing.nodes import make_node, operator, sqlite_store


def add(here: Node, there: Node, agency_code: str, country: str = "RO") -> partners.PartnerInfo:
    public = node_keys(there.home).public
    with transaction(here.engine) as session:
        return partners.add_partner(
            session,
            operator(here),
            name="partner-x",
            agency_code=agency_code,
            country=country,
            signing_key=public.signing_key,
            encryption_key=public.encryption_key,
        ).partner


def test_a_node_that_shares_needs_its_own_agency_code(tmp_path: Path, templates: StoreTemplates) -> None:
    unnamed = make_node(tmp_path, "local", sqlite_store(templates, tmp_path / "store-local"))
    named = make_node(tmp_path, "at-bk", sqlite_store(templates, tmp_path / "store-at-bk"))
    other = make_node(tmp_path, "ro-igpr", sqlite_store(templates, tmp_path / "store-ro-igpr"))
    with pytest.raises(InvalidInput, match="this node's agency code is 'local', the default"):
        add(unnamed, other, "ro-igpr")
    with pytest.raises(InvalidInput, match="agency code 'local' is the default of a node without one"):
        add(named, unnamed, "local")
    with pytest.raises(InvalidInput, match="agency code 'at-bk' is this node's own"):
        add(named, other, "at-bk")
    assert add(named, other, "ro-igpr", country="ro").country == "ROU"  # alpha-2 or alpha-3, stored as alpha-3
