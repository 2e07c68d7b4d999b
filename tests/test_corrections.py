"""A person's corrections (kpi-corrections/1): into gold files, into the store, kept through re-runs, scored."""

import json
import shutil

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.corrections import load_corrections, record_key
from extractor.corrections_store import apply_to_store
from extractor.exports import kpi_record
from extractor.goldcheck import check_dir
from extractor.store import Store

MINUTES = ("Corporate Parenting Panel\n\n"
           "412 children were in care at the end of March 2024, a rate of 68 per 10,000.\n\n"
           "79% of care plans were up to date, against a target of 90%.\n\n"
           "The Chair thanked the 12 foster families who attended the celebration event.\n\n"
           "Members heard that sibling groups kept together now number eleven.\n")


def invoke(*args):
    """Run the command line; its output and exit code."""
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def batch(tmp_path):
    """Two documents extracted into a database: the folder, the database and the store."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "panel.txt").write_text(MINUTES, "utf-8")
    (docs / "other.txt").write_text("Cabinet\n\n35 foster carers were approved in 2023/24.\n", "utf-8")
    db = tmp_path / "k.db"
    assert invoke("run", docs, "--db", db).exit_code == 0
    return docs, db, Store(db)


def stored(store, name):
    """A document's row and its records, as the review page reads them."""
    document = store.stored_documents(name)[0]
    return document, store.records_of(document["id"])


def current(store, name):
    """The version of a document its file now holds (an earlier one may be kept for corrections), and its records."""
    document = next(d for d in store.stored_documents(name) if d["path"])
    return document, store.records_of(document["id"])


def page_decision(row, decision, **fields):
    """One decision as the review page writes it."""
    said = {"key": record_key(row), "decision": decision,
            "record": {k: v for k, v in kpi_record(row).items() if k not in ("ocr", "reviewed")}}
    if decision == "edited":
        said["fields"] = fields
    return said


def corrections(store, name, decisions, added=(), path=None):
    """A kpi-corrections/1 file for one document, as 'Save corrections' downloads it."""
    document, rows = stored(store, name)
    return {"format": "kpi-corrections/1", "database": store.path, "saved_at": "2024-05-01T10:00:00Z",
            "documents": [{"document": document["name"], "path": document["path"], "sha256": document["id"],
                           "records": len(rows), "decisions": decisions, "added": list(added)}]}


def write(tmp_path, payload, name="corrections.json"):
    path = tmp_path / name
    path.write_text(json.dumps(payload), "utf-8")
    return path


ADDED = {"indicator": "Sibling groups kept together", "value": 11, "unit": "count", "period": None,
         "comparisons": [], "evidence": "Members heard that sibling groups kept together now number eleven."}


def judged_everything(store):
    """Reject the rate, edit the care plans' period, accept the rest, add the missing young people."""
    _, rows = stored(store, "panel.txt")
    decisions = []
    for row in rows:
        if row["unit"] == "rate_per_10000":
            decisions.append(page_decision(row, "rejected"))
        elif row["unit"] == "percent":
            decisions.append(page_decision(row, "edited", period="2023/24", trend="up"))
        else:
            decisions.append(page_decision(row, "accepted"))
    return corrections(store, "panel.txt", decisions, [ADDED])


