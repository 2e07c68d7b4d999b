"""What every backend shares: the Backend protocol, its identity, and what one extraction returns and costs.

A backend turns a Document into an Extraction, asynchronously. The pipeline and the CLI know
only this protocol; backends are found by name in the registry (backends/__init__.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ..errors import ExtractionFailed

if TYPE_CHECKING:
    from ..documents import Document
    from ..schema import DocumentResult
    from ..store import Store


@dataclass(frozen=True)
class Identity:
    """What produced a document's records: the backend's name and, for a model, the model and prompt.

    Stored with every record and run; an unchanged document is skipped only if its stored
    extraction has the same identity."""

    name: str
    model: str | None = None
    prompt: str | None = None  # the prompt's name@version
    prompt_hash: str | None = None


@dataclass
class Call:
    """One HTTP request to the server (answered, refused or lost): its id, finish reason, tokens, chunk."""

    response_id: str | None
    # 'stop', 'length', ...; 'http 500' for a request the server refused; 'timeout' or 'connection
    # error' for one that got no answer
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int
    chunk: int | None = None


@dataclass
class Usage:
    """Token and call counts, summed over a chunk, a document or a run."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: list[Call] = field(default_factory=list)
    cache_hits: int = 0
    retries: int = 0  # requests sent again after a rate limit, a server error, a timeout or a dropped connection
    reasks: int = 0  # answers that failed validation and were asked again with the errors

    def add(self, other: Usage) -> None:
        """Fold another tally into this one."""
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.calls.extend(other.calls)
        self.cache_hits += other.cache_hits
        self.retries += other.retries
        self.reasks += other.reasks

    def cost(self, price_in: float | None, price_out: float | None) -> float | None:
        """Estimated cost from prices per million prompt and completion tokens, or None when unpriced."""
        if price_in is None and price_out is None:
            return None
        return (self.prompt_tokens * (price_in or 0) + self.completion_tokens * (price_out or 0)) / 1e6


@dataclass
class Extraction:
    """One document's result with what it cost: records offered and dropped, tokens and calls."""

    result: DocumentResult
    dropped: int = 0
    usage: Usage = field(default_factory=Usage)
    error: ExtractionFailed | None = None  # set when part of the document failed: the result is incomplete
    offered: int | None = None  # records a model offered (None: nothing was asked)

    def raise_for_error(self) -> Extraction:
        """Raise the failure, if any; else return self."""
        if self.error is not None:
            raise self.error
        return self


@runtime_checkable
class Backend(Protocol):
    """An extractor the pipeline can run: rules, a model, or a third party's, installed as a plugin.

    concurrency is how many documents the pipeline may extract at once; run_note says, after a
    run, anything the user should know about how it ran (a model backend's structured-output
    mode), or None; prices are per million prompt and completion tokens, for a cost estimate."""

    identity: Identity
    concurrency: int

    async def extract(self, document: Document) -> Extraction:
        """Extract one document; a failure is raised, or returned in Extraction.error."""
        ...

    async def aclose(self) -> None:
        """Release what the backend holds (HTTP connections)."""
        ...


def run_note(backend: Any) -> str | None:
    """What a backend says about how a run went (its run_note), if it says anything."""
    return getattr(backend, "run_note", None)


def prices(backend: Any) -> tuple[float | None, float | None]:
    """A backend's prices per million prompt and completion tokens, if it has any."""
    return getattr(backend, "price_in", None), getattr(backend, "price_out", None)


class BackendFactory(Protocol):
    """Makes a backend from options: the command line's (a mapping, None meaning unset) or the
    backend's own settings object; store, when given, is the run's database (for a response cache)."""

    def __call__(self, options: Mapping[str, Any] | Any, *, store: Store | None = None,
                 client: Any | None = None) -> Backend: ...


@dataclass(frozen=True)
class BackendSpec:
    """What an entry point of the group 'kpi_extract.backends' names: how to make one backend.

    configured says whether the command line's options or the environment ask for this backend
    by default (a model endpoint given); it must be cheap, since it is asked of every installed
    backend before any is made.
    check raises ConfigError when options cannot work, before any file or database is touched;
    uses_store says the backend keeps something in the run's database (a response cache)."""

    name: str
    summary: str
    create: BackendFactory
    configured: Callable[[Mapping[str, Any]], bool] = lambda options: False
    check: Callable[[Any], None] = lambda options: None
    uses_store: bool = False
