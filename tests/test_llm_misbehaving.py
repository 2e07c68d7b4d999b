"""What real servers and small models do, played by the stub: a failed answer never looks like "no KPIs"."""

from __future__ import annotations

import json

import pytest
from openai_stub import StubServer

from extractor.backends.llm import LLMBackend
from extractor.backends.model import LLMSettings
from extractor.chunking import estimate_tokens
from extractor.pipeline import run_batch
from extractor.store import Store

SHORT = "004_36426df94b734508.txt"


async def _no_wait(_: float) -> None:
    return None


def _run(stub: StubServer, corpus, tmp_path, document: str = SHORT, **options):
    store = Store(tmp_path / "k.db")
    settings = LLMSettings(base_url=stub.base_url, **{"mode": "tools", **options})
    backend = LLMBackend(settings, store=store, sleep=_no_wait)
    summary = run_batch([corpus / document], store=store, backend=backend)
    return summary, store


def test_an_answer_that_ignores_the_schema_is_reasked_then_correct(corpus, tmp_path):
    with StubServer(faults=["offschema"]) as stub:
        summary, store = _run(stub, corpus, tmp_path)
    assert len(stub.requests) == 2 and "records" in json.dumps(stub.requests[1]["messages"][-1])
    outcome = summary.outcomes[0]
    assert outcome.status == "extracted" and outcome.records > 0


def test_an_answer_that_never_follows_the_schema_fails_the_document_and_is_not_cached(corpus, tmp_path):
    with StubServer(faults=["offschema"] * 3) as stub:
        summary, store = _run(stub, corpus, tmp_path, max_reasks=2)
    outcome = summary.outcomes[0]
    assert outcome.status == "failed" and "the model did not follow the schema" in outcome.error
    assert "try --mode json_schema or json" in outcome.error
    failure = list(store.db["failures"].rows)[0]
    assert "the model did not follow the schema" in failure["error"]
    assert store.db["responses"].count == 0 and store.db["records"].count == 0
    assert store.run(summary.run_id)["calls"] == 3


def test_an_empty_object_after_a_reask_keeps_the_valid_records_of_the_first_answer(corpus, tmp_path):
    # The first answer holds the real records plus an invented one; the re-ask is answered with {}.
    with StubServer(faults=["invent", "empty", "empty", "empty"]) as stub:
        summary, store = _run(stub, corpus, tmp_path)
    outcome = summary.outcomes[0]
    assert outcome.status == "extracted" and outcome.records > 0
    assert outcome.dropped == 1 and outcome.offered == outcome.records + 1  # the invented record, counted
    assert all(row["value"] != 999 for row in store.db["records"].rows)


def test_only_empty_objects_are_a_failure_not_zero_records(corpus, tmp_path):
    with StubServer(faults=["empty"] * 3) as stub:
        summary, store = _run(stub, corpus, tmp_path)
    assert summary.outcomes[0].status == "failed" and "did not follow the schema" in summary.outcomes[0].error


def test_json_schema_refused_with_a_500_is_not_retried_and_names_the_next_mode(corpus, tmp_path):
    with StubServer(modes=("tools", "json")) as stub:
        summary, store = _run(stub, corpus, tmp_path, mode="json_schema", retries=5)
    outcome = summary.outcomes[0]
    assert outcome.status == "failed" and "refused --mode json_schema" in outcome.error
    assert "use --mode json" in outcome.error and "auto" in outcome.error
    assert len(stub.requests) == 1  # refused, not retried
    assert store.run(summary.run_id)["calls"] == 1  # the refused request reached the server: it counts


def test_auto_mode_takes_the_first_mode_the_server_accepts_and_says_so(corpus, tmp_path):
    with StubServer(modes=("json",)) as stub:  # no tool calling, json_schema refused
        summary, store = _run(stub, corpus, tmp_path, mode="auto")
    assert summary.outcomes[0].status == "extracted" and summary.outcomes[0].records > 0
    assert summary.mode.startswith("json (auto") and "tools: answered without tool calls" in summary.mode
    assert "json_schema: refused" in summary.mode
    assert store.run(summary.run_id)["mode"] == summary.mode
    assert store.server_mode(stub.base_url, "gpt-4o-mini") == "json"
    assert "response_format" in stub.requests[-1] and "tools" not in stub.requests[-1]


