"""The library's front door: extract one document, or run a batch into the store."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .backends import get_backend
from .backends.llm import BACKEND as LLM
from .backends.llm import Extraction, LLMBackend, LLMSettings, extract_all
from .documents import Document, discover, load_document
from .errors import ConfigError, ExtractorError
from .schema import DocumentResult
from .store import Store
from .transport import Usage


@dataclass
class DocumentOutcome:
    """What happened to one document in a batch."""

    name: str
    status: str  # extracted, skipped, failed
    records: int = 0
    dropped: int = 0
    error: str | None = None
    offered: int | None = None  # records a model offered (None for the rules backend)


@dataclass
class RunSummary:
    """A batch's result: its id, backend, every document's outcome and, for a model, its usage."""

    run_id: str
    backend: str
    outcomes: list[DocumentOutcome] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
    prompt: str | None = None
    cost: float | None = None
    mode: str | None = None  # the structured-output mode a model run used, and how it was chosen

    @property
    def failed(self) -> int:
        """How many documents failed."""
        return sum(o.status == "failed" for o in self.outcomes)

    @property
    def dropped(self) -> int:
        """Records a model offered that were never stored: invalid, ungrounded, or abandoned by a re-ask."""
        return sum(o.dropped for o in self.outcomes)

    @property
    def offered(self) -> int:
        """Records a model offered for the documents it extracted."""
        return sum(o.offered or 0 for o in self.outcomes)

    def count(self, status: str) -> int:
        """How many documents ended with a status."""
        return sum(o.status == status for o in self.outcomes)


def _settings(settings: LLMSettings | None, model: str | None, prompt: str | None) -> LLMSettings:
    if settings is None:
        return LLMSettings.from_env(model=model, prompt=prompt)
    if model or prompt:
        raise ConfigError("give model and prompt inside settings, or as arguments, not both")
    return settings


def extract(
    document: Document | str | Path, *, backend: str = "rules", model: str | None = None,
    prompt: str | None = None, client: Any | None = None, settings: LLMSettings | None = None,
    store: Store | None = None,
) -> DocumentResult:
    """Extract one document's KPI records (a Document, or a path to load) with the named backend."""
    if not isinstance(document, Document):
        document = load_document(document)
    return extract_documents([document], backend=backend, model=model, prompt=prompt, client=client,
                             settings=settings, store=store)[0]


def extract_documents(
    documents: Sequence[Document], *, backend: str = "rules", model: str | None = None,
    prompt: str | None = None, client: Any | None = None, settings: LLMSettings | None = None,
    store: Store | None = None,
) -> list[DocumentResult]:
    """Extract several documents, concurrently for a model; a failure raises (use run_batch to go on)."""
    if backend == LLM:
        return extract_all(documents, _settings(settings, model, prompt), store=store, client=client)
    extract_one = get_backend(backend)
    return [extract_one(document) for document in documents]


