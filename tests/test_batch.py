"""Batch runs against the stub's Batch API (tests/openai_stub.py): submit, status, collect, and every fault.

The stub's answers are the rules backend's records for the passages it is sent: authored, not a model's."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import CORPUS
from openai_stub import BatchPlan, StubServer

from extractor.backends.model import LLMSettings
from extractor.batch import line_of, request_body, status, submit
from extractor.batch_collect import collect
from extractor.batch_store import BatchStore
from extractor.cli import cli
from extractor.pipeline import run_batch
from extractor.store import Store


async def _no_sleep(seconds: float) -> None:
    return None


def _records(store: Store) -> list[tuple]:
    return sorted(store.db.execute(
        'select document_id, indicator, value, unit, period, evidence, start, "end", indicator_id from records'
    ).fetchall(), key=repr)


def _settings(stub: StubServer, **extra: object) -> LLMSettings:
    return LLMSettings(base_url=stub.base_url, mode="tools", **extra)


def _live(stub: StubServer) -> int:
    """Requests sent live (not in a batch): the stub's chat-completions calls."""
    return stub.paths.count("POST /v1/chat/completions")


def _reach(stub: StubServer) -> dict[str, object]:
    return {"base_url": stub.base_url}


@pytest.fixture(scope="module")
def live_records(tmp_path_factory):
    """What a live run stores for the bundled minutes, against the same stub answers."""
    store = Store(tmp_path_factory.mktemp("live") / "live.db")
    with StubServer() as stub:
        run_batch([CORPUS], store=store, backend="openai", options=_settings(stub))
    return _records(store)


def test_submit_status_collect_on_the_command_line_store_what_a_live_run_stores(tmp_path, corpus, live_records):
    db = tmp_path / "b.db"
    runner = CliRunner()
    with StubServer(batches=[BatchPlan(states=("validating",))]) as stub:
        env = {"OPENAI_BASE_URL": stub.base_url}
        sent = runner.invoke(cli, ["batch", "submit", str(corpus), "--db", str(db), "--backend", "openai",
                                   "--price-in", "1", "--price-out", "2"], env=env)
        assert sent.exit_code == 0, sent.output
        batch_id = next(iter(stub.batches.batches))
        assert batch_id in sent.output
        probes = len(stub.requests)  # --mode auto's probe: the only live request before collect
        assert [p for p in stub.paths if "chat/completions" in p] == ["POST /v1/chat/completions"] * probes
        shown = runner.invoke(cli, ["batch", "status", "--db", str(db), "--json"], env=env)
        assert shown.exit_code == 0, shown.output
        rows = json.loads(shown.output)
        assert rows[0]["provider_id"] == batch_id and rows[0]["status"] == "completed"
        assert rows[0]["requests"] == rows[0]["completed"] > 0
        got = runner.invoke(cli, ["batch", "collect", "--db", str(db)], env=env)
        assert got.exit_code == 0, got.output
        assert len(stub.requests) == probes + rows[0]["requests"]  # each answered once, in the batch
        store = Store(db)
        assert _records(store) == live_records
        run = store.runs()[0]
        assert run["batch"] == batch_id and run["status"] == "completed" and run["extracted"] == 5
        assert run["prompt_tokens"] > 0 and run["calls"] == rows[0]["requests"]
        # every token at the batch price (0.5 of the list price given)
        expected = (run["prompt_tokens"] * 1 + run["completion_tokens"] * 2) / 1e6 * 0.5
        assert run["cost"] == pytest.approx(expected)
        # A later live run over the same database finds every answer in the cache: no model call.
        before = len(stub.requests)
        again = runner.invoke(cli, ["run", str(corpus), "--db", str(db), "--backend", "openai", "--force",
                                    "--mode", "tools"], env=env)
        assert again.exit_code == 0, again.output
        assert len(stub.requests) == before
        # Collect twice: nothing is open, nothing is stored twice.
        twice = runner.invoke(cli, ["batch", "collect", "--db", str(db)], env=env)
        assert twice.exit_code == 0 and "No open batches" in twice.output
        assert _records(store) == live_records


