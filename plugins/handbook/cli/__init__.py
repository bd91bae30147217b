"""The ``handbook`` command line: one module per sub-command, ``main`` dispatches."""

from __future__ import annotations

from handbook.cli.main import main

__all__ = ["main"]