def run_batch(
    paths: Iterable[str | Path], *, store: Store, backend: str | LLMBackend = "rules", force: bool = False,
    on_progress: Callable[[DocumentOutcome], None] | None = None, settings: LLMSettings | None = None,
    client: Any | None = None,
) -> RunSummary:
    """Extract every document under paths into the store; failures are logged and the batch goes on.

    backend is a name ('rules', 'openai') or an LLMBackend already built (its own client, sleep).
    """
    llm: LLMBackend | None = None
    if isinstance(backend, LLMBackend):
        llm, backend = backend, LLM
    elif backend == LLM:
        llm = LLMBackend(settings or LLMSettings.from_env(), store=store, client=client)
    extract = llm.extract if llm else _at_no_cost(get_backend(backend))  # an unknown name fails here
    files = discover(paths)
    summary = RunSummary(run_id=uuid.uuid4().hex, backend=backend)
    model, prompt_version, prompt_hash = llm.identity if llm else (None, None, None)
    summary.model, summary.prompt = model, prompt_version
    stamp = {"backend": backend, "model": model, "prompt_version": prompt_version, "prompt_hash": prompt_hash}
    store.start_run(summary.run_id, **stamp)

    def finished(outcome: DocumentOutcome) -> None:
        summary.outcomes.append(outcome)
        if on_progress:
            on_progress(outcome)

    if llm is None:
        # Rules never wait, so each document's coroutine completes on its first step: no event loop,
        # and run_batch keeps working where one is already running (a notebook).
        for path in files:
            finished(_completed(_process(path, extract, store=store, summary=summary, stamp=stamp, force=force)))
    else:
        asyncio.run(_run_model(files, llm, extract, store=store, summary=summary, stamp=stamp, force=force,
                               finished=finished))
    if llm:
        summary.cost = summary.usage.cost(llm.settings.price_in, llm.settings.price_out)
        summary.mode = llm.mode_note or None
    store.finish_run(
        summary.run_id, documents=len(files), extracted=summary.count("extracted"),
        skipped=summary.count("skipped"), failed=summary.failed,
        records=sum(o.records for o in summary.outcomes if o.status == "extracted"),
        dropped=summary.dropped, offered=summary.offered if llm else None, mode=summary.mode,
        prompt_tokens=summary.usage.prompt_tokens,
        completion_tokens=summary.usage.completion_tokens, calls=len(summary.usage.calls),
        cache_hits=summary.usage.cache_hits, cost=summary.cost,
    )
    return summary


def _completed(step: Coroutine[Any, Any, DocumentOutcome]) -> DocumentOutcome:
    """The result of a coroutine that never suspends."""
    try:
        step.send(None)
    except StopIteration as done:
        return done.value
    step.close()
    raise RuntimeError("a synchronous backend suspended")


async def _run_model(files: list[Path], llm: LLMBackend, extract: Callable[[Document], Awaitable[Extraction]], *,
                     store: Store, summary: RunSummary, stamp: dict[str, str | None], force: bool,
                     finished: Callable[[DocumentOutcome], None]) -> None:
    """Documents in flight together, bounded by --concurrency; every store write happens on this
    one event-loop thread, so SQLite has a single writer."""
    queue = list(reversed(files))

    async def worker() -> None:
        while queue:
            finished(await _process(queue.pop(), extract, store=store, summary=summary, stamp=stamp, force=force))

    try:
        await asyncio.gather(*(worker() for _ in range(min(llm.settings.concurrency, len(files)))))
    finally:
        await llm.aclose()


def _at_no_cost(extract_one: Callable[[Document], DocumentResult]) -> Callable[[Document], Awaitable[Extraction]]:
    async def extract(document: Document) -> Extraction:
        return Extraction(extract_one(document))

    return extract


async def _process(path: Path, extract: Callable[[Document], Awaitable[Extraction]], *, store: Store,
                   summary: RunSummary, stamp: dict[str, str | None], force: bool) -> DocumentOutcome:
    """Load, skip if current, extract, log the model calls, store: one document, never raising."""
    stage = "load"
    try:
        document = load_document(path)
        if not force and store.is_current(document, backend=stamp["backend"], model=stamp["model"],
                                          prompt_hash=stamp["prompt_hash"]):
            return DocumentOutcome(document.name, "skipped")
        stage = "extract"
        extraction = await extract(document)
        summary.usage.add(extraction.usage)
        store.log_calls(summary.run_id, document.sha256, [asdict(c) for c in extraction.usage.calls],
                        model=stamp["model"])
        extraction.raise_for_error()  # an incomplete document is not stored; the next run retries it
        stage = "store"
        count = store.save_result(document, extraction.result, run_id=summary.run_id, **stamp)
        return DocumentOutcome(document.name, "extracted", count, extraction.dropped, offered=extraction.offered)
    except Exception as exc:  # one broken document must not end the batch
        message = str(exc) if isinstance(exc, ExtractorError) else f"{type(exc).__name__}: {exc}"
        store.record_failure(summary.run_id, str(path), stage, message)
        return DocumentOutcome(path.name, "failed", error=message)
