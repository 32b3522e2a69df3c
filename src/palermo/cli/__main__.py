"""``python -m palermo.cli``: the same application as the ``palermo`` command."""

from palermo.cli.main import app

app()
