"""The LLM backend: instructor over the openai client, grounded by validators, cached in SQLite."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import ValidationError

from ..chunking import DEFAULT_CHUNK_TOKENS, Chunk, chunk_document
from ..documents import Document
from ..errors import ConfigError, ExtractionFailed, fix_hint
from ..grounding import merge, place
from ..meta import detect_meta
from ..prompts import Prompt, load_prompt
from ..schema import ChunkRecords, DocumentResult, ModelRecord
from ..textnorm import NormalisedText
from ..transport import RateLimiter, RetryPolicy, Usage, counting, on_completion, retrying_create, stop_counting

if TYPE_CHECKING:
    from ..store import Store

BACKEND = "openai"
DEFAULT_MODEL = "gpt-4o-mini"
MODES = {"tools": instructor.Mode.TOOLS, "json_schema": instructor.Mode.JSON_SCHEMA, "json": instructor.Mode.JSON}
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")
# instructor logs every failed attempt at ERROR; we handle those and report them in the run,
# so without a configured handler they should not reach stderr through logging's last resort.
logging.getLogger("instructor").addHandler(logging.NullHandler())


@dataclass
class LLMSettings:
    """Everything that configures the openai backend; from_env() fills the gaps from the environment."""

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = None
    mode: str = "tools"
    prompt: str | None = None
    max_reasks: int = 2
    retries: int = 5
    timeout: float = 120.0
    concurrency: int = 8
    rpm: int | None = None
    tpm: int | None = None
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    max_tokens: int = 4096
    cache: bool = True
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
        if self.mode not in MODES:
            raise ConfigError(fix_hint(f"unknown mode {self.mode!r}", f"choose one of {', '.join(MODES)}"))
        for name in ("concurrency", "chunk_tokens", "max_tokens"):
            if getattr(self, name) < 1:
                raise ConfigError(fix_hint(f"{name} is {getattr(self, name)}", f"give --{name.replace('_', '-')} >= 1"))
        if self.max_reasks < 0 or self.retries < 0:
            raise ConfigError("--max-reasks and --retries must be 0 or more")


@dataclass
class Extraction:
    """One document's result with what it cost: records dropped as ungrounded, tokens and calls.

    The rules backend's results travel in it too, at no cost, so the pipeline has one path.
    """

    result: DocumentResult
    dropped: int = 0
    usage: Usage = field(default_factory=Usage)
    error: ExtractionFailed | None = None  # set when a chunk failed: the result is then incomplete

    def raise_for_error(self) -> Extraction:
        """Raise the chunk failure, if any; else return self."""
        if self.error is not None:
            raise self.error
        return self


@dataclass
class _ChunkAnswer:
    chunk: Chunk
    records: list[ModelRecord]
    dropped: int


def _title(text: str) -> str | None:
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(line) >= 4:
            return line[:150]
    return None


def _literal(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    # instructor renders message text as a Jinja template whenever context= is given; minutes
    # are data, so their text must reach the model unchanged even if it holds '{{' or '{%'.
    return [{**m, "content": "{% raw %}" + m["content"].replace("{% endraw %}", "{ % endraw % }") + "{% endraw %}"}
            for m in messages]


def _answer_text(completion: Any) -> str | None:
    """The JSON a completion carries: tool-call arguments, else message content without code fences."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    for call in getattr(message, "tool_calls", None) or []:
        return call.function.arguments
    content = getattr(message, "content", None)
    return _FENCE.sub("", content) if content else None


def _validate_each(items: Any, source: str) -> tuple[list[ModelRecord], int]:
    records, dropped = [], 0
    for item in items if isinstance(items, list) else []:
        try:
            records.append(ModelRecord.model_validate(item, context={"source": source}))
        except ValidationError:
            dropped += 1
    return records, dropped


