import asyncio
import os
import signal

import pytest

from extractor.backends.base import Extraction, Identity
from extractor.documents import Document
from extractor.errors import ConfigError
from extractor.pipeline import BatchInterrupted, run_batch
from extractor.schema import DocumentResult
from extractor.store import Store


def test_a_rules_batch_runs_inside_an_event_loop_that_is_already_running(tmp_path, corpus):
    async def in_a_notebook():
        return run_batch([corpus / "004_36426df94b734508.txt"], store=Store(tmp_path / "k.db"), backend="rules")

    summary = asyncio.run(in_a_notebook())
    assert [o.status for o in summary.outcomes] == ["extracted"] and summary.outcomes[0].records > 0


def test_an_unknown_backend_fails_before_a_run_is_started(tmp_path, corpus):
    store = Store(tmp_path / "k.db")
    with pytest.raises(ConfigError, match="unknown backend 'nope'"):
        run_batch([corpus], store=store, backend="nope")
    assert store.db["runs"].count == 0


class _SwallowsCancellation:
    """A backend whose first document presses Ctrl-C, then (as a library's cancel scope may) swallows
    the cancellation and answers normally."""

    identity = Identity("swallower")
    concurrency = 1

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def extract(self, document: Document) -> Extraction:
        self.asked.append(document.name)
        if len(self.asked) == 1:
            os.kill(os.getpid(), signal.SIGINT)
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                pass  # swallowed
        return Extraction(DocumentResult(document=document.name))

    async def aclose(self) -> None:
        return None


def test_ctrl_c_stops_the_batch_even_when_a_backend_swallows_the_cancellation(tmp_path):
    folder = tmp_path / "minutes"
    folder.mkdir()
    for index in range(4):
        (folder / f"m{index}.txt").write_text(f"Minutes {index}: 40 children were in care.", "utf-8")
    backend = _SwallowsCancellation()
    with pytest.raises(BatchInterrupted) as stopped:
        run_batch([folder], store=Store(tmp_path / "k.db"), backend=backend)
    assert backend.asked == ["m0.txt"]  # no document started after Ctrl-C
    assert stopped.value.summary.status == "interrupted"
    assert Store(tmp_path / "k.db").run(stopped.value.summary.run_id)["status"] == "interrupted"


def test_a_batch_says_how_many_documents_it_found_before_the_first_ends(tmp_path, corpus):
    events: list[object] = []
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")  # not read: not counted
    for path in sorted(corpus.glob("*.txt"))[:3]:
        (tmp_path / path.name).write_text(path.read_text("utf-8"), "utf-8")
    summary = run_batch([tmp_path], store=Store(tmp_path / "k.db"), on_start=events.append,
                        on_progress=lambda outcome: events.append(outcome.status))
    assert events == [3, "extracted", "extracted", "extracted"] and summary.documents == 3
