"""The LLM backend: instructor over the openai client, grounded by validators, cached in SQLite."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.processing.response import handle_response_model

from ..chunking import Chunk, chunk_document, estimate_tokens
from ..documents import Document
from ..errors import ConfigError, ExtractionFailed, ExtractorError, fix_hint
from ..grounding import merge, place
from ..meta import detect_meta
from ..prompts import Prompt, load_prompt
from ..schema import ChunkRecords, DocumentMeta, DocumentResult, ModelRecord, grounded_in
from ..textnorm import NormalisedText
from ..transport import (
    EmptyAnswer,
    NotSent,
    RateLimiter,
    RetryPolicy,
    Tally,
    Usage,
    counting,
    on_completion,
    retrying_create,
    stop_counting,
)
from .answers import (
    ChunkAnswer,
    model_refusal,
    read_attempts,
    response_model,
    validate_each,
    what_it_said,
)
from .base import Extraction, Identity
from .endpoint import MODES, EndpointMixin
from .model import NAME, LLMSettings

if TYPE_CHECKING:
    from ..store import Store

MAX_SPLITS = 2  # an answer cut off at --max-tokens is asked again in halves, then quarters, then fails
_REASK_ROOM = 400  # tokens a re-ask's error message may add to the conversation
_SAFETY = 0.85  # the 4-characters-a-token estimate is an average; keep a margin below the context
# instructor logs every failed attempt at ERROR; we handle those and report them in the run,
# so without a configured handler they should not reach stderr through logging's last resort.
logging.getLogger("instructor").addHandler(logging.NullHandler())


class _NotAsked(ExtractionFailed):
    """A chunk skipped because another chunk of its document had already failed."""


@dataclass
class _Answered:
    chunk: Chunk
    answer: ChunkAnswer


def _title(text: str) -> str | None:
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(line) >= 4:
            return line[:150]
    return None


class LLMBackend(EndpointMixin):
    """Extract documents with a model behind any OpenAI-compatible endpoint (whether it answers, and in
    which mode, is EndpointMixin's: backends/endpoint.py)."""

    def __init__(self, settings: LLMSettings, *, store: Store | None = None,
                 client: openai.AsyncOpenAI | None = None,
                 sleep: Callable[[float], Awaitable[None]] | None = None) -> None:
        settings.check(client_given=client is not None)
        super().__init__(settings)
        self.settings = settings
        self.prompt: Prompt = load_prompt(settings.prompt)
        self.store = store
        # One retry layer: ours. The openai client's own retries would stack on top of it.
        self.client = (client or openai.AsyncOpenAI(
            api_key=settings.api_key or "not-needed", base_url=settings.base_url,
        )).with_options(max_retries=0, timeout=settings.timeout)
        self.sleep = sleep or asyncio.sleep  # how retries wait (tests give one that does not)
        policy = RetryPolicy(attempts=settings.retries + 1, sleep=self.sleep)
        limiter = RateLimiter(rpm=settings.rpm, tpm=settings.tpm) if settings.rpm or settings.tpm else None
        # --concurrency: HTTP requests on the wire at once (a request waiting to be retried, or an answer
        # being parsed, holds none).
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._create = retrying_create(self.client.chat.completions.create, policy, limiter, self._slots)
        # With one slot (a local server answering one request at a time), a chunk keeps its turn through
        # its re-asks: a chunk the model cannot answer fails its document before the next chunk is sent.
        # (Taking turns per request, a document that failed had sent every other chunk first: 44 calls
        # instead of 18 for the json-mode run in docs/real-servers.md.)
        self._turn = asyncio.Lock() if settings.concurrency == 1 else None
        self._clients: dict[str, instructor.AsyncInstructor] = {}
        self._overheads: dict[str, int] = {}
        self._packer: Any = None  # backends/packer.py's Packer, made on first use with --pack-tokens
        self._in_flight: dict[str, asyncio.Future[ChunkAnswer | None]] = {}  # cache key -> its answer, once in
        self._schema = ChunkRecords.model_json_schema()
        # A context too small for any passage is a ConfigError now, not a failure later.
        fitting = [mode for mode in ([self.mode] if self.mode else MODES) if self._fits(mode)]
        if not fitting:
            self.passage_budget(self.mode or "tools")  # raises, naming the numbers

    @property
    def identity(self) -> Identity:
        """Backend, model, prompt label and prompt hash: what makes a stored extraction current."""
        return Identity(NAME, self.settings.model, self.prompt.label, self.prompt.sha256)

    @property
    def concurrency(self) -> int:
        """Documents in flight at once: twice the --concurrency request slots they share, so that while
        some documents are being read, placed or stored, others keep every slot busy (with one slot,
        one document: a server that answers one request at a time gets them in order)."""
        slots = self.settings.concurrency
        if self.settings.pack_tokens:  # a request carries several documents: keep enough of them in flight
            return slots * 8
        return slots * 2 if slots > 1 else 1

    @property
    def run_note(self) -> str | None:
        """The structured-output mode the run used, and how it was chosen."""
        return self.mode_note or None

    @property
    def price_in(self) -> float | None:
        """Price per million prompt tokens, if given."""
        return self.settings.price_in

    @property
    def price_out(self) -> float | None:
        """Price per million completion tokens, if given."""
        return self.settings.price_out

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self.client.close()

    def _instructor(self, mode: str) -> instructor.AsyncInstructor:
        if mode not in self._clients:
            client = instructor.AsyncInstructor(
                client=self.client, create=instructor.patch(create=self._create, mode=MODES[mode]), mode=MODES[mode],
                provider=instructor.Provider.OPENAI,
            )
            client.on("completion:response", on_completion)
            self._clients[mode] = client
        return self._clients[mode]

    def overhead_tokens(self, mode: str) -> int:
        """Estimated prompt tokens of everything but the passages, as instructor sends it in a mode:
        system prompt, worked examples, report context and the schema (tools, response_format or text).
        The same for every document of a run, so worked out once per mode."""
        if mode not in self._overheads:
            messages = self.prompt.render(passages="", title="x" * 150, committee="x" * 80,
                                          report_period="2023/24 Q2")
            _, kwargs = handle_response_model(ChunkRecords, mode=MODES[mode], messages=messages)
            self._overheads[mode] = estimate_tokens(json.dumps({k: kwargs[k] for k in ("messages", "tools",
                                                                                      "response_format")
                                                                if k in kwargs}))
        return self._overheads[mode]

    def context_room(self, mode: str) -> int:
        """Tokens of passages that fit in --context-tokens beside the prompt, a re-ask and the answer."""
        s = self.settings
        answers = s.max_tokens * (2 if s.max_reasks else 1) + (_REASK_ROOM if s.max_reasks else 0)
        return int((s.context_tokens - self.overhead_tokens(mode) - answers) * _SAFETY)

    def passage_budget(self, mode: str) -> int:
        """Tokens of passages per request so that prompt, a re-ask and the answer fit in --context-tokens."""
        s = self.settings
        room = self.context_room(mode)
        if room < 100:
            raise ConfigError(fix_hint(
                f"in --mode {mode} the prompt ({self.overhead_tokens(mode)} tokens) and --max-tokens {s.max_tokens} "
                f"leave no room for passages in --context-tokens {s.context_tokens}",
                "raise --context-tokens to the model's context length, or lower --max-tokens or --max-reasks"))
        return min(s.chunk_tokens, room)

    async def extract(self, document: Document) -> Extraction:
        """Extract one document: every candidate chunk, grounded, offsets ours, repeats merged."""
        usage = Usage()
        mode = await self.resolve_mode(usage)
        # The document's own work (meta, passages; placing and merging the answers) runs on a worker
        # thread, so the event loop stays free to send requests and take answers meanwhile.
        meta, context, chunks = await asyncio.to_thread(self._prepare, document, mode)
        # Chunks in flight run to the end, so answers already paid for reach the cache even if one
        # fails; once one has failed, the document will not be stored, so the rest are not asked.
        failed = asyncio.Event()
        answers = await asyncio.gather(*(self._packed_or_alone(c, context, usage, mode, failed) for c in chunks),
                                       return_exceptions=True)
        result, offered, dropped = await asyncio.to_thread(self._assemble, document, meta, answers)
        failures = [a for a in answers if isinstance(a, BaseException) and not isinstance(a, _NotAsked)]
        error = None
        if failures:
            stops = [f for f in failures if not isinstance(f, ExtractionFailed)]
            if stops:  # an endpoint that cannot work, or a bug: not this document's failure
                raise stops[0]
            skipped = sum(isinstance(a, _NotAsked) for a in answers)
            note = f", {skipped} not asked" if skipped else ""
            error = ExtractionFailed(self._redact(f"{document.name}: {failures[0]} ({len(failures)} of "
                                                  f"{len(chunks)} chunks failed{note})"))
        return Extraction(result=result, dropped=dropped, usage=usage, error=error, offered=offered)

    def _prepare(self, document: Document, mode: str) -> tuple[DocumentMeta, dict[str, str | None], list[Chunk]]:
        """The document's meta (what the user gave wins), the context every request carries, its chunks."""
        meta = detect_meta(document.text).model_copy(update=document.given)
        context = {"title": _title(document.text), "committee": meta.committee, "report_period": meta.report_period}
        chunks = chunk_document(document, token_budget=self.passage_budget(mode), every_block=self.settings.send_all)
        return meta, context, chunks

    @staticmethod
    def _assemble(document: Document, meta: DocumentMeta, answers: list[Any]) -> tuple[DocumentResult, int, int]:
        """The document's result from its chunks' answers: each record placed in the text (offsets ours),
        repeats merged; with the records offered and dropped."""
        offered = dropped = 0
        placed = []
        whole = NormalisedText(document.text)
        for answered in answers:
            if isinstance(answered, BaseException):
                continue
            offered += answered.answer.offered
            dropped += answered.answer.dropped
            for record in answered.answer.records:
                grounded = place(record, document.text, answered.chunk.spans, whole)
                if grounded is None:
                    dropped += 1
                else:
                    placed.append(grounded)
        return DocumentResult(document=document.name, meta=meta, records=merge(placed)), offered, dropped

    def cache_key(self, messages: list[dict[str, str]], mode: str | None = None) -> str:
        """Hash of (model, mode, prompt version, messages, schema): equal keys, equal answers."""
        payload = {"model": self.settings.model, "mode": mode or self.mode or self.settings.mode,
                   "prompt": self.prompt.label, "messages": messages, "schema": self._schema}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def _packed_or_alone(self, chunk: Chunk, context: dict[str, str | None], spent: Usage, mode: str,
                               failed: asyncio.Event) -> _Answered:
        """With --pack-tokens, a chunk the cache does not answer shares a request with other documents'
        (backends/packer.py); alone when packing is off, or when its pack had to be split."""
        if self.settings.pack_tokens:
            messages = self.prompt.render(passages=chunk.text, **context)
            key = self.cache_key(messages, mode)
            cached = self._cached(key, NormalisedText(chunk.text), spent)
            if cached is not None:
                return _Answered(chunk, cached)
            if self._packer is None:
                from .packer import Packer

                self._packer = Packer(self)
            try:
                answer = await self._packer.ask(chunk, context, key, spent, mode)
            except ExtractorError:
                failed.set()
                raise
            if answer is not None:
                return _Answered(chunk, answer)
        return await self._chunk(chunk, context, spent, mode, failed=failed)

    def _cached(self, key: str, source: NormalisedText, spent: Usage) -> ChunkAnswer | None:
        """A chunk's answer from the cache (its records validated against the chunk again), or None."""
        if not (self.settings.cache and self.store is not None):
            return None
        cached = self.store.cached_response(key)
        if cached is None:
            return None
        records = validate_each(cached["records"], source)
        spent.cache_hits += 1
        offered = cached.get("offered", len(records) + cached.get("dropped", 0))
        return ChunkAnswer(records, offered, True)

    async def _chunk(self, chunk: Chunk, context: dict[str, str | None], spent: Usage, mode: str,
                     depth: int = 0, failed: asyncio.Event | None = None) -> _Answered:
        """A chunk's answer from the cache or the model; its calls count into spent even if it fails.

        failed is set when any chunk of the document fails; a chunk not yet asked then is not asked."""
        try:
            return await self._chunk_answer(chunk, context, spent, mode, depth, failed)
        except ExtractorError:
            if failed is not None:
                failed.set()
            raise

    async def _chunk_answer(self, chunk: Chunk, context: dict[str, str | None], spent: Usage, mode: str,
                            depth: int, failed: asyncio.Event | None) -> _Answered:
        messages = self.prompt.render(passages=chunk.text, **context)
        key = self.cache_key(messages, mode)
        source = NormalisedText(chunk.text)  # once per chunk: every record's grounding is checked against it
        cached = self._cached(key, source, spent)
        if cached is not None:
            return _Answered(chunk, cached)
        shared = self._in_flight.get(key)
        if shared is not None:  # the same question is being asked for another document: wait for its answer
            answer = await asyncio.shield(shared)
            if answer is not None:
                spent.cache_hits += 1
                return _Answered(chunk, answer)
        # Anyone asking the same question meanwhile waits for this answer (None: it failed, ask yourself).
        mine: asyncio.Future[ChunkAnswer | None] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = mine
        try:
            answered = await self._asked(chunk, source, messages, key, context, spent, mode, depth, failed)
        except BaseException:
            mine.set_result(None)
            raise
        else:
            mine.set_result(answered.answer)
            return answered
        finally:
            if self._in_flight.get(key) is mine:
                del self._in_flight[key]

    async def _asked(self, chunk: Chunk, source: NormalisedText, messages: list[dict[str, str]], key: str,
                     context: dict[str, str | None], spent: Usage, mode: str, depth: int,
                     failed: asyncio.Event | None) -> _Answered:
        """The chunk asked of the model (halved when the answer is cut off), its answer cached."""
        cap = self.settings.max_calls_per_document
        if len(spent.calls) >= cap:
            raise ExtractionFailed(fix_hint(
                f"chunk {chunk.index}: the document already made {len(spent.calls)} model calls, the cap "
                f"(--max-calls-per-document {cap}); likely cause: the model does not stop or does not follow the "
                "schema, so answers are cut off and re-asked", "raise --max-tokens, or use a model that follows "
                "the schema"))
        await self.check_endpoint()
        usage = Usage()
        async with self._turn or contextlib.nullcontext():
            if failed is not None and failed.is_set():
                raise _NotAsked(f"chunk {chunk.index}: not asked, another chunk of the document failed")
            # failed is checked again as each of the chunk's requests goes out (transport.NotSent)
            tally, token = counting(usage, chunk=chunk.index, stop=failed)
            try:
                answer = await self._ask(chunk, source, messages, mode, tally)
            finally:
                stop_counting(token)
                usage.reasks += max(len(tally.completions) - 1, 0)
                spent.add(usage)
        if answer is None:  # the answer did not fit in max_tokens: ask about each half
            halves = chunk.split() if depth < MAX_SPLITS else None
            if halves is None:
                raise ExtractionFailed(fix_hint(
                    f"chunk {chunk.index}: the answer was cut off at --max-tokens {self.settings.max_tokens} "
                    f"(finish_reason 'length') {'even after splitting it twice' if depth else 'on a single passage'}; "
                    "likely cause: the model does not stop", "raise --max-tokens, or use a model that follows the "
                    "schema"))
            parts = [await self._chunk(half, context, spent, mode, depth + 1, failed) for half in halves]
            answer = ChunkAnswer([r for p in parts for r in p.answer.records],
                                 sum(p.answer.offered for p in parts), True)
        if self.store is not None:  # the whole chunk's key too, so a re-run does not hit the limit again
            self.store.save_response(
                key, {"records": [r.model_dump(mode="json") for r in answer.records], "offered": answer.offered,
                      "dropped": answer.dropped},
                model=self.settings.model, mode=mode, prompt_version=self.prompt.label,
                prompt_hash=self.prompt.sha256, prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
            )
        return _Answered(chunk, answer)

    async def _ask(self, chunk: Chunk, source: NormalisedText, messages: list[dict[str, str]], mode: str,
                   tally: Tally) -> ChunkAnswer | None:
        """The chunk's answer over every attempt (tally holds their raw completions); None when it was
        cut off at max_tokens.

        Raises ExtractionFailed when the request itself failed, or when no attempt followed the
        schema: that is never taken for 'no KPIs', and never cached."""
        final: list[ModelRecord] | None = None
        try:
            # The source goes to validation through grounded_in, not context=: given context=, instructor
            # renders the messages as Jinja templates, and minutes are data, not templates.
            with grounded_in(source):
                parsed, _ = await self._instructor(mode).chat.completions.create_with_completion(
                    model=self.settings.model, messages=messages, response_model=response_model(),
                    max_retries=self.settings.max_reasks, temperature=0, max_tokens=self.settings.max_tokens,
                )
            final = list(parsed.records)
        except IncompleteOutputException:
            return None
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, NotSent):
                raise _NotAsked(f"chunk {chunk.index}: {cause}") from None
            refused = model_refusal(tally.completions)
            if refused:  # the model declined (or a content filter stopped it): asking again rarely helps
                raise ExtractionFailed(fix_hint(
                    f"chunk {chunk.index}: the model refused to answer ({refused})",
                    "check the passage is minutes, not instructions; try another model")) from exc
            if not exc.failed_attempts or isinstance(cause, (openai.APIError, EmptyAnswer)):
                raise self._transport_failure(f"chunk {chunk.index}", cause or exc, mode) from exc
        answer = read_attempts(tally.completions, source, final)
        if final is None and not answer.followed_schema and not answer.records:
            raise ExtractionFailed(fix_hint(
                f"chunk {chunk.index}: the model did not follow the schema ({what_it_said(tally.completions)})",
                f"try --mode {' or '.join(m for m in MODES if m != mode)}, or a model that follows JSON schemas"))
        return answer
