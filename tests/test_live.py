"""Against a real OpenAI-compatible endpoint: off unless KPI_LIVE=1 (make test-live sets it up).

They check the contract a live model must keep (grounded records, honest accounting), never exact
records: a live model's answers differ from run to run and from the authored cassettes.
"""

from __future__ import annotations

import os

import pytest
from llm_scenarios import SCENARIOS, cassette_index

from extractor.pipeline import run_batch
from extractor.prompts import load_prompt
from extractor.store import Store
from extractor.textnorm import NormalisedText

pytestmark = pytest.mark.live


def test_a_live_model_extracts_grounded_records_and_every_call_is_counted(tmp_path):
    store = Store(tmp_path / "live.db")
    path = SCENARIOS["malformed_json_reasked"].paths[0]  # the short document
    summary = run_batch([path], store=store, backend="openai",
                        options={"model": os.environ.get("KPI_MODEL"), "concurrency": 1})
    assert summary.failed == 0, summary.outcomes
    assert summary.usage.calls and summary.usage.prompt_tokens > 0
    text = NormalisedText(path.read_text("utf-8"))
    document = store.stored_documents(path.name)[0]
    for record in store.records_of(document["id"]):
        assert text.find(record["evidence"]), record["evidence"]
    assert summary.offered - summary.dropped >= len(store.records_of(document["id"]))


def test_the_live_cassettes_name_the_model_and_prompt_that_answered_them():
    live = {name: entry for name, entry in cassette_index().items() if entry["source"] == "live"}
    assert live, "no live cassette: make test-live re-records normal_extraction first"
    for name, entry in live.items():
        assert entry["model"] and entry["prompt_hash"] == load_prompt().sha256, name
