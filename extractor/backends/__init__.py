"""Extraction backends: one seam each. A backend turns a Document into a DocumentResult."""

from __future__ import annotations

import os
from collections.abc import Callable

from ..documents import Document
from ..errors import ConfigError, fix_hint
from ..schema import DocumentResult

Backend = Callable[[Document], DocumentResult]
NAMES = ("rules", "openai")


def default_backend() -> str:
    """'openai' when an endpoint or key is configured in the environment, else the offline 'rules'."""
    if os.environ.get("OPENAI_BASE_URL") or os.environ.get("OPENAI_API_KEY"):
        return "openai"
    return "rules"


def get_backend(name: str) -> Backend:
    """The extraction function for a backend name; ConfigError names the choices."""
    if name == "rules":
        from .rules import extract

        return extract
    if name == "openai":
        from .llm import extract_blocking

        return extract_blocking
    raise ConfigError(fix_hint(f"unknown backend {name!r}", f"choose one of {', '.join(NAMES)}"))