def test_an_answer_that_never_stops_is_split_at_most_twice_then_fails_with_the_cause(corpus, tmp_path):
    with StubServer(never_stops=True) as stub:
        summary, _ = _run(stub, corpus, tmp_path, chunk_tokens=3000)
    outcome = summary.outcomes[0]
    assert outcome.status == "failed" and "cut off at --max-tokens" in outcome.error
    assert "the model does not stop" in outcome.error
    # each chunk: asked whole, in halves, in quarters: at most 1 + 2 + 4 calls
    assert len(stub.requests) <= 7 * max(1, summary.usage.calls[-1].chunk + 1)


def test_a_document_has_a_cap_on_model_calls(corpus, tmp_path):
    with StubServer(never_stops=True) as stub:
        summary, _ = _run(stub, corpus, tmp_path, max_calls_per_document=2)
    outcome = summary.outcomes[0]
    assert outcome.status == "failed"
    assert "--max-calls-per-document 2" in outcome.error or "cut off" in outcome.error
    assert len(stub.requests) <= 3


@pytest.mark.parametrize(("mode", "context"), [("tools", 5120), ("json_schema", 5120), ("json", 6144)])
def test_every_request_fits_the_context_with_room_for_a_reask_and_the_answer(mode, context, corpus, tmp_path):
    max_tokens = 512
    with StubServer() as stub:
        summary, _ = _run(stub, corpus, tmp_path, "002_db4118e4560db15c.txt", mode=mode, context_tokens=context,
                          max_tokens=max_tokens, chunk_tokens=100_000)
    assert summary.outcomes[0].status == "extracted"
    assert len(stub.requests) > 1  # the document had to be cut into several chunks to fit
    for request in stub.requests:
        sent = estimate_tokens(json.dumps({k: request[k] for k in ("messages", "tools", "response_format")
                                           if k in request}))
        assert sent + 2 * max_tokens <= context


def test_the_schema_counts_in_the_budget_in_json_mode(tmp_path):
    backend = LLMBackend(LLMSettings(base_url="http://127.0.0.1:9/v1"))
    # json mode writes the schema into the system prompt; tools mode sends it as the tool's parameters
    assert backend.overhead_tokens("json") > backend.overhead_tokens("tools") > 1000
    assert backend.passage_budget("json") < backend.passage_budget("tools")


def test_once_a_chunk_fails_the_rest_of_its_document_is_not_asked(corpus, tmp_path):
    # Three chunks and a model that never follows the schema, one request at a time: the first chunk
    # keeps its turn through its re-asks, fails, and the other two are never sent.
    with StubServer(faults=["offschema"] * 9) as stub:
        summary, _ = _run(stub, corpus, tmp_path, "002_db4118e4560db15c.txt", concurrency=1, context_tokens=5120,
                          max_tokens=512)
    outcome = summary.outcomes[0]
    assert outcome.status == "failed" and "did not follow the schema" in outcome.error
    assert "(1 of 3 chunks failed, 2 not asked)" in outcome.error
    assert len(stub.requests) == 3  # the failing chunk's three attempts only


def test_minutes_that_look_like_templates_reach_the_model_unchanged_and_answers_are_still_grounded(tmp_path):
    # instructor renders messages as Jinja when given context=; ours must reach the model as written,
    # and an invented record must still be caught by grounding (re-asked, then dropped).
    text = ("Corporate Parenting Panel\n\nThe template {{ 7 * 7 }} and {% raw %} were pasted into the minutes.\n\n"
            "There were 412 children in care at the end of March 2024, a rate of 61 per 10,000.\n")
    (tmp_path / "m.txt").write_text(text, "utf-8")
    with StubServer(faults=["invent", "ok"]) as stub:
        summary, store = _run(stub, tmp_path, tmp_path, document="m.txt")
    sent = stub.requests[0]["messages"][-1]["content"]
    assert "{{ 7 * 7 }} and {% raw %} were pasted" in sent and "49" not in sent
    outcome = summary.outcomes[0]
    assert outcome.status == "extracted" and outcome.records > 0
    assert len(stub.requests) == 2 and all(row["value"] != 999 for row in store.db["records"].rows)
