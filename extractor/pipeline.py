"""The library's front door: extract one document, or run a batch into the store, with any backend.

Every backend goes through one path: the Backend protocol (backends/base.py), found by name in
the registry. Nothing here knows which backends exist.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import signal
import uuid
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from .backends import OFFLINE, create_backend
from .backends.base import Backend, Extraction, Usage, prices, run_note
from .documents import MAX_CHARS, Document, discover, load_document
from .errors import ConfigError
from .gate import admit
from .redact import error_message, scrub_logs
from .schema import DocumentResult
from .store import Store

T = TypeVar("T")


@dataclass
class DocumentOutcome:
    """What happened to one document in a batch."""

    name: str
    status: str  # extracted, skipped, failed
    records: int = 0
    dropped: int = 0
    error: str | None = None
    offered: int | None = None  # records a model offered (None when nothing was asked)
    path: str | None = None  # the file, which tells apart two documents of one name
    kept: int = 0  # records a person corrected that the re-run kept (corrections_store.py)
    superseded: int = 0  # corrected records the changed text no longer holds, kept with its earlier version


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
    mode: str | None = None  # what the backend says about how it ran (a model's structured-output mode)
    documents: int = 0  # documents the batch found; those without an outcome were never reached
    unsupported: list[str] = field(default_factory=list)  # files in the batch's folders of types not read
    status: str = "completed"  # or 'interrupted' (Ctrl-C), 'aborted' (an error stopped the batch)

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

    @property
    def not_reached(self) -> int:
        """Documents a stopped batch never finished: neither stored, skipped nor failed."""
        return self.documents - len(self.outcomes)


def open_backend(backend: str | Backend, options: Mapping[str, Any] | Any | None = None, *,
                 store: Store | None = None, client: Any | None = None) -> Backend:
    """A backend ready to run: one already made, or one made by name from options."""
    if isinstance(backend, str):
        return create_backend(backend, options, store=store, client=client)
    return backend


def run_sync(step: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end from synchronous code, also where an event loop is already running
    (a notebook): there it runs on a worker thread with its own loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(step)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, step).result()


def extract(
    document: Document | str | Path, *, backend: str | Backend = OFFLINE, options: Mapping[str, Any] | Any = None,
    store: Store | None = None, client: Any | None = None, max_chars: int = MAX_CHARS, ocr: str = "auto",
) -> DocumentResult:
    """Extract one document's KPI records (a Document, or a path to load) with a backend.

    options are the backend's: a mapping (as the command line gives them) or its settings object;
    a file whose text is longer than max_chars characters is refused (InputError); ocr says when a
    PDF's pages are read by OCR (documents.load_document)."""
    if not isinstance(document, Document):
        document = load_document(document, max_chars=max_chars, ocr=ocr)
    return extract_documents([document], backend=backend, options=options, store=store, client=client)[0]


def extract_documents(
    documents: Sequence[Document], *, backend: str | Backend = OFFLINE, options: Mapping[str, Any] | Any = None,
    store: Store | None = None, client: Any | None = None,
) -> list[DocumentResult]:
    """Extract several documents (concurrently where the backend allows); a failure raises (run_batch goes on)."""
    chosen = open_backend(backend, options, store=store, client=client)

    async def extract_all() -> list[DocumentResult]:
        slots = asyncio.Semaphore(max(chosen.concurrency, 1))

        async def one(document: Document) -> DocumentResult:
            async with slots:
                result = in_its_source((await chosen.extract(document)).raise_for_error().result, document)
                return admit(result, document)[0]

        try:
            return list(await asyncio.gather(*(one(d) for d in documents)))
        finally:
            await chosen.aclose()

    return run_sync(extract_all()) if documents else []


