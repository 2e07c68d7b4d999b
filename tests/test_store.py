from extractor.documents import load_document
from extractor.pipeline import run_batch
from extractor.store import MIGRATIONS, Store


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
    store.log_calls("r", "doc", [{"chunk": 0, "response_id": "c1", "finish_reason": "stop",
                                  "prompt_tokens": 10, "completion_tokens": 2}], model="m")
    assert [c["prompt_tokens"] for c in store.db["calls"].rows] == [10]
    assert store.run("r")["prompt_hash"] == "h"