def test_gold_apply_writes_the_persons_records_and_they_pass_the_gold_check(batch, tmp_path):
    docs, db, store = batch
    _, rows = stored(store, "panel.txt")
    assert {row["unit"] for row in rows} >= {"count", "rate_per_10000", "percent"}
    path = write(tmp_path, judged_everything(store))
    result = invoke("gold", "apply", path, "--gold", tmp_path / "gold", "--docs", docs)
    assert result.exit_code == 0, result.output
    assert "panel.txt: wrote" in result.output and "1 edited" in result.output and "1 added" in result.output
    gold = json.loads((tmp_path / "gold" / "panel.json").read_text("utf-8"))
    assert "complete" not in gold and gold["format"] == "kpi-records/1"
    by_unit = {r["unit"]: r for r in gold["records"]}
    assert "rate_per_10000" not in by_unit  # rejected: left out
    assert by_unit["percent"]["period"] == "2023/24" and by_unit["percent"]["trend"] == "up"  # as edited
    assert by_unit["percent"]["value"] == 79 and by_unit["percent"]["comparisons"][0]["basis"] == "target"
    siblings = [r for r in gold["records"] if r["indicator"] == "Sibling groups kept together"]
    assert siblings and siblings[0]["value"] == 11 and siblings[0]["suspect"] is False
    assert [r["evidence"] for r in gold["records"]] == sorted((r["evidence"] for r in gold["records"]),
                                                              key=MINUTES.index)  # in text order
    assert check_dir(tmp_path / "gold", docs) == []
    # applying the same file again changes nothing
    again = invoke("gold", "apply", path, "--gold", tmp_path / "gold", "--docs", docs)
    assert again.exit_code == 0 and json.loads((tmp_path / "gold" / "panel.json").read_text("utf-8")) == gold
    scored = invoke("eval", "--gold", tmp_path / "gold", "--docs", docs, "--no-store", "--quiet")
    assert scored.exit_code == 0, scored.output


def test_a_partly_judged_document_is_written_incomplete_and_eval_refuses_it(batch, tmp_path):
    docs, db, store = batch
    _, rows = stored(store, "panel.txt")
    path = write(tmp_path, corrections(store, "panel.txt", [page_decision(rows[0], "accepted")]))
    result = invoke("gold", "apply", path, "--gold", tmp_path / "gold", "--db", db)
    assert result.exit_code == 0, result.output
    assert '"complete": false' in " ".join(result.output.split())
    gold = json.loads((tmp_path / "gold" / "panel.json").read_text("utf-8"))
    assert gold["complete"] is False and len(gold["records"]) == 1
    refused = invoke("eval", "--gold", tmp_path / "gold", "--docs", docs, "--no-store")
    assert refused.exit_code == 1 and "panel.json" in refused.output and "--partial" in refused.output
    assert invoke("eval", "--gold", tmp_path / "gold", "--docs", docs, "--no-store", "--partial").exit_code == 0


def test_gold_draft_starts_from_the_store_and_a_complete_review_finishes_it(batch, tmp_path):
    docs, db, store = batch
    result = invoke("gold", "draft", "panel.txt", "--db", db, "--gold", tmp_path / "gold")
    assert result.exit_code == 0, result.output
    assert "drafted from the store" in result.output
    draft = json.loads((tmp_path / "gold" / "panel.json").read_text("utf-8"))
    assert draft["complete"] is False and len(draft["records"]) == len(stored(store, "panel.txt")[1])
    assert check_dir(tmp_path / "gold", docs) == []
    again = invoke("gold", "draft", "panel.txt", "--db", db, "--gold", tmp_path / "gold")
    assert again.exit_code == 1 and "already exists" in again.output
    path = write(tmp_path, judged_everything(store))
    assert invoke("gold", "apply", path, "--gold", tmp_path / "gold", "--db", db).exit_code == 0
    gold = json.loads((tmp_path / "gold" / "panel.json").read_text("utf-8"))
    assert "complete" not in gold and not any(r["unit"] == "rate_per_10000" for r in gold["records"])


def _bad(store, docs, tmp_path, payload):
    path = write(tmp_path, payload, "bad.json")
    before = list(store.db.query("select * from records order by id"))
    for command in (("gold", "apply", path, "--gold", tmp_path / "gold", "--docs", docs),
                    ("corrections", "apply", path, "--db", store.path, "--reviewer", "ann")):
        result = invoke(*command)
        assert result.exit_code == 1, result.output
        yield " ".join(result.output.split())  # as one line, however the console wrapped it
    assert not (tmp_path / "gold").exists()  # nothing written
    assert list(store.db.query("select * from records order by id")) == before