def run_batch(
    paths: Iterable[str | Path], *, store: Store, backend: str | Backend = OFFLINE, force: bool = False,
    on_progress: Callable[[DocumentOutcome], None] | None = None, on_start: Callable[[int], None] | None = None,
    options: Mapping[str, Any] | Any = None,
    client: Any | None = None, max_chars: int = MAX_CHARS, sources: Mapping[Path, Mapping[str, str]] | None = None,
    given: Mapping[str, str] | None = None, ocr: str = "auto",
) -> RunSummary:
    """Extract every document under paths (and every file sources lists) into the store; failures are
    logged and the batch goes on (a file that cannot be read, or longer than max_chars characters, is
    one of them); a folder's files of other types are listed in summary.unsupported.

    sources maps a file (resolved) to what a manifest row gives (manifest.read_manifest): url,
    authority, committee, meeting_date; given holds the batch's own (--authority, --committee). A
    row's value wins over the batch's, and both over what is read from the text.

    on_start is told how many documents were found, before the first is read; on_progress is told
    each document's outcome as it ends.

    backend is an installed backend's name (made from options) or a Backend already made. The run's
    row is closed whatever happens: 'completed'; 'interrupted' by Ctrl-C (BatchInterrupted, carrying
    the summary, is raised); 'aborted' by an error that stops the batch (a wrong endpoint), re-raised.
    Documents stored before the stop stay stored; the next run skips them."""
    scrub_logs()
    chosen = open_backend(backend, options, store=store, client=client)
    sources = {Path(file).resolve(): dict(values) for file, values in (sources or {}).items()}
    found = discover([*paths, *sources])
    files = found.files
    provenance = _Provenance(sources, dict(given or {}))
    identity = chosen.identity
    summary = RunSummary(run_id=uuid.uuid4().hex, backend=identity.name, model=identity.model,
                         prompt=identity.prompt, documents=len(files), unsupported=[str(p) for p in found.skipped])
    stamp = {"backend": identity.name, "model": identity.model, "prompt_version": identity.prompt,
             "prompt_hash": identity.prompt_hash}
    store.start_run(summary.run_id, **stamp)
    if on_start:
        on_start(len(files))

    def finished(outcome: DocumentOutcome) -> None:
        summary.outcomes.append(outcome)
        if on_progress:
            on_progress(outcome)

    try:
        def load(path: Path) -> Document:
            return provenance.apply(load_document(path, max_chars=max_chars, ocr=ocr), path)

        run_sync(_run(files, chosen, store=store, summary=summary, stamp=stamp, force=force, finished=finished,
                      load=load))
    except KeyboardInterrupt:
        summary.status = "interrupted"
        raise BatchInterrupted(summary) from None
    except BaseException:
        summary.status = "aborted"
        raise
    finally:
        _close_run(store, chosen, summary)
    return summary


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a batch; summary says what was stored before it (the run's row is closed)."""

    def __init__(self, summary: RunSummary) -> None:
        super().__init__(f"interrupted after {len(summary.outcomes)} of {summary.documents} documents")
        self.summary = summary


def _close_run(store: Store, backend: Backend, summary: RunSummary) -> None:
    """Write the run's status and final counts (after Ctrl-C too: a write it cut short is rolled back)."""
    store.abandon_transaction()
    asked = summary.usage.calls or summary.usage.cache_hits or any(o.offered is not None for o in summary.outcomes)
    summary.cost = summary.usage.cost(*prices(backend))
    summary.mode = run_note(backend)
    store.finish_run(
        summary.run_id, status=summary.status, documents=summary.documents, extracted=summary.count("extracted"),
        skipped=summary.count("skipped"), failed=summary.failed,
        records=sum(o.records for o in summary.outcomes if o.status == "extracted"),
        dropped=summary.dropped, offered=summary.offered if asked else None, mode=summary.mode,
        prompt_tokens=summary.usage.prompt_tokens,
        completion_tokens=summary.usage.completion_tokens, calls=len(summary.usage.calls),
        cache_hits=summary.usage.cache_hits, retries=summary.usage.retries, reasks=summary.usage.reasks,
        cost=summary.cost, unsupported=len(summary.unsupported),
    )


async def _run(files: list[Path], backend: Backend, *, store: Store, summary: RunSummary,
               stamp: dict[str, str | None], force: bool, finished: Callable[[DocumentOutcome], None],
               load: Callable[[Path], Document]) -> None:
    """Documents in flight together, as many as the backend allows; every store write happens on this
    one event-loop thread, so SQLite has a single writer."""
    queue = list(reversed(files))
    interrupt = _InterruptWatch(asyncio.current_task())

    async def worker() -> None:
        while queue:
            interrupt.check()  # a cancellation swallowed below (a library's cancel scope) still stops here
            finished(await _process(queue.pop(), backend, store=store, summary=summary, stamp=stamp, force=force,
                                    load=load))

    workers = [asyncio.create_task(worker()) for _ in range(min(max(backend.concurrency, 1), len(files)))]
    try:
        with interrupt:
            await asyncio.gather(*workers)
            interrupt.check()
    except BaseException:  # an error that stops the batch: the other documents in flight stop too
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        if interrupt.seen:
            raise KeyboardInterrupt from None
        raise
    finally:
        await backend.aclose()


class _InterruptWatch:
    """Ctrl-C during a batch, seen by our own handler: it cancels the batch, and a flag remembers it, so a
    cancellation that a library swallows deep in a model call cannot let the batch run on to 'completed'."""

    def __init__(self, task: asyncio.Task[Any] | None) -> None:
        self.task, self.seen, self._installed = task, False, False

    def __enter__(self) -> _InterruptWatch:
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGINT, self._interrupted)
            self._installed = True
        except (RuntimeError, ValueError, NotImplementedError):  # not the main thread, or no signals here
            pass  # asyncio.run's own handler still cancels the batch
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGINT)

    def _interrupted(self) -> None:
        if self.seen:
            raise KeyboardInterrupt  # a second Ctrl-C: stop now
        self.seen = True
        if self.task is not None:
            self.task.cancel()

    def check(self) -> None:
        """Raise CancelledError once Ctrl-C was pressed."""
        if self.seen:
            raise asyncio.CancelledError


