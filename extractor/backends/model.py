"""The model backend's light half: its settings and how the registry makes it.

Importing this module does not import openai or instructor; only making the backend does
(backends/llm.py), so the offline path and `import extractor` stay light.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, fix_hint
from .base import BackendSpec

if TYPE_CHECKING:
    from ..store import Store
    from .llm import LLMBackend

NAME = "openai"
DEFAULT_MODEL = "gpt-4o-mini"
MODE_NAMES = ("tools", "json_schema", "json")
MODE_CHOICES = ("auto", *MODE_NAMES)


@dataclass
class LLMSettings:
    """Everything that configures the openai backend; from_env() fills the gaps from the environment."""

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = None
    mode: str = "auto"
    prompt: str | None = None
    max_reasks: int = 2
    retries: int = 5
    timeout: float = 120.0
    concurrency: int = 8
    rpm: int | None = None
    tpm: int | None = None
    chunk_tokens: int = 3000
    max_tokens: int = 2048
    context_tokens: int = 8192
    max_calls_per_document: int = 40
    cache: bool = True
    pack_tokens: int = 0  # several documents' passages in one request, up to this many tokens (0: one document)
    send_all: bool = False  # send every paragraph, not only those with numbers or status words (benchmarks)
    price_in: float | None = None
    price_out: float | None = None

    @classmethod
    def from_env(cls, **options: Any) -> LLMSettings:
        """Settings from options (None means unset), then OPENAI_*/KPI_* variables, then defaults."""
        given = {k: v for k, v in options.items() if v is not None}
        env = os.environ
        given.setdefault("api_key", env.get("OPENAI_API_KEY") or None)
        given.setdefault("base_url", env.get("OPENAI_BASE_URL") or None)
        model = env.get("KPI_MODEL") or env.get("OPENAI_MODEL")
        if model:
            given.setdefault("model", model)
        for name, var in (("price_in", "KPI_PRICE_IN"), ("price_out", "KPI_PRICE_OUT")):
            if env.get(var):
                try:
                    given.setdefault(name, float(env[var]))
                except ValueError:
                    raise ConfigError(fix_hint(f"{var}={env[var]!r} is not a number",
                                               "give the price in currency units per million tokens")) from None
        return cls(**{k: v for k, v in given.items() if v is not None})

    def check(self, *, client_given: bool = False) -> None:
        """Raise ConfigError, before any work, when the settings cannot work."""
        if not client_given and not self.api_key and not self.base_url:
            raise ConfigError(fix_hint(
                "the openai backend needs an endpoint: no OPENAI_API_KEY and no OPENAI_BASE_URL",
                "set OPENAI_API_KEY for api.openai.com, or pass --base-url (or OPENAI_BASE_URL) for "
                "another OpenAI-compatible server, or use --backend rules offline",
            ))
        if self.mode not in MODE_CHOICES:
            raise ConfigError(fix_hint(f"unknown mode {self.mode!r}", f"choose one of {', '.join(MODE_CHOICES)}"))
        for name in ("concurrency", "chunk_tokens", "max_tokens", "context_tokens", "max_calls_per_document"):
            if getattr(self, name) < 1:
                raise ConfigError(fix_hint(f"{name} is {getattr(self, name)}", f"give --{name.replace('_', '-')} >= 1"))
        if self.pack_tokens < 0:
            raise ConfigError(fix_hint(f"--pack-tokens is {self.pack_tokens}", "give --pack-tokens 0 (off) or more"))
        if self.max_reasks < 0 or self.retries < 0:
            raise ConfigError("--max-reasks and --retries must be 0 or more")
        if self.max_tokens >= self.context_tokens:
            raise ConfigError(fix_hint(
                f"--max-tokens {self.max_tokens} leaves no room in --context-tokens {self.context_tokens}",
                "lower --max-tokens or raise --context-tokens to the model's context length"))



def configured(options: Mapping[str, Any]) -> bool:
    """Whether the options (--base-url, an API key) or the environment (OPENAI_BASE_URL or
    OPENAI_API_KEY) point at a model endpoint."""
    return bool(options.get("base_url") or options.get("api_key") or os.environ.get("OPENAI_BASE_URL")
                or os.environ.get("OPENAI_API_KEY"))


def settings_from(options: Mapping[str, Any] | LLMSettings) -> LLMSettings:
    """LLMSettings from the command line's options (unknown ones ignored, None unset) or as given."""
    if isinstance(options, LLMSettings):
        return options
    known = {f.name for f in fields(LLMSettings)}
    values = {k: v for k, v in options.items() if k in known}
    if "no_cache" in options:
        values["cache"] = not options["no_cache"]
    return LLMSettings.from_env(**values)


def create(options: Mapping[str, Any] | LLMSettings, *, store: Store | None = None,
           client: Any | None = None) -> LLMBackend:
    """The model backend, from options; its settings are checked before any work."""
    settings = settings_from(options)
    settings.check(client_given=client is not None)
    from .llm import LLMBackend

    return LLMBackend(settings, store=store, client=client)


def check(options: Mapping[str, Any] | LLMSettings) -> None:
    """ConfigError, naming the fix, when the options cannot reach a model."""
    settings_from(options).check()


SPEC = BackendSpec(
    name=NAME,
    summary="a model behind any OpenAI-compatible endpoint (OpenAI, Azure, llama.cpp, Ollama, vLLM), "
            "through instructor; needs OPENAI_API_KEY or --base-url",
    create=create,
    configured=configured,
    check=check,
    uses_store=True,
)