def test_bad_corrections_fail_naming_the_problem_and_write_nothing(batch, tmp_path):
    docs, db, store = batch
    _, rows = stored(store, "panel.txt")
    wrong_format = {**corrections(store, "panel.txt", []), "format": "kpi-records/1"}
    for output in _bad(store, docs, tmp_path, wrong_format):
        assert "format: must be 'kpi-corrections/1', found 'kpi-records/1'" in output
    unknown = corrections(store, "panel.txt", [page_decision(rows[0], "accepted")])
    unknown["documents"][0].update(sha256="0" * 64, document="elsewhere.txt", path=None)
    outputs = list(_bad(store, docs, tmp_path, unknown))
    assert "elsewhere.txt" in outputs[0] and "not found" in outputs[0]
    assert "elsewhere.txt" in outputs[1] and "unknown document" in outputs[1]
    not_there = dict(ADDED, evidence="31 sibling groups were kept together.", value=31)
    for output in _bad(store, docs, tmp_path, corrections(store, "panel.txt", [], [not_there])):
        assert "added[0] ('Sibling groups kept together'): evidence:" in output and "is not in the document" in output
    percent = next(row for row in rows if row["unit"] == "percent")
    edited = corrections(store, "panel.txt", [page_decision(percent, "edited", value=81)])
    for output in _bad(store, docs, tmp_path, edited):
        assert "decisions[0]" in output and "edited: evidence:" in output and "81" in output
    bad_field = corrections(store, "panel.txt", [page_decision(percent, "edited", unit="percentage")])
    for output in _bad(store, docs, tmp_path, bad_field):
        assert "edited: unit:" in output


def test_store_apply_marks_who_and_when_and_exports_say_reviewed(batch, tmp_path):
    docs, db, store = batch
    path = write(tmp_path, judged_everything(store))
    result = invoke("corrections", "apply", path, "--db", db, "--reviewer", "A. Analyst")
    assert result.exit_code == 0, result.output
    assert "panel.txt: 1 accepted, 1 edited, 1 rejected, 1 added" in " ".join(result.output.split())
    _, rows = stored(store, "panel.txt")
    assert {row["review"] for row in rows} == {"accepted", "edited", "added"}
    assert all(row["reviewed_by"] == "A. Analyst" and row["reviewed_at"] for row in rows)
    edited = next(row for row in rows if row["review"] == "edited")
    assert edited["period"] == "2023/24" and edited["trend"] == "up" and edited["value"] == 79
    added = next(row for row in rows if row["review"] == "added")
    assert MINUTES[added["start"]:added["end"]] == ADDED["evidence"] and added["backend"] == "person"
    assert not any(row["unit"] == "rate_per_10000" for row in rows)
    assert store.db["rejections"].count == 1
    exported = json.loads(invoke("export", "--db", db, "--format", "json").output)
    assert {row["document"]: row["reviewed"] for row in exported if row["document"] == "other.txt"} == {
        "other.txt": None}
    assert sorted(row["reviewed"] for row in exported if row["document"] == "panel.txt") == [
        "accepted", "added", "edited"]
    again = invoke("corrections", "apply", path, "--db", db, "--reviewer", "A. Analyst")
    assert again.exit_code == 0 and "(4 already applied)" in " ".join(again.output.split())
    assert len(stored(store, "panel.txt")[1]) == len(rows)


def test_one_transaction_per_document(batch, tmp_path, monkeypatch):
    docs, db, store = batch
    both = judged_everything(store)
    other = corrections(store, "other.txt", [page_decision(stored(store, "other.txt")[1][0], "rejected")])
    both["documents"] += other["documents"]
    from extractor import corrections_store

    real = corrections_store._apply_one
    calls = []

    def second_fails(store_, done, *args):
        calls.append(done.document.document)
        if len(calls) == 2:
            store_.db.execute("BEGIN IMMEDIATE")  # fail inside the second document's write
            store_.db.execute("ROLLBACK")
            raise RuntimeError("disk full")
        return real(store_, done, *args)

    monkeypatch.setattr(corrections_store, "_apply_one", second_fails)
    with pytest.raises(RuntimeError):
        apply_to_store(store, load_corrections(write(tmp_path, both)), "c.json", reviewer="ann")
    assert {row["review"] for row in stored(store, "panel.txt")[1]} == {"accepted", "edited", "added"}
    assert all(row["review"] is None for row in stored(store, "other.txt")[1])  # its transaction never ran


