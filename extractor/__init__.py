"""kpi-extract: typed, evidence-grounded children's-services KPI records from council minutes."""

from __future__ import annotations

__version__ = "0.1.0"

from .backends.llm import LLMSettings  # noqa: E402
from .errors import ConfigError, ExtractionFailed, ExtractorError, GoldError, InputError, StoreError  # noqa: E402
from .evaluate import evaluate  # noqa: E402
from .pipeline import extract, run_batch  # noqa: E402
from .schema import Comparison, DocumentMeta, DocumentResult, KPIRecord  # noqa: E402
from .store import Store  # noqa: E402

__all__ = [
    "Comparison",
    "ConfigError",
    "DocumentMeta",
    "DocumentResult",
    "ExtractionFailed",
    "ExtractorError",
    "GoldError",
    "InputError",
    "KPIRecord",
    "LLMSettings",
    "Store",
    "StoreError",
    "evaluate",
    "extract",
    "run_batch",
]
