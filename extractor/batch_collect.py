"""Reading a batch back: each answer parsed exactly as a live answer is (instructor's parsing of the response
model, validation grounded in the chunk's passages, every attempt read by read_attempts), cached under the
live request's key; invalid answers re-asked live, failed or expired requests asked live (or, with resubmit,
in a follow-up batch); then each document stored by the pipeline in one transaction, its chunks answered
from the cache, its records through the one gate.

Every step can be stopped and run again: a request's answer is cached before the request is marked read,
read requests are never read again, a stored document is skipped, and a batch is closed last.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .backends.base import Call, Extraction, Usage
from .batch import DEFAULT_DISCOUNT, ENDED, backend_for, new_batch_row, refresh, send, send_unsent
from .batch_store import BatchStore
from .errors import ExtractionFailed, fix_hint
from .pipeline import RunSummary, run_batch, run_sync
from .redact import scrub_logs
from .schema import DocumentMeta, DocumentResult
from .store import Store, now
from .textnorm import NormalisedText

if TYPE_CHECKING:
    from .backends.llm import LLMBackend
    from .documents import Document


@dataclass
class Collected:
    """What collect did with one batch."""

    batch: str  # the provider's id
    status: str
    reason: str | None = None
    answered: int = 0  # requests whose answers were read and cached this time
    failed: int = 0  # requests that failed in the batch (asked live, or resubmitted)
    reasked: int = 0  # answers that failed validation and were re-asked live
    follow_up: str | None = None  # the batch the failed requests were resubmitted in
    summary: RunSummary | None = None  # the run that stored its documents
    left: int = 0  # documents not stored because the batch failed, expired or was cancelled

    @property
    def ended(self) -> bool:
        """Whether the batch has ended at the provider."""
        return self.status in ENDED


def collect(store: Store, *, options: Mapping[str, Any] | None = None, client: Any = None, wait: bool = False,
            resubmit: bool = False, batch: str | None = None, poll_seconds: float = 60.0,
            sleep: Callable[[float], Awaitable[None]] | None = None, discount: float | None = None,
            ) -> list[Collected]:
    """Read back every open batch that has ended (or the one named), store its documents; with wait, poll
    (every poll_seconds, by sleep) until each has ended. A batch that failed, expired or was cancelled is
    closed with its reason, its answers cached and its documents left for a later run or submit."""
    scrub_logs()
    batches = BatchStore(store)
    rows = [row for row in batches.batches() if batch is None or batch in (row["id"], row["provider_id"])
            or str(row["provider_id"] or "").startswith(batch) or row["id"].startswith(batch)]
    if batch is not None and not rows:
        raise ExtractionFailed(fix_hint(f"no open batch {batch!r} in {store.path}",
                                        "list them with 'kpi-extract batch status --all'"))
    results = []
    for row in rows:
        results.append(_collect_one(store, batches, row, options, client, wait, resubmit, poll_seconds, sleep,
                                    discount))
    return results


def _collect_one(store: Store, batches: BatchStore, row: dict[str, Any], options: Mapping[str, Any] | None,
                 client: Any, wait: bool, resubmit: bool, poll_seconds: float,
                 sleep: Callable[[float], Awaitable[None]] | None, discount: float | None) -> Collected:
    extra = json.loads(row["options"] or "{}")
    share = discount if discount is not None else extra.get("discount", DEFAULT_DISCOUNT)

    async def reading() -> Collected:
        backend = backend_for(row, options, store=store, client=client, sleep=sleep)
        try:
            if row["provider_id"] is None:  # recorded, never sent (a submit or collect stopped between the two)
                await send_unsent(backend, batches)
                return Collected(str(batches.db["batches"].get(row["id"])["provider_id"]), "validating")
            remote = await refresh(backend, batches, row)
            while wait and remote.status not in ENDED:
                await backend.sleep(poll_seconds)
                remote = await refresh(backend, batches, row)
            done = Collected(row["provider_id"], remote.status)
            if remote.status not in ENDED:
                return done
            await _read(backend, batches, row, remote, done)
            if remote.status == "completed" and resubmit:
                done.follow_up = await _resubmit(backend, batches, row, extra)
            return done
        finally:
            await backend.aclose()

    done = run_sync(reading())
    current = batches.db["batches"].get(row["id"])
    done.reason = current["reason"]
    if not done.ended:
        return done
    if done.status != "completed":
        waiting = [d["document_id"] for d in batches.documents(row["id"])]
        batches.mark_documents(row["id"], waiting, "left")
        done.left = len(waiting)
        done.reason = done.reason or f"the batch {done.status} at the provider"
        batches.update(row["id"], closed_at=now(), reason=done.reason)
        return done
    done.summary = _store(store, batches, row, options, client, sleep, extra, share)
    batches.update(row["id"], closed_at=now(), run_id=done.summary.run_id if done.summary else None)
    return done


async def _read(backend: LLMBackend, batches: BatchStore, row: Mapping[str, Any], remote: Any,
                done: Collected) -> None:
    """Settle every request of the batch from its output and error files; re-ask invalid answers live."""
    reasks: list[tuple[Any, Any, Exception]] = []
    for file_id in (remote.output_file_id, remote.error_file_id):
        if not file_id:
            continue
        async with backend.client.files.with_streaming_response.content(file_id) as response:
            async for line in response.iter_lines():  # a line at a time: memory stays flat
                if not line.strip():
                    continue
                item = json.loads(line)
                parts = [p for p in batches.parts(str(item.get("custom_id")))
                         if p["batch_id"] == row["id"] and p["state"] == "sent"]
                if not parts:
                    continue  # not ours, or read already (a collect run again)
                if parts[0]["part"]:  # several documents' passages in one request (--pack-tokens)
                    from .batch_packed import settle_packed

                    pending = settle_packed(backend, batches, parts, item, row["mode"], done)
                else:
                    pending = _settle(backend, batches, parts[0], item, row["mode"], done)
                if pending is not None:
                    reasks.append(pending)
    if reasks:
        done.reasked += len(reasks)
        from .batch_packed import reask_packed

        await asyncio.gather(*(reask_packed(backend, batches, request, completion, exc, row["mode"], done)
                               if isinstance(request, list) else
                               _reask(backend, batches, request, completion, exc, row["mode"], done)
                               for request, completion, exc in reasks))
    for request in list(batches.requests(row["id"], "sent")):  # neither answered nor listed as failed
        with batches.store.transaction():
            batches.settle(request, "failed", error=f"no answer in the batch (it {remote.status})")
        done.failed += 1


def _settle(backend: LLMBackend, batches: BatchStore, request: dict[str, Any], item: Mapping[str, Any], mode: str,
            done: Collected) -> tuple[dict[str, Any], Any, Exception] | None:
    """One line of the output or error file: cached and marked answered, marked failed, or (an answer that
    fails validation) returned to be re-asked."""
    from instructor.core.exceptions import IncompleteOutputException
    from openai.types.chat import ChatCompletion

    from .backends.answers import model_refusal, read_attempts, response_model
    from .backends.llm import MODES
    from .schema import grounded_in

    response = item.get("response") or {}
    if item.get("error") or response.get("status_code") != 200:
        error = item.get("error") or (response.get("body") or {}).get("error") or {}
        _fail(batches, request, f"{error.get('code') or response.get('status_code')}: {error.get('message')}")
        done.failed += 1
        return None
    completion = ChatCompletion.model_validate(response["body"])
    spent = _tokens(completion)
    refused = model_refusal([completion])
    if refused:
        _fail(batches, request, f"the model refused ({refused})", **spent)
        done.failed += 1
        return None
    source = NormalisedText(request["passages"])
    final = None
    try:
        with grounded_in(source):  # as the live path validates: grounded in the chunk's passages
            final = list(response_model().from_response(completion, mode=MODES[mode]).records)
    except IncompleteOutputException:  # cut off at max_tokens: the live path asks again in halves
        _fail(batches, request, "the answer was cut off at --max-tokens", **spent)
        done.failed += 1
        return None
    except Exception as exc:  # the answer failed validation: re-asked with the error, as live
        if backend.settings.max_reasks:
            return request, completion, exc
    answer = read_attempts([completion], source, final)
    _answered(backend, batches, request, answer, final, spent, done, [])
    return None


def _tokens(completion: Any) -> dict[str, Any]:
    usage = getattr(completion, "usage", None)
    choices = getattr(completion, "choices", None) or [None]
    return {"prompt_tokens": int(getattr(usage, "prompt_tokens", 0) or 0),
            "completion_tokens": int(getattr(usage, "completion_tokens", 0) or 0),
            "response_id": getattr(completion, "id", None),
            "finish_reason": getattr(choices[0], "finish_reason", None)}


def _fail(batches: BatchStore, request: Mapping[str, Any], error: str, **values: Any) -> None:
    with batches.store.transaction():
        batches.settle(request, "failed", error=error[:500], **values)


def _answered(backend: LLMBackend, batches: BatchStore, request: Mapping[str, Any], answer: Any,
              final: list[Any] | None, spent: dict[str, Any], done: Collected, live: list[Call],
              reasks: int = 0) -> None:
    """Cache the answer under the live request's key (first), then mark the request read."""
    if final is None and not answer.followed_schema and not answer.records:
        _fail(batches, request, "the model did not follow the schema", **spent,
              live=json.dumps({"calls": [asdict(c) for c in live], "reasks": reasks}))
        done.failed += 1
        return
    settings = backend.settings
    batches.store.save_response(
        request["key"], {"records": [r.model_dump(mode="json") for r in answer.records], "offered": answer.offered,
                         "dropped": answer.dropped},
        model=settings.model, mode=backend.mode or settings.mode, prompt_version=backend.prompt.label,
        prompt_hash=backend.prompt.sha256, prompt_tokens=spent["prompt_tokens"] + sum(c.prompt_tokens for c in live),
        completion_tokens=spent["completion_tokens"] + sum(c.completion_tokens for c in live))
    with batches.store.transaction():
        batches.settle(request, "answered", **spent,
                       live=json.dumps({"calls": [asdict(c) for c in live], "reasks": reasks}))
    done.answered += 1


