"""The kpi-extract command line: a thin layer over the library, one module per group of commands.

app.py holds the group, its shared options and the consoles; each other module adds its commands
to it when imported.
"""

from __future__ import annotations

# each registers its commands
from . import batch, compare, corrections, evaluation, extraction, gold, indicators, looking, official  # noqa: F401
from .app import cli, main

__all__ = ["cli", "main"]
