"""How uvicorn serves a node: the options every place that starts a server uses (``palermo serve``, the demo)."""

from __future__ import annotations

from typing import Any

from palermo.node import Node

SERVER_OPTIONS: dict[str, Any] = {
    "server_header": False,  # no `Server: uvicorn`: do not advertise the software to scanners
    "log_level": "warning",
    # uvicorn's access lines are INFO, below that level, yet each request still built one; the audit log and
    # /metrics record every request
    "access_log": False,
}


def serve(node: Node, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and the pages of ``node`` until interrupted (what ``palermo serve`` runs, for one node)."""
    import uvicorn

    from palermo.api.app import create_app

    uvicorn.run(create_app(node), host=host, port=port, **SERVER_OPTIONS)
