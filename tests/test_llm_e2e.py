"""End to end against a local OpenAI-compatible stub server on 127.0.0.1 (tests/openai_stub.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from openai_stub import INVENTED, StubServer

from extractor.backends.model import LLMSettings
from extractor.cli import cli
from extractor.documents import load_document
from extractor.pipeline import extract
from extractor.store import Store
from extractor.textnorm import NormalisedText


def _stored_records_are_grounded(store: Store) -> int:
    texts = {row["id"]: row["text"] for row in store.db.query("select id, text from documents")}
    rows = list(store.db["records"].rows)
    for row in rows:
        text = texts[row["document_id"]]
        assert NormalisedText(text).find(row["evidence"]), row["evidence"]
        assert " ".join(text[row["start"]:row["end"]].split()) == row["evidence"]
        assert row["value"] != INVENTED["value"]
        assert (row["model"], row["prompt_version"]) == ("gpt-4o-mini", "kpi-records@1")
        assert len(row["prompt_hash"]) == 64
    return len(rows)


def test_kpi_extract_run_against_a_local_server_stores_only_grounded_records(tmp_path, corpus):
    db = tmp_path / "x.db"
    with StubServer(faults=["ok", "invent"]) as stub:  # the first request is --mode auto's probe
        env = {**os.environ, "OPENAI_BASE_URL": stub.base_url}
        done = subprocess.run([sys.executable, "-m", "extractor", "run", str(corpus), "--backend", "openai",
                               "--db", str(db)], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        first = len(stub.requests)
        assert any(len(r["messages"]) > 2 for r in stub.requests)  # the invented record was re-asked
        assert "model calls" in done.stderr

        store = Store(db)
        assert _stored_records_are_grounded(store) > 50
        run = list(store.db["runs"].rows)[0]
        # The invented record was offered, failed validation and vanished after the re-ask: it counts as dropped.
        assert run["calls"] == first and run["dropped"] == 1 and run["prompt_tokens"] > 0
        assert run["offered"] >= run["records"] + run["dropped"] and run["mode"].startswith("tools (auto")
        assert store.db["calls"].count == first

        runner = CliRunner()
        again = runner.invoke(cli, ["run", str(corpus), "--backend", "openai", "--db", str(db)], env=env)
        assert again.exit_code == 0 and "5 skipped" in again.output
        forced = runner.invoke(cli, ["run", str(corpus), "--backend", "openai", "--db", str(db), "--force"], env=env)
        assert forced.exit_code == 0, forced.output
        assert len(stub.requests) == first  # skipped, then answered from the cache: zero model calls

        report = tmp_path / "r.json"
        scored = runner.invoke(cli, ["eval", "--gold", str(corpus.parent / "gold"), "--docs", str(corpus),
                                     "--backend", "openai", "--db", str(db), "--json", str(report)], env=env)
        assert scored.exit_code == 0, scored.output
        assert len(stub.requests) == first
        assert json.loads(report.read_text())["grounding_rate"] == 1.0
        assert store.eval_runs()[0]["prompt_version"] == "kpi-records@1"

        fresh = runner.invoke(cli, ["run", str(corpus), "--backend", "openai", "--db", str(db), "--force",
                                    "--no-cache"], env=env)
        # Asked again: no probe (the mode decided on the first run is remembered) and no invented record to re-ask.
        assert fresh.exit_code == 0 and len(stub.requests) == first + (first - 2)


@pytest.mark.parametrize("mode", ["json", "json_schema"])
def test_json_modes_for_servers_without_tool_calls(mode, corpus):
    with StubServer() as stub:
        settings = LLMSettings(base_url=stub.base_url, mode=mode)
        result = extract(corpus / "003_a62f19515b4c2a7e.txt", backend="openai", options=settings)
        assert "tools" not in stub.requests[0]
    assert len(result.records) >= 5
    text = load_document(corpus / "003_a62f19515b4c2a7e.txt").text
    assert all(NormalisedText(text).find(r.evidence) for r in result.records)


def test_a_failing_endpoint_is_recorded_per_document_and_the_batch_exits_1(tmp_path, corpus):
    db = tmp_path / "x.db"
    with StubServer(faults=["500"] * 20) as stub:
        result = CliRunner().invoke(cli, ["run", str(corpus / "004_36426df94b734508.txt"), "--backend", "openai",
                                          "--base-url", stub.base_url, "--retries", "0", "--db", str(db)])
    assert result.exit_code == 1
    failures = list(Store(db).db["failures"].rows)
    assert len(failures) == 1 and "InternalServerError" in failures[0]["error"]


def test_the_same_question_in_flight_for_two_documents_is_sent_once(tmp_path, corpus):
    from extractor.pipeline import run_batch

    text = (corpus / "004_36426df94b734508.txt").read_text("utf-8")
    folder = tmp_path / "minutes"
    folder.mkdir()
    for name in ("a", "b", "c"):  # three files, different content, the same passages
        (folder / f"{name}.txt").write_text(f"{text}\n\nPrepared by the {name.upper()} team.\n", "utf-8")
    with StubServer(latency=0.3) as stub:
        settings = LLMSettings(base_url=stub.base_url, model="stub", mode="tools", concurrency=3)
        summary = run_batch([folder], store=Store(tmp_path / "k.db"), backend="openai", options=settings)
        asked = len(stub.requests)
    assert summary.count("extracted") == 3 and len({o.records for o in summary.outcomes}) == 1
    assert asked == len(summary.usage.calls) and summary.usage.cache_hits == 2 * asked  # one answer, three uses
