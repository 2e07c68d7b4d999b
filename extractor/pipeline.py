"""The library's front door: extract one document, or run a batch into the store."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .backends import get_backend
from .documents import Document, discover, load_document
from .errors import ExtractorError
from .schema import DocumentResult
from .store import Store


@dataclass
class DocumentOutcome:
    """What happened to one document in a batch."""

    name: str
    status: str  # extracted, skipped, failed
    records: int = 0
    error: str | None = None


@dataclass
class RunSummary:
    """A batch's result: its id, backend and every document's outcome."""

    run_id: str
    backend: str
    outcomes: list[DocumentOutcome] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """How many documents failed."""
        return sum(o.status == "failed" for o in self.outcomes)

    def count(self, status: str) -> int:
        """How many documents ended with a status."""
        return sum(o.status == status for o in self.outcomes)


def extract(
    document: Document | str | Path, *, backend: str = "rules", model: str | None = None,
    prompt: str | None = None, client: object | None = None,
) -> DocumentResult:
    """Extract one document's KPI records (a Document, or a path to load) with the named backend."""
    if not isinstance(document, Document):
        document = load_document(document)
    return get_backend(backend)(document)


def run_batch(
    paths: Iterable[str | Path], *, store: Store, backend: str = "rules", force: bool = False,
    on_progress: Callable[[DocumentOutcome], None] | None = None,
) -> RunSummary:
    """Extract every document under paths into the store; failures are logged and the batch goes on."""
    files = discover(paths)
    extract_one = get_backend(backend)
    summary = RunSummary(run_id=uuid.uuid4().hex, backend=backend)
    store.start_run(summary.run_id, backend=backend, model=None, prompt_version=None)
    for path in files:
        outcome = _process(path, store=store, extract_one=extract_one, run_id=summary.run_id,
                           backend=backend, force=force)
        summary.outcomes.append(outcome)
        if on_progress:
            on_progress(outcome)
    store.finish_run(
        summary.run_id, documents=len(files), extracted=summary.count("extracted"),
        skipped=summary.count("skipped"), failed=summary.failed,
        records=sum(o.records for o in summary.outcomes if o.status == "extracted"),
    )
    return summary


def _process(path: Path, *, store: Store, extract_one: Callable[[Document], DocumentResult],
             run_id: str, backend: str, force: bool) -> DocumentOutcome:
    stage = "load"
    try:
        document = load_document(path)
        if not force and store.is_current(document, backend=backend, model=None, prompt_hash=None):
            return DocumentOutcome(document.name, "skipped")
        stage = "extract"
        result = extract_one(document)
        stage = "store"
        count = store.save_result(document, result, run_id=run_id, backend=backend)
        return DocumentOutcome(document.name, "extracted", count)
    except ExtractorError as exc:
        store.record_failure(run_id, str(path), stage, str(exc))
        return DocumentOutcome(path.name, "failed", error=str(exc))
    except Exception as exc:  # one broken document must not end the batch
        message = f"{type(exc).__name__}: {exc}"
        store.record_failure(run_id, str(path), stage, message)
        return DocumentOutcome(path.name, "failed", error=message)
