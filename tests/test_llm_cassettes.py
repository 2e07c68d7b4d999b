"""The openai backend replayed from cassettes: no network, no sleeping, every failure path."""

from __future__ import annotations

import asyncio
import re
import socket

import pytest
from llm_scenarios import CASSETTES, SCENARIOS, cassette_index, recorder
from vcr.errors import CannotOverwriteExistingCassetteException

from extractor.backends.llm import LLMBackend
from extractor.backends.model import LLMSettings
from extractor.documents import load_document
from extractor.errors import ExtractionFailed
from extractor.pipeline import run_batch
from extractor.prompts import find_prompt, load_prompt
from extractor.store import Store
from extractor.textnorm import NormalisedText

# Any base URL will do: vcr answers before a connection is made, and the guard in conftest
# fails the test if one is attempted anywhere but 127.0.0.1.
BASE_URL = "http://127.0.0.1:9/v1"
KEY_LIKE = re.compile(r"sk-[A-Za-z0-9_-]{16,}|Bearer\s+\S{8,}|api-key['\"]?\s*:\s*['\"]?\w{16,}", re.I)


class Sleeps:
    """Stands in for asyncio.sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _backend(name: str, sleeps: Sleeps, store: Store | None = None, **overrides) -> LLMBackend:
    # The cassettes were recorded in tools mode; 'auto' would first probe the server, which no cassette holds.
    options = {"mode": "tools", **SCENARIOS[name].settings, **overrides}
    settings = LLMSettings(base_url=BASE_URL, api_key="test-key", **options)
    return LLMBackend(settings, store=store, sleep=sleeps)


CHECK = 1  # every recording starts with the endpoint check, GET /models, before any chat request


def _replay(name: str, backend: LLMBackend, document_name: str | None = None):
    scenario = SCENARIOS[name]
    document = load_document(scenario.paths[0] if document_name is None else scenario.paths[0].parent / document_name)

    async def go():
        try:
            return await backend.extract(document)
        finally:
            await backend.aclose()

    with recorder().use_cassette(f"{name}.yaml") as cassette:
        extraction = asyncio.run(go())
    return document, extraction, cassette


def _assert_grounded(document, records):
    whole = NormalisedText(document.text)
    for record in records:
        assert whole.find(record.evidence), record.evidence
        assert " ".join(document.text[record.start:record.end].split()) == record.evidence


def test_every_scenario_has_a_cassette_and_no_cassette_holds_a_key():
    for name in SCENARIOS:
        text = (CASSETTES / f"{name}.yaml").read_text("utf-8")
        assert not KEY_LIKE.search(text), name
        assert "authorization" not in text.lower(), name


def test_every_cassette_says_who_answered_it_and_was_recorded_for_the_prompt_sent_today():
    index, prompt = cassette_index(), load_prompt()
    for name in SCENARIOS:
        assert name in index, f"cassettes/index.json does not describe {name}; run make cassettes"
        entry = index[name]
        assert entry["source"].startswith(("authored:", "live")), name
        assert entry["prompt_hash"] == prompt.sha256, (
            f"{name} was recorded for prompt {entry['prompt_hash'][:12]}, today's is {prompt.sha256[:12]}: "
            "run make cassettes")


def _replay_failure(exc: BaseException) -> CannotOverwriteExistingCassetteException | None:
    """The replay refusal inside whatever the client made of it (a connection error, then an endpoint error)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CannotOverwriteExistingCassetteException):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def test_a_changed_prompt_fails_replay_naming_what_changed_and_how_to_re_record(tmp_path):
    changed = tmp_path / "kpi-records-v1.toml"
    changed.write_text(find_prompt().read_text("utf-8").replace(
        "You read the minutes", "You carefully read the minutes", 1), "utf-8")
    name = "rate_limited_then_ok"
    with pytest.raises(Exception) as raised:
        _, extraction, _ = _replay(name, _backend(name, Sleeps(), prompt=str(changed), retries=0))
        extraction.raise_for_error()
    refusal = _replay_failure(raised.value)
    assert refusal is not None, raised.value
    assert "instructions (messages[0]" in str(refusal) and "make cassettes" in str(refusal)


def test_changed_passages_fail_replay_naming_the_passages(tmp_path):
    name = "malformed_json_reasked"
    other = tmp_path / SCENARIOS[name].documents[0]
    other.write_text(SCENARIOS[name].paths[0].read_text("utf-8").replace("children", "young people"), "utf-8")
    backend = _backend(name, Sleeps(), retries=0)

    async def go():
        try:
            return await backend.extract(load_document(other))
        finally:
            await backend.aclose()

    with pytest.raises(Exception) as raised, recorder().use_cassette(f"{name}.yaml"):
        asyncio.run(go()).raise_for_error()
    refusal = _replay_failure(raised.value)
    assert refusal is not None and "passages or re-ask sent (messages[1])" in str(refusal), raised.value