async def _reask(backend: LLMBackend, batches: BatchStore, request: dict[str, Any], completion: Any,
                 exc: Exception, mode: str, done: Collected) -> None:
    """An answer that failed validation, re-asked live with instructor's re-ask message (as a live re-ask is);
    every attempt's answer read, the batch's included."""
    import openai
    from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
    from instructor.processing.response import handle_reask_kwargs

    from .backends.answers import read_attempts, response_model
    from .backends.llm import MODES
    from .batch import request_body
    from .schema import grounded_in
    from .transport import counting, stop_counting

    source = NormalisedText(request["passages"])
    messages = backend.prompt.render(passages=request["passages"], **json.loads(request["context"]))
    asked = handle_reask_kwargs(request_body(backend, messages, mode), MODES[mode], completion, exc)
    usage = Usage()
    tally, token = counting(usage, chunk=request["chunk"])
    final, failure = None, None
    try:
        with grounded_in(source):
            parsed, _ = await backend._instructor(mode).chat.completions.create_with_completion(
                model=backend.settings.model, messages=asked["messages"], response_model=response_model(),
                max_retries=max(backend.settings.max_reasks - 1, 0), temperature=0,
                max_tokens=backend.settings.max_tokens)
        final = list(parsed.records)
    except IncompleteOutputException:
        pass
    except InstructorRetryException as exc:
        if isinstance(exc.__cause__, openai.APIError):  # the re-ask itself failed: asked live again later
            failure = exc.__cause__
    finally:
        stop_counting(token)
    if failure is not None:
        _fail(batches, request, f"the re-ask failed: {backend._redact(str(failure))}", **_tokens(completion))
        done.failed += 1
        return
    answer = read_attempts([completion, *tally.completions], source, final)
    _answered(backend, batches, request, answer, final, _tokens(completion), done, usage.calls,
              reasks=len(tally.completions))