def test_a_rerun_keeps_a_persons_corrections_and_says_so(batch, tmp_path):
    docs, db, store = batch
    assert invoke("corrections", "apply", write(tmp_path, judged_everything(store)), "--db", db,
                  "--reviewer", "ann").exit_code == 0
    before = {(row["indicator"], row["value"], row["period"], row["review"]) for row in stored(store, "panel.txt")[1]}
    result = invoke("run", docs, "--db", db, "--force")
    assert result.exit_code == 0, result.output
    assert "kept 3 corrected records of panel.txt" in " ".join(result.output.split())
    after = stored(store, "panel.txt")[1]
    assert {(row["indicator"], row["value"], row["period"], row["review"]) for row in after} == before
    assert not any(row["unit"] == "rate_per_10000" for row in after)  # a rejection is not brought back


def test_a_correction_of_a_document_that_changed_since_is_refused(batch, tmp_path):
    docs, db, store = batch
    path = write(tmp_path, judged_everything(store))
    (docs / "panel.txt").write_text(MINUTES.replace("412", "415"), "utf-8")
    assert invoke("run", docs, "--db", db).exit_code == 0
    result = invoke("corrections", "apply", path, "--db", db, "--reviewer", "ann")
    assert result.exit_code == 1 and "'panel.txt'" in result.output and "changed since" in result.output
    gold = invoke("gold", "apply", path, "--gold", tmp_path / "gold", "--docs", docs)
    assert gold.exit_code == 1 and "changed since" in gold.output and not (tmp_path / "gold").exists()


def test_a_changed_file_keeps_every_correction_moving_those_its_new_text_still_holds(batch, tmp_path):
    docs, db, store = batch
    assert invoke("corrections", "apply", write(tmp_path, judged_everything(store)), "--db", db,
                  "--reviewer", "ann").exit_code == 0
    # The file changes: the 412 sentence is reworded, the rest (with the edited and added records) stays.
    (docs / "panel.txt").write_text(MINUTES.replace("412 children were in care", "415 children were in care"), "utf-8")
    result = invoke("run", docs, "--db", db)
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "1 corrected records of panel.txt are no longer in the changed text" in said
    new, rows = current(store, "panel.txt")
    moved = [row for row in rows if row["review"]]
    assert sorted(row["review"] for row in moved) == ["added", "edited"]
    assert all(new["text"][row["start"]:row["end"]] == row["evidence"] for row in moved)  # placed again
    assert {row[0] for row in store.db.execute("select document_id from rejections")} == {new["id"]}
    assert any(row["value"] == 415 and row["review"] is None for row in rows)  # the new sentence, extracted
    earlier = store.db.execute("select id, path, superseded_by from documents where superseded_by is not null"
                               ).fetchall()
    assert [(path, by) for _, path, by in earlier] == [(None, new["id"])]
    kept = store.records_of(earlier[0][0])
    assert [(row["value"], row["review"]) for row in kept] == [(412, "accepted")]  # nothing a person said is lost
    # Changed again, now holding the accepted sentence too: it comes back to the newest version.
    (docs / "panel.txt").write_text(MINUTES + "\nThe Chair closed the meeting.\n", "utf-8")
    assert invoke("run", docs, "--db", db).exit_code == 0
    _, rows = current(store, "panel.txt")
    assert sorted(row["review"] for row in rows if row["review"]) == ["accepted", "added", "edited"]
    assert store.db.execute("select count(*) from documents").fetchone()[0] == 2  # no earlier version left over
    assert len([row for row in rows if row["value"] == 412]) == 1  # and no second copy of what came back


def test_eval_scores_the_extractor_against_a_databases_corrected_records(batch, tmp_path):
    docs, db, store = batch
    shutil.copy(db, tmp_path / "reviewed.db")
    assert invoke("eval", "--gold-from-db", db, "--no-store").exit_code == 1  # nothing corrected yet
    assert invoke("corrections", "apply", write(tmp_path, judged_everything(store)), "--db", db,
                  "--reviewer", "ann").exit_code == 0
    result = invoke("eval", "--gold-from-db", db, "--no-store", "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    # gold: 3 records (one accepted, one edited, one added); the extractor finds 3, one of them rejected
    assert report["documents"] == 1 and report["gold_records"] == 3 and report["pairs"] == 2
    assert report["strict"]["f1"] < report["records"]["f1"]  # the edited period is the person's