def test_a_batch_line_carries_exactly_the_body_a_live_request_sends(tmp_path, corpus):
    with StubServer() as stub:
        store = Store(tmp_path / "b.db")
        run_batch([corpus / "003_a62f19515b4c2a7e.txt"], store=Store(tmp_path / "l.db"), backend="openai",
                  options=_settings(stub))
        live = stub.requests[:]
        submit([corpus / "003_a62f19515b4c2a7e.txt"], store=store, options=_settings(stub))
        content = next(v for k, v in stub.batches.files.items() if k == next(iter(stub.batches.batches.values()))
                       ["input_file_id"])
        lines = [json.loads(line) for line in content.decode().splitlines()]
        assert [line["body"] for line in lines] == live
        assert {(line["method"], line["url"]) for line in lines} == {("POST", "/v1/chat/completions")}


def test_polling_waits_through_every_state_without_sleeping(tmp_path, corpus, live_records):
    slept = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    with StubServer() as stub:
        store = Store(tmp_path / "b.db")
        submit([corpus], store=store, options=_settings(stub))
        assert collect(store, options=_reach(stub))[0].status == "in_progress"  # not ended: nothing stored
        assert _records(store) == []
        done = collect(store, options=_reach(stub), wait=True, sleep=sleep, poll_seconds=7)
        assert done[0].status == "completed" and slept == [7]  # in_progress, finalizing, completed
        assert _records(store) == live_records


def test_failed_lines_are_asked_live_and_invalid_answers_reasked(tmp_path, corpus, live_records):
    plan = BatchPlan(states=(), line_faults={0: "error", 1: "expired", 2: "invent", 3: "offschema", 4: "length"})
    with StubServer(batches=[plan]) as stub:
        store = Store(tmp_path / "b.db")
        submit([corpus], store=store, options=_settings(stub))
        answered = len(stub.requests)
        done = collect(store, options=_reach(stub))[0]
        assert (done.failed, done.reasked) == (3, 2)  # error, expired, cut off; invented and off-schema re-asked
        live = stub.requests[answered:]
        assert _live(stub) == len(live) == 5  # two re-asks (conversations), three requests asked again live
        assert sum(len(r["messages"]) > 2 for r in live) == 2
        assert _records(store) == live_records
        run = store.runs()[0]
        assert run["reasks"] == 2 and run["dropped"] >= 1 and run["failed"] == 0


def test_resubmit_sends_failed_requests_in_a_follow_up_batch(tmp_path, corpus, live_records):
    plans = [BatchPlan(states=(), line_faults={0: "error", 5: "expired"}), BatchPlan(states=())]
    with StubServer(batches=plans) as stub:
        store = Store(tmp_path / "b.db")
        sent = submit([corpus], store=store, options=_settings(stub)).requests
        first = collect(store, options=_reach(stub), resubmit=True)[0]
        assert first.follow_up and first.failed == 2 and _live(stub) == 0  # nothing asked live
        stored = first.summary.count("extracted") if first.summary else 0
        assert stored == 5 - len({r["document_id"] for r in BatchStore(store).requests(
            BatchStore(store).batches()[0]["id"])})
        second = collect(store, options=_reach(stub))
        assert [c.batch for c in second] == [first.follow_up] and second[0].status == "completed"
        assert _live(stub) == 0 and len(stub.requests) == sent  # the two answered in the follow-up, none live
        assert _records(store) == live_records
        assert sum(r["calls"] for r in store.runs()) == sent  # each answer paid once, counted once


