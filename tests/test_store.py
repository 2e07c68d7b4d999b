import sqlite3
import subprocess
import sys

from extractor.documents import document_from_text, load_document
from extractor.migrations import MIGRATIONS
from extractor.pipeline import run_batch
from extractor.schema import DocumentResult, KPIRecord
from extractor.store import Store


def write(tmp_path, text):
    folder = tmp_path / "minutes"
    folder.mkdir(exist_ok=True)
    (folder / "m.txt").write_text(text, "utf-8")
    return folder


def test_migrations_are_applied_once(tmp_path):
    db = tmp_path / "k.db"
    Store(db)
    store = Store(db)
    assert [r["name"] for r in store.db["_migrations"].rows] == [name for name, _ in MIGRATIONS]
    assert {"documents", "records", "runs", "failures", "eval_runs"} <= set(store.db.table_names())


def test_unchanged_content_is_skipped_and_force_reextracts(tmp_path):
    folder = write(tmp_path, "91% of reviews were on time.")
    store = Store(tmp_path / "k.db")
    first = run_batch([folder], store=store)
    again = run_batch([folder], store=store)
    forced = run_batch([folder], store=store, force=True)
    assert [o.status for o in first.outcomes] == ["extracted"]
    assert [o.status for o in again.outcomes] == ["skipped"]
    assert [o.status for o in forced.outcomes] == ["extracted"]
    assert store.db["records"].count == 1
    runs = list(store.db["runs"].rows)
    assert [r["skipped"] for r in runs] == [0, 1, 0] and all(r["ended_at"] for r in runs)


def test_changed_content_replaces_old_records(tmp_path):
    folder = write(tmp_path, "91% of reviews were on time.")
    store = Store(tmp_path / "k.db")
    run_batch([folder], store=store)
    write(tmp_path, "88% of reviews were on time. There were 12 adoptions.")
    run_batch([folder], store=store)
    assert sorted(r["value"] for r in store.db["records"].rows) == [12, 88]
    assert store.db["documents"].count == 1


def test_a_failing_document_is_recorded_and_the_batch_goes_on(tmp_path):
    folder = write(tmp_path, "91% of reviews were on time.")
    (folder / "broken.txt").write_bytes(b"\x00\x00binary")
    summary = run_batch([folder], store=(store := Store(tmp_path / "k.db")))
    statuses = sorted((o.name, o.status) for o in summary.outcomes)
    assert statuses == [("broken.txt", "failed"), ("m.txt", "extracted")]
    failure = next(iter(store.db["failures"].rows))
    assert failure["stage"] == "load" and "binary" in failure["error"]


def test_records_keep_offsets_into_the_document(tmp_path):
    folder = write(tmp_path, "Heading\n\nThere were 108 fostering families.")
    store = Store(tmp_path / "k.db")
    run_batch([folder], store=store)
    row = next(iter(store.db["records"].rows))
    text = load_document(folder / "m.txt").text
    assert text[row["start"]:row["end"]] == "There were 108 fostering families."


def test_model_responses_are_cached_by_key_and_calls_logged(tmp_path):
    store = Store(tmp_path / "k.db")
    assert store.cached_response("k1") is None
    store.save_response("k1", {"records": [], "dropped": 1}, model="m", mode="tools", prompt_version="p@1",
                        prompt_hash="h", prompt_tokens=10, completion_tokens=2)
    assert store.cached_response("k1") == {"records": [], "dropped": 1}
    store.start_run("r", backend="openai", model="m", prompt_version="p@1", prompt_hash="h")
    document = document_from_text("91% of reviews were on time.", name="d.txt")
    store.save_result(document, DocumentResult(document="d.txt"), run_id="r", backend="openai", model="m",
                      calls=[{"chunk": 0, "response_id": "c1", "finish_reason": "stop", "prompt_tokens": 10,
                              "completion_tokens": 2}])
    assert [c["prompt_tokens"] for c in store.db["calls"].rows] == [10]
    assert store.run("r")["prompt_hash"] == "h"


def _result(name: str, *values: int) -> DocumentResult:
    return DocumentResult(document=name, records=[
        KPIRecord(indicator=f"Measure {v}", value=v, unit="count", evidence=f"There were {v} visits.") for v in values])


def test_every_write_of_a_document_is_one_explicit_transaction(tmp_path):
    store = Store(tmp_path / "k.db")
    store.start_run("r", backend="rules", model=None, prompt_version=None)
    document = document_from_text("There were 3 visits. There were 4 visits.", name="d.txt")
    store.save_result(document, _result("d.txt", 3), run_id="r", backend="rules")
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    calls = [{"chunk": 0, "response_id": "c", "finish_reason": "stop", "prompt_tokens": 1, "completion_tokens": 1}]
    store.save_result(document, _result("d.txt", 3, 4), run_id="r", backend="rules", calls=calls)
    store.db.conn.set_trace_callback(None)
    writes = [s for s in statements if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE")]
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    # sqlite-utils nests its own savepoints inside ours; nothing inside may begin, commit or end a transaction
    assert not any(s.split()[0].upper() in ("BEGIN", "COMMIT", "END") or s.upper().startswith("ROLLBACK;")
                   or s.upper() == "ROLLBACK" for s in statements[1:-1]), statements
    assert any("calls" in s for s in writes) and any("records" in s for s in writes)  # calls and records together
    assert any(s.upper().startswith("DELETE") and "records" in s for s in writes)


def test_a_failed_write_leaves_the_document_as_it_was(tmp_path):
    store = Store(tmp_path / "k.db")
    store.start_run("r", backend="rules", model=None, prompt_version=None)
    document = document_from_text("There were 3 visits. There were 4 visits.", name="d.txt")
    store.save_result(document, _result("d.txt", 3), run_id="r", backend="rules")
    broken = _result("d.txt", 4)
    broken.records[0].comparisons = object()  # cannot be written: fails halfway through the transaction
    try:
        store.save_result(document, broken, run_id="r", backend="rules")
    except Exception:
        pass
    assert [row["value"] for row in store.db["records"].rows] == [3]


def test_another_process_that_stored_the_same_content_meanwhile_is_not_doubled(tmp_path):
    store = Store(tmp_path / "k.db")
    store.start_run("r", backend="rules", model=None, prompt_version=None)
    document = document_from_text("There were 3 visits.", name="d.txt")
    assert store.save_result(document, _result("d.txt", 3), run_id="r", backend="rules", replace=False) == 1
    assert store.save_result(document, _result("d.txt", 3), run_id="r", backend="rules", replace=False) is None
    assert store.db["records"].count == 1


def test_the_database_runs_in_wal_with_a_busy_timeout_and_syncs_at_checkpoints(tmp_path):
    store = Store(tmp_path / "k.db")
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("pragma busy_timeout").fetchone()[0] >= 30_000
    assert store.db.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL


def test_two_processes_opening_a_new_database_at_once_both_migrate_it(tmp_path):
    db = tmp_path / "new.db"
    code = "import sys; from extractor.store import Store; Store(sys.argv[1])"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db)], stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    names = [row[0] for row in sqlite3.connect(db).execute("select name from _migrations")]
    assert names == [name for name, _ in MIGRATIONS]


def test_an_export_reads_records_in_document_order_without_sorting_them_all(tmp_path):
    store = Store(tmp_path / "k.db")
    plan = " | ".join(row[-1] for row in store.db.execute(
        "explain query plan select * from kpis order by document, path, start, record_id").fetchall())
    assert "USING INDEX idx_documents_name_path" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
