"""How uvicorn serves a node: the options every place that starts a server uses (``palermo serve``, the demo)."""

from __future__ import annotations

from typing import Any

SERVER_OPTIONS: dict[str, Any] = {
    "server_header": False,  # no `Server: uvicorn`: do not advertise the software to scanners
    "log_level": "warning",
}
