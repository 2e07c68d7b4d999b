"""The fault suite: a flaky or wrong endpoint, played by the stub on 127.0.0.1.

A batch meets every fault a real endpoint throws and still completes, each document with its
records or a recorded failure, retries and re-asks counted in the run; an endpoint that cannot
work at all (unreachable, key refused, unknown model) stops the batch at once, naming URL and model.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openai_stub import StubServer

from extractor.backends.llm import LLMBackend
from extractor.backends.model import LLMSettings
from extractor.cli import cli
from extractor.errors import EndpointError
from extractor.grounding import grounding_problem
from extractor.pipeline import run_batch
from extractor.store import Store

SHORT = "004_36426df94b734508.txt"
KEY = "sk-kpi-FAKE-4d1f0c9a7e"  # recognisable, so a leak is easy to find

# One document per fault, in batch order, and what each fault costs: the requests after it that
# answer normally ('ok'), so that the next document meets its own fault.
SCRIPT = [
    ("429", ["429", "ok"]),  # rate limited, Retry-After: 2
    ("500", ["500", "ok"]),
    ("503", ["503", "ok"]),
    ("timeout", ["timeout", "ok"]),  # no answer within --timeout
    ("drop", ["drop", "ok"]),  # connection closed mid-answer
    ("malformed", ["malformed", "ok"]),  # JSON cut in half: re-asked
    ("no_choices", ["no_choices", "ok"]),  # 200 with an empty choices list: retried
    ("refusal", ["refusal"]),  # the model declines: a recorded failure, not "no KPIs"
    ("length", ["length", "ok", "ok"]),  # cut at max_tokens: asked again in halves
    ("invent", ["invent", "ok"]),  # evidence not in the document: re-asked, never stored
]


class Sleeps:
    """A sleep that only notes what it was asked to wait (retries need not take real time)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _documents(corpus: Path, folder: Path) -> list[Path]:
    """Ten distinct small documents (real minutes text; a line tells them apart), one per fault."""
    text = (corpus / SHORT).read_text("utf-8")
    folder.mkdir()
    paths = []
    for number, (fault, _) in enumerate(SCRIPT):
        path = folder / f"{number:02d}_{fault}.txt"
        path.write_text(f"Minutes, part {number + 1}.\n\n{text}", "utf-8")
        paths.append(path)
    return paths


def test_a_batch_meets_every_fault_and_completes_with_records_or_recorded_failures(corpus, tmp_path):
    paths = _documents(corpus, tmp_path / "minutes")
    store = Store(tmp_path / "k.db")
    sleeps = Sleeps()
    faults = [fault for _, script in SCRIPT for fault in script]
    settings = LLMSettings(api_key=KEY, mode="tools", retries=2, max_reasks=1, timeout=1.0, concurrency=1)
    with StubServer(faults=faults) as stub:
        settings.base_url = stub.base_url
        summary = run_batch(paths, store=store, backend=LLMBackend(settings, store=store, sleep=sleeps))

    outcomes = {o.name: o for o in summary.outcomes}
    assert len(outcomes) == len(SCRIPT)
    for name, outcome in outcomes.items():
        if "refusal" in name:
            assert outcome.status == "failed" and "the model refused to answer" in outcome.error
        else:
            assert outcome.status == "extracted" and outcome.records > 0, (name, outcome.error)
    failures = list(store.db["failures"].rows)
    assert [Path(f["document"]).name for f in failures] == ["07_refusal.txt"]
    stored = {row["name"] for row in store.db.query(
        "select d.name from documents d join extractions e on e.document_id = d.id")}
    assert stored == {name for name in outcomes if "refusal" not in name}

    run = store.run(summary.run_id)
    assert run["status"] == "completed" and (run["extracted"], run["failed"]) == (9, 1)
    # 429, 500, 503, timeout, dropped connection, empty choices: each sent again once.
    assert run["retries"] == 6 and run["reasks"] == 2  # malformed JSON and invented evidence
    assert 2.0 in sleeps.waits  # the 429's Retry-After was honoured
    lost = sorted(c["finish_reason"] for c in store.db["calls"].rows if c["finish_reason"] in
                  ("http 429", "http 500", "http 503", "timeout", "connection error", "no choices"))
    assert lost == ["connection error", "http 429", "http 500", "http 503", "no choices", "timeout"]
    assert run["calls"] == store.db["calls"].count

    texts = {row["id"]: row["text"] for row in store.db["documents"].rows}
    for row in store.db["records"].rows:
        assert row["value"] != 999  # the invented record was never stored
        assert grounding_problem(row["evidence"], row["value"], texts[row["document_id"]]) is None


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_endpoint_stops_the_batch_at_once_naming_url_and_model(corpus, tmp_path):
    store = Store(tmp_path / "k.db")
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    settings = LLMSettings(base_url=url, model="llama3.1", mode="tools", retries=5)
    started = time.monotonic()
    with pytest.raises(EndpointError) as stopped:
        run_batch(sorted(corpus.glob("*.txt")), store=store, backend=LLMBackend(settings, store=store))
    assert time.monotonic() - started < 5  # no retries per document, no backoff
    assert f"cannot reach {url} (model 'llama3.1')" in str(stopped.value) and "--base-url" in str(stopped.value)
    run = next(store.db["runs"].rows)
    assert run["status"] == "aborted" and run["ended_at"] and run["extracted"] == 0
    assert store.db["failures"].count == 0  # the endpoint's fault, not the documents'


