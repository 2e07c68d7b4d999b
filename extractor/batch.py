"""Batch runs: every request a live run would send, sent through the provider's Batch API instead
(OpenAI's: half the price, answers within 24 hours, 50,000 requests a file), read back by collect.

submit prepares the requests exactly as the live path does (the same chunks, prompt, schema and mode,
so the same cache keys), leaves out what the cache already answers, writes the JSONL input, uploads it
and creates the batch; the database keeps which request belongs to which document and chunk.
batch_collect.py reads the answers back through the live path's parsing and stores each document in one
transaction. instructor.batch is not used to build or read the requests: its BatchRequest always asks for
a strict json_schema response_format of its own (not the live request's body, so the cache keys and the
mode would differ) and its BatchProcessor makes its own synchronous client from the environment; the
request body comes from instructor's handle_response_model, as a live request's does.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .backends.base import Usage
from .backends.model import NAME, LLMSettings, settings_from
from .batch_store import BatchStore, settings_json
from .documents import MAX_CHARS, discover, load_document
from .errors import ConfigError, ExtractionFailed, fix_hint
from .pipeline import _Provenance, run_sync
from .redact import error_message, safe_url, scrub_logs
from .store import Store

if TYPE_CHECKING:
    from .backends.llm import LLMBackend

BACKEND = NAME  # the backend whose requests a batch carries
DEFAULT_DISCOUNT = 0.5  # OpenAI's Batch API: half the list price
PACK_TOKENS = 2000  # batch submit's --pack-tokens: 690 prompt tokens a development-corpus document, not 1,888
MAX_REQUESTS = 50_000  # requests one batch input file may hold (OpenAI)
MAX_BYTES = 190 * 1024 * 1024  # OpenAI takes files of up to 200 MB; a margin below it
ENDED = ("completed", "failed", "expired", "cancelled")
ENDPOINT = "/v1/chat/completions"
# What a collect or status may give again (how to reach the endpoint, what it costs); everything that
# shapes the requests comes from the settings stored with the batch.
REACH = ("base_url", "api_key", "timeout", "retries", "concurrency", "rpm", "tpm", "price_in", "price_out")


@dataclass
class Submitted:
    """One batch created at the provider: our id, the provider's, its requests and documents."""

    id: str
    provider_id: str
    requests: int
    documents: int


@dataclass
class SubmitSummary:
    """What submit did: the batches created and what it left out (and why)."""

    batches: list[Submitted] = field(default_factory=list)
    documents: int = 0  # documents found
    current: int = 0  # already stored with this backend, model and prompt: not sent
    cached: int = 0  # requests the cache already answers: not sent
    pending: int = 0  # requests already in a batch not yet collected: not sent again
    answered_only: int = 0  # documents every request of which is cached or pending: in no new batch
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, why) for files that could not be read
    mode: str | None = None

    @property
    def requests(self) -> int:
        """Requests sent in all the batches."""
        return sum(b.requests for b in self.batches)


def request_body(backend: LLMBackend, messages: list[dict[str, str]], mode: str,
                 response_model: Any = None) -> dict[str, Any]:
    """The body the live client sends for these messages in this mode (instructor adds the schema)."""
    from .backends.answers import response_model as wrapped_model
    from .backends.llm import MODES, handle_response_model

    _, kwargs = handle_response_model(response_model or wrapped_model(), mode=MODES[mode],
                                      messages=copy.deepcopy(messages))
    return {"model": backend.settings.model, **kwargs, "temperature": 0, "max_tokens": backend.settings.max_tokens}


