"""kpi-extract: typed, evidence-grounded children's-services KPI records from council minutes.

Importing the package is light: the model backend (openai, instructor) loads only when a model
backend is made, or when LLMSettings is first asked for.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from .backends.base import Backend, Extraction, Identity  # noqa: E402
from .errors import ConfigError, ExtractionFailed, ExtractorError, GoldError, InputError, StoreError  # noqa: E402
from .evaluate import evaluate  # noqa: E402
from .pipeline import extract, run_batch  # noqa: E402
from .schema import Comparison, DocumentMeta, DocumentResult, KPIRecord  # noqa: E402
from .store import Store  # noqa: E402

__all__ = [
    "Backend",
    "Comparison",
    "ConfigError",
    "DocumentMeta",
    "DocumentResult",
    "Extraction",
    "ExtractionFailed",
    "ExtractorError",
    "GoldError",
    "Identity",
    "InputError",
    "KPIRecord",
    "LLMSettings",
    "Store",
    "StoreError",
    "evaluate",
    "extract",
    "run_batch",
]


def __getattr__(name: str) -> Any:
    # The model backend's settings live with it; its module imports nothing heavy, but keep the
    # import lazy so `import extractor` does the least work.
    if name == "LLMSettings":
        from .backends.model import LLMSettings

        return LLMSettings
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")