async def _process(path: Path, backend: Backend, *, store: Store, summary: RunSummary,
                   stamp: dict[str, str | None], force: bool, load: Callable[[Path], Document]) -> DocumentOutcome:
    """Load, skip if current, extract, log the model calls, store: one document, never raising."""
    stage = "load"
    try:
        document = await asyncio.to_thread(load, path)  # reading and decoding off the event loop
        if not force and store.is_current(document, backend=stamp["backend"], model=stamp["model"],
                                          prompt_hash=stamp["prompt_hash"]):
            store.update_provenance(document)  # a manifest given since: its values still reach the records
            return DocumentOutcome(document.name, "skipped", path=str(path))
        stage = "extract"
        extraction: Extraction = await backend.extract(document)
        summary.usage.add(extraction.usage)
        calls = [asdict(c) for c in extraction.usage.calls]
        if extraction.error is not None:  # an incomplete document is not stored; the next run retries it
            raise _Failed(extraction.error, document.sha256, calls)
        stage = "store"
        # One transaction: the document, its records, its extraction row and its calls. Another process
        # may have stored this content meanwhile; then it is not written twice.
        # Every backend's records pass the same gate before the store (gate.py); what it rejects is dropped
        # and counted with its reason, as a model's invalid records are. Placing, mapping and checking are
        # the document's own work: off the event loop, which keeps the other documents' requests moving.
        result, rejected = await asyncio.to_thread(_placed_and_admitted, extraction.result, document)
        dropped = extraction.dropped + len(rejected)
        offered = extraction.offered
        if offered is None and rejected:  # a backend that does not count what it offers: the gate does
            offered = len(extraction.result.records)
        count = store.save_result(document, result, run_id=summary.run_id, calls=calls, replace=force,
                                  dropped=dropped, rejected=[r.as_dict() for r in rejected], **stamp)
        if count is None:
            return DocumentOutcome(document.name, "skipped", path=str(path))
        return DocumentOutcome(document.name, "extracted", count, dropped, offered=offered, path=str(path),
                               kept=store.reviewed_count(document.sha256),
                               superseded=store.superseded_corrections(document.sha256))
    except ConfigError:
        raise  # a setting that cannot work stops the batch (a wrong endpoint, a key refused)
    except Exception as exc:  # one broken document must not end the batch
        cause = exc.error if isinstance(exc, _Failed) else exc
        message = error_message(cause)  # any layer, any type: masked before it is stored or printed
        failed = exc if isinstance(exc, _Failed) else None
        store.record_failure(summary.run_id, str(path), stage, message, document_id=failed and failed.document_id,
                             calls=failed.calls if failed else (), model=stamp["model"])
        return DocumentOutcome(path.name, "failed", error=message, path=str(path))


def _placed_and_admitted(result: DocumentResult, document: Document) -> tuple[DocumentResult, list[Any]]:
    return admit(in_its_source(result, document), document)


def in_its_source(result: DocumentResult, document: Document) -> DocumentResult:
    """The result placed in its source: the meta the user gave over what the text says, each
    record's PDF page, and each record's canonical indicator id (the one mapper, for every backend)."""
    from .canonical import with_indicator_ids

    result = with_indicator_ids(result)
    meta = result.meta.model_copy(update=document.given) if document.given else result.meta
    records = result.records
    if document.pages:
        records = [record.model_copy(update={"page": document.page_at(record.start)}) for record in records]
    return result.model_copy(update={"meta": meta, "records": records})


@dataclass
class _Provenance:
    """What the user said about the batch's files: a manifest's rows and the batch's own options."""

    sources: dict[Path, dict[str, str]]
    given: dict[str, str]

    def apply(self, document: Document, path: Path) -> Document:
        """The document with its url and given meta (a row's values over the batch's)."""
        values = {**self.given, **self.sources.get(path.resolve(), {})}
        if not values:
            return document
        url = values.pop("url", None)
        return replace(document, url=url, given=values)


class _Failed(Exception):
    """A document whose extraction failed after making model calls: they are logged with its failure."""

    def __init__(self, error: Exception, document_id: str, calls: list[dict[str, Any]]) -> None:
        super().__init__(str(error))
        self.error, self.document_id, self.calls = error, document_id, calls