def test_a_refused_key_stops_the_batch_before_any_question_and_never_shows_the_key(corpus, tmp_path):
    store = Store(tmp_path / "k.db")
    with StubServer(api_key="the-right-key") as stub:
        settings = LLMSettings(base_url=stub.base_url, api_key=KEY, mode="tools")
        with pytest.raises(EndpointError, match="refused the API key") as stopped:
            run_batch(sorted(corpus.glob("*.txt")), store=store, backend=LLMBackend(settings, store=store))
    assert stub.paths == ["GET /v1/models"]  # the check, then nothing
    assert stub.base_url in str(stopped.value) and KEY not in str(stopped.value)


def test_a_key_refused_only_for_chat_stops_the_batch_too(corpus, tmp_path):
    store = Store(tmp_path / "k.db")
    with StubServer(faults=["403"]) as stub:
        settings = LLMSettings(base_url=stub.base_url, api_key=KEY, mode="tools", concurrency=1)
        with pytest.raises(EndpointError, match="denied access"):
            run_batch(sorted(corpus.glob("*.txt")), store=store, backend=LLMBackend(settings, store=store))
    assert len(stub.requests) == 1


def test_an_unknown_model_stops_the_batch_and_names_the_models_served(corpus, tmp_path):
    store = Store(tmp_path / "k.db")
    with StubServer(models=["llama-3.1-8b-instruct"]) as stub:
        settings = LLMSettings(base_url=stub.base_url, model="gpt-4o-mini", mode="auto", concurrency=1)
        with pytest.raises(EndpointError) as stopped:
            run_batch(sorted(corpus.glob("*.txt")), store=store, backend=LLMBackend(settings, store=store))
    message = str(stopped.value)
    assert "does not know the model" in message and "'gpt-4o-mini'" in message
    assert "llama-3.1-8b-instruct" in message and "--model" in message
    assert len(stub.requests) == 1  # one probe answered 404, not a request per mode or per document


def test_the_command_line_says_what_stopped_it_and_what_was_kept(corpus, tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/v1"
    result = CliRunner().invoke(cli, ["run", str(corpus), "--db", str(tmp_path / "k.db"), "--base-url", url,
                                      "--model", "m", "--mode", "tools"])
    assert result.exit_code == 1
    assert f"cannot reach {url} (model 'm')" in result.output
    assert "the batch stopped: 0 of 5 documents done" in result.output and "'aborted'" in result.output
