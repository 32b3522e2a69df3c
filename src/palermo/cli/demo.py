"""``palermo demo``: the main job on the embedded default, end to end."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TaskID
from rich.table import Table

from palermo.cli.common import console, os_user, reports_errors, settings
from palermo.logs import library_logs_to
from palermo.node import open_node

DEMO_HOST = "127.0.0.1"
DEMO_PORT = 8000


def address(host: str, port: int) -> str:
    """The address to print for the pages of a node served on ``host:port``."""
    from palermo.web.deps import WEB_PREFIX

    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 (comparing, not binding)
    return f"http://{shown}:{port}{WEB_PREFIX}/"


@reports_errors
def demo(
    home: Path = typer.Option(None, help="Node home for the demo (default: PALERMO_HOME)."),
    reuse: bool = typer.Option(False, help="Reuse an existing demo node instead of starting afresh."),
    scale: str = typer.Option("small", help="Size of the synthetic world: tiny, small, medium or large."),
    seed: int = typer.Option(7, help="Seed of the synthetic world (same seed, same world)."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Do not serve the web application at the end."),
) -> None:
    """Initialise a demo node, ingest a synthetic world and report what every capability finds."""
    # The demo touches every capability (Splink, the screening index, the web app): import them only when it runs,
    # so that every other command starts fast.
    from palermo.api.server import serve
    from palermo.demo import run_demo
    from palermo.demo.accounts import demo_login

    current = settings()
    if home is not None:
        current = current.model_copy(update={"home": home})
    console.print(f"[bold]Palermo demo[/] in {current.home}")
    log_file = current.home / "logs" / "demo.log"
    tasks: dict[str, TaskID] = {}
    with (
        library_logs_to(log_file),
        Progress("[progress.description]{task.description}", BarColumn(), console=console, transient=True) as bar,
    ):

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)

        report = run_demo(current, reuse=reuse, actor=os_user(), scale=scale, seed=seed, progress=progress)
    for section in report.sections:
        table = Table(*section.columns, title=section.title, title_justify="left")
        for row in section.rows:
            table.add_row(*row)
        console.print(table)
        for note in section.notes:
            console.print(f"  {note}")
    console.print(f"Node [bold]{report.node_id}[/] ready in {report.home}; {report.rejected} row(s) rejected.")
    if log_file.exists():
        console.print(f"Libraries' notes (e.g. Splink's training messages) are in {log_file}")
    if not no_serve:
        served = open_node(current)
        username, password = demo_login(served)
        console.print(f"Web application: [bold]{address(DEMO_HOST, DEMO_PORT)}[/] (Ctrl-C stops it)")
        console.print(f"Sign in as [bold]{username}[/] with the one-time password [bold]{password}[/]")
        serve(served, host=DEMO_HOST, port=DEMO_PORT)