def test_normal_extraction_is_grounded_with_our_offsets_and_counted(tmp_path):
    store = Store(tmp_path / "k.db")
    document, extraction, cassette = _replay("normal_extraction", _backend("normal_extraction", Sleeps(), store))
    assert cassette.all_played
    records = extraction.raise_for_error().result.records
    assert len(records) >= 15 and extraction.dropped == 0
    _assert_grounded(document, records)
    assert extraction.result.meta.report_period == "2023/24 Q2"
    assert len(extraction.usage.calls) == 2 and extraction.usage.prompt_tokens > 1000  # two chunks
    assert extraction.usage.completion_tokens > 0 and extraction.usage.reasks == 0
    assert store.db["responses"].count == 2


def test_invented_evidence_is_reasked_with_the_validators_message_and_never_kept():
    sleeps = Sleeps()
    document, extraction, cassette = _replay("invented_evidence_reasked", _backend("invented_evidence_reasked", sleeps))
    assert cassette.play_count == CHECK + 2
    reask = cassette.requests[CHECK + 1].body.decode()
    assert "is not in the document" in reask and "999 children" in reask
    records = extraction.raise_for_error().result.records
    assert records and all(r.value != 999 for r in records)
    _assert_grounded(document, records)
    assert len(extraction.usage.calls) == 2  # the re-ask's tokens are counted too
    assert sleeps.waits == []


def test_a_record_still_invented_after_the_last_reask_is_dropped_and_counted():
    name = "invented_evidence_reasked"
    _, extraction, cassette = _replay(name, _backend(name, Sleeps(), max_reasks=0))
    assert cassette.play_count == CHECK + 1
    assert extraction.dropped == 1
    assert all(r.value != 999 for r in extraction.raise_for_error().result.records)


def test_429_waits_what_retry_after_says_then_succeeds():
    sleeps = Sleeps()
    _, extraction, cassette = _replay("rate_limited_then_ok", _backend("rate_limited_then_ok", sleeps))
    assert cassette.play_count == CHECK + 2 and cassette.responses[CHECK]["status"]["code"] == 429
    assert sleeps.waits == [2.0]
    assert extraction.raise_for_error().result.records


def test_500s_until_retries_run_out_is_a_recorded_failure_and_the_batch_goes_on(tmp_path):
    name = "server_errors_exhaust_retries"
    sleeps = Sleeps()
    store = Store(tmp_path / "k.db")
    scenario = SCENARIOS[name]
    settings = LLMSettings(base_url=BASE_URL, api_key="test-key", mode="tools", **scenario.settings)
    with recorder().use_cassette(f"{name}.yaml") as cassette:
        summary = run_batch(scenario.paths, store=store, backend=LLMBackend(settings, store=store, sleep=sleeps))
    assert cassette.all_played
    statuses = {o.name: o.status for o in summary.outcomes}
    assert statuses == {scenario.documents[0]: "failed", scenario.documents[1]: "extracted"}
    assert len(sleeps.waits) == 2  # retries=2: three tries, two backoffs
    failure = list(store.db["failures"].rows)
    assert len(failure) == 1 and "InternalServerError" in failure[0]["error"] and "after 3 tries" in failure[0]["error"]
    assert store.db["records"].count == summary.outcomes[1].records > 0
    run = store.run(summary.run_id)
    # Every request that reached the server is a call, the three refused with a 500 included, each with its chunk.
    assert (run["failed"], run["extracted"], run["calls"]) == (1, 1, 4)
    calls = list(store.db["calls"].rows)
    assert sorted(c["finish_reason"] for c in calls) == ["http 500", "http 500", "http 500", "tool_calls"]
    assert all(c["chunk"] == 0 for c in calls)


def test_malformed_json_is_reasked_then_parsed():
    name = "malformed_json_reasked"
    _, extraction, cassette = _replay(name, _backend(name, Sleeps()))
    assert cassette.play_count == CHECK + 2
    assert extraction.raise_for_error().result.records


def test_malformed_json_after_the_last_reask_fails_the_document_with_a_fix():
    name = "malformed_json_reasked"
    _, extraction, _ = _replay(name, _backend(name, Sleeps(), max_reasks=0))
    with pytest.raises(ExtractionFailed, match="not valid JSON.*--mode"):
        extraction.raise_for_error()


def test_an_answer_cut_off_by_length_is_asked_again_in_halves_and_cached_whole(tmp_path):
    name = "finish_reason_length"
    store = Store(tmp_path / "k.db")
    document, extraction, cassette = _replay(name, _backend(name, Sleeps(), store))
    assert cassette.play_count == CHECK + 3
    assert [c.finish_reason for c in extraction.usage.calls][0] == "length"
    records = extraction.raise_for_error().result.records
    _assert_grounded(document, records)

    again = _backend(name, Sleeps(), store)  # outside the cassette: any HTTP call would fail
    repeat = asyncio.run(again.extract(document))
    assert len(repeat.usage.calls) == 0 and repeat.usage.cache_hits == 1
    assert [r.evidence for r in repeat.raise_for_error().result.records] == [r.evidence for r in records]


def test_replay_never_reaches_the_network():
    with pytest.raises(OSError, match="offline"):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)
