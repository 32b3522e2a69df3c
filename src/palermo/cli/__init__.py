"""The ``palermo`` command line: Typer, one module per command group, each command a few lines over the core."""