async def _resubmit(backend: LLMBackend, batches: BatchStore, row: Mapping[str, Any],
                    extra: dict[str, Any]) -> str | None:
    """The failed requests of a completed batch, in a follow-up batch; their documents wait for it."""
    # Requests the batch never answered; one answered but cut off, refused or off the schema is asked live.
    failed = [r for r in batches.requests(row["id"], "failed") if not r["prompt_tokens"]]
    if not failed:
        return None
    documents = {r["document_id"] for r in failed}
    follow = new_batch_row(backend, row["mode"], extra, parent=row["id"], requests=len(failed),
                           documents=len(documents))
    moved = [d for d in batches.documents(row["id"]) if d["document_id"] in documents]
    requests = [{k: r[k] for k in ("document_id", "chunk", "key", "passages", "context")}
                | {"custom_id": f"{r['custom_id']}-{r['part'] or 'r'}"} for r in failed]  # each on its own
    with batches.store.transaction():  # one step: the follow-up recorded, the requests and documents moved to it
        batches.db["batches"].insert({**follow, "status": "preparing", "created_at": now()}, pk="id")
        batches.db["batch_requests"].insert_all([{**r, "batch_id": follow["id"], "state": "sent"} for r in requests],
                                                pk="id")
        batches.db["batch_documents"].insert_all(
            [{**{k: d[k] for k in ("document_id", "path", "name", "source")}, "batch_id": follow["id"],
              "state": "waiting"} for d in moved], pk=("batch_id", "document_id"))
        for r in failed:
            batches.settle(r, "resubmitted")
        for d in moved:
            batches.db["batch_documents"].update((row["id"], d["document_id"]), {"state": "moved"})
    return await send(backend, batches, follow["id"])


