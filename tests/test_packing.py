"""--pack-tokens: several documents' passages in one request, against the stub (its answers are the rules
backend's records for each passage: authored, not a model's)."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS
from openai_stub import StubServer

from extractor.backends.model import LLMSettings
from extractor.chunking import Chunk
from extractor.packing import PackedRecords, pack, passages_sent, read_packed, render_pack, sources_of
from extractor.pipeline import run_batch
from extractor.prompts import load_prompt
from extractor.store import Store

SMALL = ["003_a62f19515b4c2a7e.txt", "004_36426df94b734508.txt", "000_c572b18e3f951390.txt"]


@pytest.fixture(autouse=True)
def _patient_linger(monkeypatch):
    """A pack waits 0.2 s for more chunks live; tests that count packs wait longer, so a loaded CI machine still
    reads every document before the pack goes out (at 5 ms one went out with a single passage)."""
    monkeypatch.setattr("extractor.backends.packer.LINGER", 0.5)


def _settings(stub: StubServer, pack: int, **extra: object) -> LLMSettings:
    return LLMSettings(base_url=stub.base_url, mode="tools", pack_tokens=pack, context_tokens=128_000, **extra)


def _records(store: Store) -> list[tuple]:
    return sorted(store.db.execute(
        'select document_id, indicator, value, unit, period, evidence, start, "end" from records').fetchall(), key=repr)


def _live(stub: StubServer) -> int:
    return stub.paths.count("POST /v1/chat/completions")


def _passages(path) -> list[str]:
    from extractor.chunking import chunk_document
    from extractor.documents import load_document

    return [chunk.text for chunk in chunk_document(load_document(path))]


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("unpacked") / "u.db")
    with StubServer() as stub:
        run_batch([CORPUS], store=store, backend="openai", options=_settings(stub, 0))
        return _records(store), _live(stub)


def test_packed_requests_store_the_same_records_in_fewer_requests(tmp_path, unpacked):
    records, calls = unpacked
    store = Store(tmp_path / "p.db")
    with StubServer() as stub:
        summary = run_batch([CORPUS], store=store, backend="openai", options=_settings(stub, 8000))
        assert summary.failed == 0
        assert _records(store) == records
        assert _live(stub) < calls
        packed = [r for r in stub.requests if "[P2]" in r["messages"][1]["content"]]
        assert packed and all("passage" in json.dumps(r["tools"]) for r in packed)
        run = store.runs()[0]
        assert run["calls"] == _live(stub) and run["prompt_tokens"] > 0


def test_the_cache_stays_per_document_so_one_document_is_never_sent_with_the_others_again(tmp_path):
    store = Store(tmp_path / "p.db")
    with StubServer() as stub:
        run_batch([CORPUS / name for name in SMALL], store=store, backend="openai", options=_settings(stub, 8000))
        first = _live(stub)
        assert first < len(SMALL)
        # One document again (forced): every one of its chunks is a cache hit, packed or not.
        for pack in (8000, 0):
            summary = run_batch([CORPUS / SMALL[0]], store=store, backend="openai", options=_settings(stub, pack),
                                force=True)
            assert summary.usage.cache_hits >= 1 and _live(stub) == first
        # A new document beside cached ones: only its passages are sent.
        cached = [c for name in SMALL for c in _passages(CORPUS / name)]
        run_batch([CORPUS / name for name in SMALL] + [CORPUS / "001_ad2c3098650f2ab7.txt"], store=store,
                  backend="openai", options=_settings(stub, 8000), force=True)
        assert _live(stub) > first
        sent = "\n".join(r["messages"][1]["content"] for r in stub.requests[first:])
        assert not any(text in sent for text in cached)


def test_a_record_naming_no_passage_sent_is_dropped_and_counted_without_a_reask(tmp_path, unpacked):
    store = Store(tmp_path / "p.db")
    with StubServer(faults=["stray"]) as stub:
        summary = run_batch([CORPUS / name for name in SMALL], store=store, backend="openai",
                            options=_settings(stub, 8000))
        assert summary.dropped == 1 and summary.usage.reasks == 0
        assert not any(r["indicator"] == "Stray record" for r in store.db["records"].rows)


def test_an_invalid_packed_answer_is_reasked_once_whole_then_split_per_document(tmp_path, unpacked, monkeypatch):
    # The three documents' chunks must share the first pack: on a loaded CI machine 5 ms was too short a
    # wait for the later documents to be read (the pack went out with P1 alone), so this test waits longer.
    monkeypatch.setattr("extractor.backends.packer.LINGER", 2.0)
    store = Store(tmp_path / "p.db")
    with StubServer(faults=["offschema", "offschema"]) as stub:
        summary = run_batch([CORPUS / name for name in SMALL], store=store, backend="openai",
                            options=_settings(stub, 8000))
        assert summary.failed == 0
        first, again, *alone = stub.requests
        assert "[P2]" in first["messages"][1]["content"] and len(again["messages"]) > 2  # re-asked whole, once
        assert alone and not any("[P1]" in r["messages"][1]["content"] for r in alone)  # then each on its own
        records, _ = unpacked
        mine = {row[0] for row in _records(store)}
        assert _records(store) == [r for r in records if r[0] in mine]


def test_records_are_grounded_in_the_passage_they_name():
    prompt = load_prompt()
    parts = pack([(Chunk(0, ("Children in care: 450 at 31 March.",), ((0, 35),)), {"title": "A"}),
                  (Chunk(0, ("Care leavers in education: 61%.",), ((0, 31),)), {"title": "B"})], budget=4000)
    assert len(parts) == 1 and [p.pid for p in parts[0]] == ["P1", "P2"]
    text = render_pack(prompt, parts[0])[1]["content"]
    assert "[P1]" in text and "[P2]" in text and "Report title: B" in text
    sources = sources_of(parts[0])
    good = {"indicator": "Children in care", "value": 450, "unit": "count", "evidence": "Children in care: 450 at "
            "31 March.", "passage": "P1"}
    wrong = {**good, "passage": "P2"}  # its evidence is not in P2
    with passages_sent(sources):
        assert len(PackedRecords.model_validate({"records": [good]}).records) == 1
        with pytest.raises(ValueError, match="evidence"):
            PackedRecords.model_validate({"records": [wrong]})

    class Completion:
        def __init__(self, payload: dict) -> None:
            message = type("M", (), {"tool_calls": None, "content": json.dumps(payload)})
            self.choices = [type("C", (), {"message": message})]

    answers, unnamed = read_packed([Completion({"records": [good, wrong, {**good, "passage": "P7"}]})], sources, None)
    assert [len(answers[p].records) for p in ("P1", "P2")] == [1, 0] and unnamed == 1
    assert answers["P2"].dropped == 1