def messages_of(backend: LLMBackend, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """A request's messages, rebuilt from its rows: one chunk, or (packed) each row's passage after its id."""
    if rows[0]["part"]:
        from .packing import parts_of, render_pack

        return render_pack(backend.prompt, parts_of(rows))
    return backend.prompt.render(passages=rows[0]["passages"], **json.loads(rows[0]["context"]))


def body_of(backend: LLMBackend, rows: Sequence[Mapping[str, Any]], mode: str) -> dict[str, Any]:
    """A request's body as the live client sends it (a packed request asks for records naming passages)."""
    if rows[0]["part"]:
        from .backends.packer import packed_model

        return request_body(backend, messages_of(backend, rows), mode, packed_model())
    return request_body(backend, messages_of(backend, rows), mode)


def line_of(backend: LLMBackend, rows: Sequence[Mapping[str, Any]], mode: str) -> bytes:
    """A request's line of the JSONL input, rebuilt from what the database keeps of it."""
    return (json.dumps({"custom_id": rows[0]["custom_id"], "method": "POST", "url": ENDPOINT,
                        "body": body_of(backend, rows, mode)}, ensure_ascii=False) + "\n").encode()


async def call(backend: LLMBackend, what: str, step: Callable[[], Awaitable[Any]]) -> Any:
    """One Batch API call, retried on transient errors as every request is; a failure says what and why,
    the key masked."""
    import openai

    from .transport import RetryPolicy

    policy = RetryPolicy(attempts=backend.settings.retries + 1, sleep=backend.sleep)
    try:
        async for attempt in policy.retrying():
            with attempt:
                return await step()
    except openai.APIError as exc:
        stop = backend._endpoint_error(exc)
        if stop is not None:
            raise stop from None
        raise ExtractionFailed(backend._redact(fix_hint(
            f"{what} at {backend.endpoint} failed: {error_message(exc)}",
            "check that the endpoint serves OpenAI's Batch API (/files, /batches) and try again; nothing is lost: "
            "what was read is kept"))) from None
    raise AssertionError("unreachable")  # pragma: no cover


def backend_for(row: Mapping[str, Any], options: Mapping[str, Any] | None, *, store: Store, client: Any = None,
                sleep: Callable[[float], Awaitable[None]] | None = None) -> LLMBackend:
    """The model backend a batch was prepared with (its stored settings and mode), reaching the endpoint as
    options and the environment say now; ConfigError when that is not where the batch was sent."""
    import os

    from .backends.llm import LLMBackend

    values = {k: v for k, v in json.loads(row["settings"]).items() if k in {f.name for f in fields(LLMSettings)}}
    if os.environ.get("OPENAI_BASE_URL"):
        values["base_url"] = os.environ["OPENAI_BASE_URL"]
    values["api_key"] = os.environ.get("OPENAI_API_KEY") or None
    values.update({k: v for k, v in (options or {}).items() if k in REACH and v is not None})
    settings = LLMSettings(**values)
    endpoint = safe_url(settings.base_url) or "https://api.openai.com/v1"
    if client is None and endpoint != row["endpoint"]:
        raise ConfigError(fix_hint(f"batch {row['provider_id'] or row['id']} was sent to {row['endpoint']}, not "
                                   f"{endpoint}", f"give --base-url {row['endpoint']} (or OPENAI_BASE_URL)"))
    return LLMBackend(settings, store=store, client=client, sleep=sleep)


async def send(backend: LLMBackend, batches: BatchStore, batch_id: str) -> str:
    """Upload a recorded batch's requests as JSONL and create it at the provider; return its id there."""
    row = batches.db["batches"].get(batch_id)
    with tempfile.TemporaryFile() as jsonl:  # written a line at a time: memory stays flat
        for _, rows in itertools.groupby(batches.requests(batch_id), key=lambda r: r["custom_id"]):
            jsonl.write(line_of(backend, list(rows), row["mode"]))
        uploaded = await call(backend, "uploading the batch input", lambda: _upload(backend, jsonl, batch_id))
    created = await call(backend, "creating the batch", lambda: backend.client.batches.create(
        input_file_id=uploaded.id, endpoint=ENDPOINT, completion_window="24h",
        metadata={"kpi_extract_batch": batch_id}))
    batches.update(batch_id, provider_id=created.id, input_file_id=uploaded.id, status=created.status)
    return str(created.id)


async def _upload(backend: LLMBackend, jsonl: IO[bytes], batch_id: str) -> Any:
    jsonl.seek(0)
    return await backend.client.files.create(file=(f"{batch_id}.jsonl", jsonl, "application/jsonl"), purpose="batch")


async def send_unsent(backend: LLMBackend, batches: BatchStore) -> list[str]:
    """Send every batch recorded but never created at the provider (a submit or collect was stopped
    between the two); return the provider's ids."""
    return [await send(backend, batches, row["id"]) for row in batches.batches() if row["provider_id"] is None
            and row["endpoint"] == backend.endpoint]


def new_batch_row(backend: LLMBackend, mode: str, options: Mapping[str, Any], *, parent: str | None = None,
                  requests: int = 0, documents: int = 0) -> dict[str, Any]:
    """A batch's row as recorded before it is sent: the settings that shape its requests (never the key)."""
    settings = {**asdict(backend.settings), "mode": mode, "base_url": safe_url(backend.settings.base_url)}
    return {"id": f"kb-{uuid.uuid4().hex[:16]}", "parent": parent, "endpoint": backend.endpoint,
            "model": backend.settings.model, "mode": mode, "prompt_version": backend.prompt.label,
            "prompt_hash": backend.prompt.sha256, "settings": settings_json(settings),
            "options": json.dumps(dict(options)), "requests": requests, "documents": documents}


def submit(paths: Iterable[str | Path], *, store: Store, options: Mapping[str, Any] | LLMSettings,
           sources: Mapping[Path, Mapping[str, str]] | None = None, given: Mapping[str, str] | None = None,
           max_chars: int = MAX_CHARS, ocr: str = "auto", force: bool = False, client: Any = None,
           discount: float = DEFAULT_DISCOUNT, max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES,
           ) -> SubmitSummary:
    """Send every request a live run would send for documents not already stored, as one batch per input
    file (split at document boundaries within max_requests and max_bytes); return at once."""
    scrub_logs()
    settings = copy.copy(settings_from(options))
    settings.check(client_given=client is not None)
    extra = {"max_chars": max_chars, "ocr": ocr, "force": force, "discount": discount}
    return run_sync(_submit(list(paths), store, settings, dict(sources or {}), dict(given or {}), extra, client,
                            max_requests, max_bytes))


async def _submit(paths: list[str | Path], store: Store, settings: LLMSettings,
                  sources: dict[Path, Mapping[str, str]], given: dict[str, str], extra: dict[str, Any], client: Any,
                  max_requests: int, max_bytes: int) -> SubmitSummary:
    from .backends.llm import LLMBackend

    backend = LLMBackend(settings, store=store, client=client)
    batches = BatchStore(store)
    summary = SubmitSummary()
    try:
        mode = await backend.resolve_mode(Usage())
        summary.mode = backend.mode_note
        await send_unsent(backend, batches)
        pending = batches.pending_keys()
        resolved = {Path(file).resolve(): dict(values) for file, values in sources.items()}
        provenance = _Provenance(resolved, given)
        files = discover([*paths, *resolved]).files
        summary.documents = len(files)
        group = _Group()
        identity = backend.identity
        for path in files:
            try:
                document = await asyncio.to_thread(lambda p=path: provenance.apply(
                    load_document(p, max_chars=extra["max_chars"], ocr=extra["ocr"]), p))
            except Exception as exc:  # a bad file is reported, never stops the submit
                summary.failed.append((str(path), error_message(exc)))
                continue
            if not extra["force"] and store.is_current(document, backend=identity.name, model=identity.model,
                                                       prompt_hash=identity.prompt_hash):
                summary.current += 1
                continue
            _meta, context, chunks = await asyncio.to_thread(backend._prepare, document, mode)
            requests, size, asked = [], 0, 0
            for chunk in chunks:
                messages = backend.prompt.render(passages=chunk.text, **context)
                key = backend.cache_key(messages, mode)
                if settings.cache and store.cached_response(key) is not None:
                    summary.cached += 1
                    continue
                if key in pending:
                    summary.pending += 1
                    asked += 1
                    continue
                pending.add(key)
                request = {"custom_id": uuid.uuid4().hex, "part": None, "document_id": document.sha256,
                           "chunk": chunk.index, "key": key, "passages": chunk.text, "context": json.dumps(context)}
                size += len(line_of(backend, [request], mode))
                requests.append(request)
            if not requests and asked:  # every question of it is in a batch already: that batch stores it
                summary.answered_only += 1
                continue
            if group.requests and (len(group.requests) + len(requests) > max_requests or group.size + size > max_bytes):
                summary.batches.append(await group.flush(backend, batches, mode, extra))
                group = _Group()
            source = {**({"url": document.url} if document.url else {}), **document.given}
            group.add(requests, size, {"document_id": document.sha256, "path": str(path), "name": document.name,
                                       "source": json.dumps(source)})
        if group.requests:
            summary.batches.append(await group.flush(backend, batches, mode, extra))
        else:
            summary.answered_only += len(group.documents)
    finally:
        await backend.aclose()
    return summary


@dataclass
class _Group:
    """The requests and documents of one batch being filled."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    size: int = 0

    def add(self, requests: list[dict[str, Any]], size: int, document: dict[str, Any]) -> None:
        """One document and its requests."""
        self.requests += requests
        self.documents.append(document)
        self.size += size

    async def flush(self, backend: LLMBackend, batches: BatchStore, mode: str, extra: dict[str, Any]) -> Submitted:
        """Record the batch, then send it (a batch recorded but not sent is sent by the next submit or collect)."""
        if backend.settings.pack_tokens:  # several documents' passages to a request, each after its id
            from .packing import pack_rows

            self.requests = pack_rows(self.requests, min(backend.settings.pack_tokens, backend.context_room(mode)))
        sent = len({r["custom_id"] for r in self.requests})
        row = new_batch_row(backend, mode, extra, requests=sent, documents=len(self.documents))
        batches.add_batch(row, self.requests, self.documents)
        provider_id = await send(backend, batches, row["id"])
        return Submitted(row["id"], provider_id, sent, len(self.documents))


def status(store: Store, *, options: Mapping[str, Any] | None = None, client: Any = None,
           every: bool = False) -> list[dict[str, Any]]:
    """Each open batch's state and request counts, asked of the provider now (every: closed ones too, as
    last seen)."""
    return run_sync(_status(store, options, client, every))


async def _status(store: Store, options: Mapping[str, Any] | None, client: Any, every: bool) -> list[dict[str, Any]]:
    batches = BatchStore(store)
    for row in batches.batches():
        if row["provider_id"] is None:
            continue
        backend = backend_for(row, options, store=store, client=client)
        try:
            await refresh(backend, batches, row)
        finally:
            await backend.aclose()
    return [_public(row) for row in batches.batches(open_only=not every)]


async def refresh(backend: LLMBackend, batches: BatchStore, row: Mapping[str, Any]) -> Any:
    """Ask the provider where a batch stands; record its state, counts, files and any reason it ended."""
    remote = await call(backend, f"reading batch {row['provider_id']}",
                        lambda: backend.client.batches.retrieve(row["provider_id"]))
    counts = remote.request_counts
    reason = "; ".join(f"{e.code}: {e.message}" if e.code else str(e.message) for e in (remote.errors.data or [])) \
        if remote.errors else None
    batches.update(row["id"], status=remote.status, output_file_id=remote.output_file_id,
                   error_file_id=remote.error_file_id, completed=counts.completed if counts else None,
                   failed=counts.failed if counts else None, reason=reason or row.get("reason"))
    return remote


def _public(row: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("id", "provider_id", "parent", "status", "reason", "requests", "completed", "failed", "documents",
            "model", "mode", "created_at", "checked_at", "closed_at", "run_id")
    return {key: row[key] for key in keys}


def cancel(store: Store, batch: str, *, options: Mapping[str, Any] | None = None, client: Any = None) -> str:
    """Ask the provider to cancel a batch; return its state. Its answers so far are kept by collect."""
    batches = BatchStore(store)
    row = batches.batch(batch)
    if row is None or row["provider_id"] is None:
        raise ConfigError(fix_hint(f"no batch {batch!r} in {store.path}", "list them with 'kpi-extract batch status'"))

    async def cancelling() -> str:
        backend = backend_for(row, options, store=store, client=client)
        try:
            remote = await call(backend, "cancelling the batch",
                                lambda: backend.client.batches.cancel(row["provider_id"]))
            batches.update(row["id"], status=remote.status)
            return str(remote.status)
        finally:
            await backend.aclose()

    return run_sync(cancelling())