class _Collected:
    """The model backend as collect runs it: each document's chunks come from the cache the batch's answers
    filled (a chunk whose request failed is asked live), and what its batch answers cost is added to it."""

    def __init__(self, inner: LLMBackend, batches: BatchStore, lineage: list[str], expected: set[str],
                 note: str) -> None:
        self.inner, self.batches, self.lineage, self.expected = inner, batches, lineage, expected
        self.identity, self.concurrency, self.run_note = inner.identity, inner.concurrency, note
        self.batch_usage = Usage()  # what was paid at the batch price, for the documents extracted

    async def extract(self, document: Document) -> Extraction:
        """The document from the cache and, for requests that failed in the batch, live calls."""
        if document.sha256 not in self.expected:
            return Extraction(DocumentResult(document=document.name, meta=DocumentMeta()), error=ExtractionFailed(
                fix_hint(f"{document.name} changed since its batch was submitted", "run 'kpi-extract run' or "
                         "'kpi-extract batch submit' on it again")))
        extraction = await self.inner.extract(document)
        if extraction.error is None:
            for request in self.batches.spent(self.lineage, document.sha256):
                if request["prompt_tokens"]:
                    call = Call(request["response_id"], request["finish_reason"], request["prompt_tokens"],
                                request["completion_tokens"], request["chunk"])
                    paid = Usage(call.prompt_tokens, call.completion_tokens, [call])
                    self.batch_usage.add(paid)
                    extraction.usage.add(paid)
                live = json.loads(request["live"] or "{}")
                calls = [Call(**c) for c in live.get("calls", [])]
                extraction.usage.add(Usage(sum(c.prompt_tokens for c in calls),
                                           sum(c.completion_tokens for c in calls), calls,
                                           reasks=live.get("reasks", 0)))
        return extraction

    async def aclose(self) -> None:
        """Close the inner backend's connections."""
        await self.inner.aclose()


def _store(store: Store, batches: BatchStore, row: Mapping[str, Any], options: Mapping[str, Any] | None, client: Any,
           sleep: Callable[[float], Awaitable[None]] | None, extra: dict[str, Any], share: float) -> RunSummary | None:
    """Store the batch's waiting documents: one run, each document in one transaction."""
    waiting = batches.documents(row["id"])
    if not waiting:
        return None
    inner = backend_for(row, options, store=store, client=client, sleep=sleep)
    note = f"{row['mode']} (batch {row['provider_id']}, its answers at {share:g} of the list price)"
    backend = _Collected(inner, batches, batches.lineage(row["id"]), {d["document_id"] for d in waiting}, note)
    sources = {Path(d["path"]): json.loads(d["source"] or "{}") for d in waiting}
    summary = run_batch([], store=store, backend=backend, force=bool(extra.get("force")), sources=sources,
                        max_chars=extra.get("max_chars") or 10**9, ocr=extra.get("ocr") or "auto")
    price_in, price_out = inner.price_in, inner.price_out
    if price_in is not None or price_out is not None:
        full = summary.usage.cost(price_in, price_out) or 0.0
        summary.cost = full - (backend.batch_usage.cost(price_in, price_out) or 0.0) * (1 - share)
    store.finish_run(summary.run_id, status=summary.status, cost=summary.cost, batch=row["provider_id"])
    stored = {Path(o.path).resolve() for o in summary.outcomes if o.status in ("extracted", "skipped") and o.path}
    batches.mark_documents(row["id"], [d["document_id"] for d in waiting if Path(d["path"]).resolve() in stored],
                           "stored")
    return summary