class LLMBackend:
    """Extract documents with a model behind any OpenAI-compatible endpoint."""

    def __init__(self, settings: LLMSettings, *, store: Store | None = None,
                 client: openai.AsyncOpenAI | None = None,
                 sleep: Callable[[float], Awaitable[None]] | None = None) -> None:
        settings.check(client_given=client is not None)
        self.settings = settings
        self.prompt: Prompt = load_prompt(settings.prompt)
        self.store = store
        # One retry layer: ours. The openai client's own retries would stack on top of it.
        self.client = (client or openai.AsyncOpenAI(
            api_key=settings.api_key or "not-needed", base_url=settings.base_url,
        )).with_options(max_retries=0, timeout=settings.timeout)
        policy = RetryPolicy(attempts=settings.retries + 1, sleep=sleep or asyncio.sleep)
        limiter = RateLimiter(rpm=settings.rpm, tpm=settings.tpm) if settings.rpm or settings.tpm else None
        mode = MODES[settings.mode]
        create = retrying_create(self.client.chat.completions.create, policy, limiter)
        self.instructor = instructor.AsyncInstructor(
            client=self.client, create=instructor.patch(create=create, mode=mode), mode=mode,
            provider=instructor.Provider.OPENAI,
        )
        self.instructor.on("completion:response", on_completion)
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._schema = ChunkRecords.model_json_schema()

    @property
    def identity(self) -> tuple[str, str, str]:
        """(model, prompt label, prompt hash): what makes a stored extraction current."""
        return self.settings.model, self.prompt.label, self.prompt.sha256

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self.client.close()

    async def extract(self, document: Document) -> Extraction:
        """Extract one document: every candidate chunk, grounded, offsets ours, repeats merged."""
        meta = detect_meta(document.text)
        context = {"title": _title(document.text), "committee": meta.committee, "report_period": meta.report_period}
        chunks = chunk_document(document, token_budget=self.settings.chunk_tokens)
        # Every chunk runs to the end, so answers already paid for reach the cache even if one fails.
        usage = Usage()
        answers = await asyncio.gather(*(self._chunk(c, context, usage) for c in chunks), return_exceptions=True)
        dropped, placed = 0, []
        whole = NormalisedText(document.text)
        for answer in answers:
            if isinstance(answer, BaseException):
                continue
            dropped += answer.dropped
            for record in answer.records:
                grounded = place(record, document.text, answer.chunk.spans, whole)
                if grounded is None:
                    dropped += 1
                else:
                    placed.append(grounded)
        result = DocumentResult(document=document.name, meta=meta, records=merge(placed))
        failures = [a for a in answers if isinstance(a, BaseException)]
        error = None
        if failures:
            if not isinstance(failures[0], ExtractionFailed):
                raise failures[0]
            error = ExtractionFailed(f"{document.name}: {failures[0]} ({len(failures)} of {len(chunks)} chunks failed)")
        return Extraction(result=result, dropped=dropped, usage=usage, error=error)

    def cache_key(self, messages: list[dict[str, str]]) -> str:
        """Hash of (model, mode, prompt version, messages, schema): equal keys, equal answers."""
        payload = {"model": self.settings.model, "mode": self.settings.mode, "prompt": self.prompt.label,
                   "messages": messages, "schema": self._schema}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def _chunk(self, chunk: Chunk, context: dict[str, str | None], spent: Usage) -> _ChunkAnswer:
        """A chunk's answer from the cache or the model; its calls count into spent even if it fails."""
        messages = self.prompt.render(passages=chunk.text, **context)
        key = self.cache_key(messages)
        if self.settings.cache and self.store is not None:
            cached = self.store.cached_response(key)
            if cached is not None:
                records, dropped = _validate_each(cached["records"], chunk.text)
                spent.cache_hits += 1
                return _ChunkAnswer(chunk, records, dropped + cached["dropped"])
        usage = Usage()
        async with self._slots:
            token = counting(usage)
            try:
                answer = await self._ask(chunk, messages)
            finally:
                stop_counting(token)
                spent.add(usage)
        if answer is None:  # the answer did not fit in max_tokens: ask about each half
            halves = chunk.split()
            if halves is None:
                raise ExtractionFailed(fix_hint(
                    f"chunk {chunk.index}: the answer was cut off at --max-tokens {self.settings.max_tokens} "
                    "(finish_reason 'length')", "raise --max-tokens or lower --chunk-tokens"))
            parts = [await self._chunk(half, context, spent) for half in halves]
            answer = [r for p in parts for r in p.records], sum(p.dropped for p in parts)
        records, dropped = answer
        if self.store is not None:  # the whole chunk's key too, so a re-run does not hit the limit again
            self.store.save_response(
                key, {"records": [r.model_dump(mode="json") for r in records], "dropped": dropped},
                model=self.settings.model, mode=self.settings.mode, prompt_version=self.prompt.label,
                prompt_hash=self.prompt.sha256, prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
            )
        return _ChunkAnswer(chunk, records, dropped)

    async def _ask(self, chunk: Chunk, messages: list[dict[str, str]]) -> tuple[list[ModelRecord], int] | None:
        """The chunk's valid records and how many were dropped; None when the answer was cut off."""
        try:
            parsed, _ = await self.instructor.chat.completions.create_with_completion(
                model=self.settings.model, messages=_literal(messages), response_model=ChunkRecords,
                context={"source": chunk.text}, max_retries=self.settings.max_reasks,
                temperature=0, max_tokens=self.settings.max_tokens,
            )
            return list(parsed.records), 0
        except IncompleteOutputException:
            return None
        except InstructorRetryException as exc:
            return self._salvage(chunk, exc)

    def _salvage(self, chunk: Chunk, exc: InstructorRetryException) -> tuple[list[ModelRecord], int]:
        """After the last re-ask: keep the records that validate on their own, drop and count the rest."""
        cause = exc.__cause__
        if not exc.failed_attempts or isinstance(cause, openai.APIError):
            raise ExtractionFailed(fix_hint(
                f"chunk {chunk.index}: the model call failed after {self.settings.retries + 1} tries: "
                f"{type(cause).__name__ if cause else 'error'}: {cause or exc}",
                "check --base-url, the key and the server's logs; the document will be retried on the next run",
            )) from exc
        text = _answer_text(exc.last_completion)
        try:
            data = json.loads(text) if text else None
        except json.JSONDecodeError:
            data = None
        if not isinstance(data, dict | list):
            raise ExtractionFailed(fix_hint(
                f"chunk {chunk.index}: the model's answer was not valid JSON after {exc.n_attempts} attempts",
                "try --mode json_schema or json, or a model that supports tool calling",
            )) from exc
        return _validate_each(data.get("records") if isinstance(data, dict) else data, chunk.text)


def extract_all(documents: Sequence[Document], settings: LLMSettings, *, store: Store | None = None,
                client: openai.AsyncOpenAI | None = None) -> list[DocumentResult]:
    """Extract documents concurrently and wait for all of them; the first failed document raises."""
    if not documents:
        return []
    backend = LLMBackend(settings, store=store, client=client)

    async def _all() -> list[DocumentResult]:
        try:
            extractions = await asyncio.gather(*(backend.extract(d) for d in documents))
            return [x.raise_for_error().result for x in extractions]
        finally:
            await backend.aclose()

    return asyncio.run(_all())


def extract_blocking(document: Document) -> DocumentResult:
    """The Backend seam: one document, settings from the environment, no cache."""
    return extract_all([document], LLMSettings.from_env())[0]