@pytest.mark.parametrize("end", ["failed", "expired", "cancelled"])
def test_a_batch_that_ends_badly_is_reported_and_its_documents_left_for_a_later_run(tmp_path, corpus, end,
                                                                                       live_records):
    db = tmp_path / "b.db"
    plan = BatchPlan(end=end, states=("validating",))
    with StubServer(batches=[plan]) as stub:
        env = {"OPENAI_BASE_URL": stub.base_url}
        runner = CliRunner()
        assert runner.invoke(cli, ["batch", "submit", str(corpus), "--db", str(db), "--mode", "tools",
                                   "--pack-tokens", "0"], env=env).exit_code == 0
        if end == "cancelled":
            cancelled = runner.invoke(cli, ["batch", "cancel", next(iter(stub.batches.batches)), "--db", str(db)],
                                      env=env)
            assert cancelled.exit_code == 0 and "cancelling" in cancelled.output
        got = runner.invoke(cli, ["batch", "collect", "--db", str(db)], env=env)
        assert got.exit_code == 1, got.output
        assert end in got.output and "5 document(s) not stored" in got.output
        if end == "failed":
            assert "failed validation" in got.output
        store = Store(db)
        assert _records(store) == [] and store.runs() == []
        total = next(iter(stub.batches.batches.values()))["request_counts"]["total"]
        answered = store.db["responses"].count  # an expired batch's answers are cached: not paid for twice
        assert answered == (total // 2 if end == "expired" else 0)
        # The batch is closed; a later live run stores its documents, asking only what was not answered.
        assert runner.invoke(cli, ["batch", "collect", "--db", str(db)], env=env).output.strip() == "No open batches."
        done = runner.invoke(cli, ["run", str(corpus), "--db", str(db), "--backend", "openai", "--mode", "tools"],
                             env=env)
        assert done.exit_code == 0, done.output
        assert _live(stub) == total - answered
        assert _records(store) == live_records


def test_submit_sends_neither_cached_nor_pending_requests_and_splits_at_the_limits(tmp_path, corpus):
    with StubServer() as stub:
        store = Store(tmp_path / "b.db")
        run_batch([corpus / "003_a62f19515b4c2a7e.txt"], store=store, backend="openai", options=_settings(stub))
        first = submit([corpus], store=store, options=_settings(stub), max_requests=3)
        assert first.current == 1 and len(first.batches) >= 3
        assert all(b.requests <= 3 for b in first.batches) and first.requests > 3
        again = submit([corpus], store=store, options=_settings(stub), force=True)
        assert again.batches == [] and again.pending == first.requests  # already in open batches: not sent twice
        assert again.cached > 0  # the stored document's answers: from the cache


class Killed(BaseException):
    """Stands in for the process being killed."""


@pytest.mark.parametrize(("where", "at"), [("save_response", 3), ("settle", 3), ("save_result", 3),
                                         ("finish_run", 1), ("finish_run", 2), ("mark_documents", 1)])
def test_a_collect_killed_anywhere_and_run_again_loses_nothing_and_doubles_nothing(tmp_path, corpus, live_records,
                                                                                  monkeypatch, where, at):
    plan = BatchPlan(states=(), line_faults={1: "invent", 2: "error"})
    with StubServer(batches=[plan]) as stub:
        store = Store(tmp_path / "b.db")
        sent = submit([corpus], store=store, options=_settings(stub)).requests
        owner = BatchStore if where in ("settle", "mark_documents") else Store
        real = getattr(owner, where)
        calls = {"n": 0}

        def dying(self, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] == at:
                raise Killed
            return real(self, *args, **kwargs)

        monkeypatch.setattr(owner, where, dying)
        with pytest.raises(Killed):
            collect(store, options=_reach(stub))
        monkeypatch.setattr(owner, where, real)
        store = Store(tmp_path / "b.db")  # a new process
        again = collect(store, options=_reach(stub))
        assert again and again[0].status == "completed"
        assert _records(store) == live_records
        assert collect(store, options=_reach(stub)) == []
        # Nothing doubled: each document stored once, each answer cached once, each call logged once at most;
        # at most the re-ask and the live redo in flight when it was killed are asked again.
        assert store.db.execute("select count(*) from extractions").fetchone()[0] == 5
        assert len(stub.requests) <= sent + 2 + 2
        assert store.db.execute("select count(distinct response_id) = count(*) from calls").fetchone()[0] == 1


def test_a_batch_recorded_but_never_created_is_sent_by_the_next_collect(tmp_path, corpus, monkeypatch):
    import extractor.batch as batch_module

    with StubServer(batches=[BatchPlan(states=()), BatchPlan(states=())]) as stub:
        store = Store(tmp_path / "b.db")
        real = batch_module.send

        async def killed(*args, **kwargs):
            raise Killed

        monkeypatch.setattr(batch_module, "send", killed)
        with pytest.raises(Killed):
            submit([corpus], store=store, options=_settings(stub))
        monkeypatch.setattr(batch_module, "send", real)
        assert status(store, options=_reach(stub))[0]["provider_id"] is None
        first = collect(store, options=_reach(stub))
        assert first[0].batch.startswith("batch_stub") and len(stub.batches.batches) == 1
        assert collect(store, options=_reach(stub))[0].status == "completed"


def test_collect_refuses_another_endpoint_naming_the_one_the_batch_was_sent_to(tmp_path, corpus):
    with StubServer() as stub:
        store = Store(tmp_path / "b.db")
        submit([corpus / "003_a62f19515b4c2a7e.txt"], store=store, options=_settings(stub))
        from extractor.errors import ConfigError

        with pytest.raises(ConfigError, match=stub.base_url):
            collect(store, options={"base_url": "http://127.0.0.1:9/v1"})


def test_line_of_rebuilds_the_request_from_what_the_database_keeps(tmp_path, corpus):
    from extractor.backends.llm import LLMBackend

    with StubServer() as stub:
        store = Store(tmp_path / "b.db")
        submit([corpus / "003_a62f19515b4c2a7e.txt"], store=store, options=_settings(stub))
        batches = BatchStore(store)
        request = next(batches.requests(batches.batches()[0]["id"]))
        backend = LLMBackend(_settings(stub))
        line = json.loads(line_of(backend, [request], "tools"))
        messages = backend.prompt.render(passages=request["passages"], **json.loads(request["context"]))
        assert line["body"] == request_body(backend, messages, "tools")
        assert backend.cache_key(messages, "tools") == request["key"]


def test_the_database_and_the_jsonl_never_hold_the_key(tmp_path, corpus):
    with StubServer(api_key="sk-secret-batch-key-123") as stub:
        store = Store(tmp_path / "b.db")
        submit([corpus / "003_a62f19515b4c2a7e.txt"], store=store,
               options=_settings(stub, api_key="sk-secret-batch-key-123"))
        shutil.copy(tmp_path / "b.db", tmp_path / "copy.db")
        assert b"sk-secret-batch-key-123" not in (tmp_path / "copy.db").read_bytes()
        assert all(b"sk-secret" not in content for content in stub.batches.files.values())


def test_a_packed_batch_stores_what_a_live_run_stores_in_fewer_requests(tmp_path, corpus, live_records):
    plan = BatchPlan(states=(), line_faults={0: "offschema", 1: "stray"})
    with StubServer(batches=[plan]) as stub:
        store = Store(tmp_path / "b.db")
        packed = submit([corpus], store=store, options=_settings(stub, pack_tokens=3000, context_tokens=128_000))
        content = stub.batches.files[stub.batches.batches[packed.batches[0].provider_id]["input_file_id"]]
        lines = [json.loads(line) for line in content.decode().splitlines()]
        assert 2 <= len(lines) == packed.requests < 9 and any("[P2]" in json.dumps(line) for line in lines)
        done = collect(store, options=_reach(stub))[0]
        assert done.reasked == 1 and done.status == "completed"
        assert _records(store) == live_records
        run = store.runs()[0]
        assert run["dropped"] >= 1 and run["failed"] == 0  # the stray record, dropped and counted
