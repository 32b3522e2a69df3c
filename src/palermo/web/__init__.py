"""The web application: server-rendered pages (Jinja2, htmx) over the core, mounted by ``create_app``.

:func:`install_web` adds the pages under ``/web`` and their static files. See ``docs/web.md``.
"""

from palermo.web.app import PAGE_ROUTERS, install_web, page_routes
from palermo.web.deps import WEB_PREFIX

__all__ = ["PAGE_ROUTERS", "WEB_PREFIX", "install_web", "page_routes"]
