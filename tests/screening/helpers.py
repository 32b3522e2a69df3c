"""Watchlist files and a justified operator for screening tests."""

from __future__ import annotations

from pathlib import Path

from palermo.auth.actor import Actor, cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.node import Node
from palermo.screening.runtime import forget, refresh_index
from palermo.screening.watchlists import LoadReport, load_watchlist

HEADER = "id,name,aliases,birth_date,nationality,sex,document_numbers,category,reason\n"
ROWS = [
    "S-1,Александр Иванов,Sasha Ivanov;Aleksandr Ivanov,1975-03-14,RUS,M,7512345678,suspect,smuggling network",
    "S-2,محمد الحسن,Mohammed Al-Hassan,1980,SYR,M,,wanted,warrant 2024/17",
    "M-1,Olena Shevchenko,,2009-05-07,UKR,F,FA123456,missing_person,reported missing by family",
]


def actor(node: Node) -> Actor:
    return cli_actor("cli:tester", node.agency_code, Justification("legal_basis", "border_control"))


def write_list(folder: Path, rows: list[str] = ROWS, name: str = "list.csv") -> Path:
    path = folder / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def load(node: Node, path: Path, name: str = "mixed", category: str | None = "suspect") -> LoadReport:
    forget(node.home)
    with transaction(node.engine) as session:
        report = load_watchlist(
            session, actor(node), path, name=name, agency_code=node.agency_code, list_category=category
        )
        refresh_index(session, node.home, report.changed, [])
    return report
