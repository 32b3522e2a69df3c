"""``palermo serve``: the HTTP API under uvicorn."""

from __future__ import annotations

import typer
import uvicorn

from palermo.api.server import SERVER_OPTIONS
from palermo.cli.common import err_console, node, reports_errors
from palermo.ingest.runs import mark_interrupted_runs


@reports_errors
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes."),
    proxy_headers: bool = typer.Option(False, help="Trust X-Forwarded-* from --forwarded-allow-ips (behind a proxy)."),
    forwarded_allow_ips: str = typer.Option("127.0.0.1", help="Proxies whose X-Forwarded-* headers are trusted."),
) -> None:
    """Serve the HTTP API (and health checks and metrics) with uvicorn."""
    current = node()  # fail early, with a clear message, when the node is missing or its schema is behind
    for run in mark_interrupted_runs(current.engine):
        err_console.print(f"note: {run.message()}", highlight=False, soft_wrap=True)
    uvicorn.run(
        "palermo.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        **SERVER_OPTIONS,
    )
