"""kpi-extract: typed, evidence-grounded children's-services KPI records from council minutes.

Importing the package is light: each name below loads its module on first use (the model backend's
openai and instructor only when a model backend is made), so a command that only exports or shows
stored records does not pay for pydantic models, the pipeline or the model client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# 'evaluate' is also a submodule's name: importing extractor.evaluate (the CLI's eval does) binds the
# package attribute to the module, so the function is bound here, after its module, as it always was.
from .evaluate import evaluate  # noqa: E402

_HOMES = {
    "Backend": "backends.base", "Extraction": "backends.base", "Identity": "backends.base",
    "ConfigError": "errors", "ExtractionFailed": "errors", "ExtractorError": "errors", "GoldError": "errors",
    "InputError": "errors", "StoreError": "errors",
    "evaluate": "evaluate", "extract": "pipeline", "run_batch": "pipeline",  # evaluate: bound above
    "Comparison": "schema", "DocumentMeta": "schema", "DocumentResult": "schema", "KPIRecord": "schema",
    "Store": "store", "LLMSettings": "backends.model",
}
__all__ = [
    "Backend", "Comparison", "ConfigError", "DocumentMeta", "DocumentResult", "Extraction", "ExtractionFailed",
    "ExtractorError", "GoldError", "Identity", "InputError", "KPIRecord", "LLMSettings", "Store", "StoreError",
    "evaluate", "extract", "run_batch",
]

if TYPE_CHECKING:
    from .backends.base import Backend, Extraction, Identity
    from .backends.model import LLMSettings
    from .errors import ConfigError, ExtractionFailed, ExtractorError, GoldError, InputError, StoreError
    from .pipeline import extract, run_batch
    from .schema import Comparison, DocumentMeta, DocumentResult, KPIRecord
    from .store import Store


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'extractor' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
