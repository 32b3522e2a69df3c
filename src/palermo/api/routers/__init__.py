"""One router module per domain; each route declares its permission (``permitted(...)`` or ``public()``)."""
