"""The `briefgen` command line: a thin layer over the library (see commands.py)."""

from briefgen.cli.commands import app, main

__all__ = ["app", "main"]
