"""The kpi-extract command line: a thin layer over the library, one module per group of commands.

app.py holds the group, its shared options and the consoles; each other module adds its commands
to it when imported.
"""

from __future__ import annotations

from . import batch, compare, evaluation, extraction, indicators, looking, official  # noqa: F401  (each registers its commands)
from .app import cli, main

__all__ = ["cli", "main"]
