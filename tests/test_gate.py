"""The one gate before the store: a plugin's records are held to the contract a model's are."""

from __future__ import annotations

import json

from extractor.backends.base import Extraction, Identity
from extractor.documents import Document
from extractor.gate import admit
from extractor.pipeline import extract_documents, run_batch
from extractor.schema import DocumentMeta, DocumentResult, KPIRecord
from extractor.store import Store

MINUTES = ("Members noted the quarter's performance. 42 children were in care at the end of June, "
           "up from 39. 88% of reviews were held on time.")


class _Plugin:
    """A third-party backend that returns one good record, one whose evidence is not in the document, one
    whose evidence does not print its value, and one built without validation (a unit with no value)."""

    identity = Identity("plugin")
    concurrency = 1

    async def extract(self, document: Document) -> Extraction:
        records = [
            KPIRecord(indicator="Children in care", value=42, unit="count",
                      evidence="42 children were in care at the end of June, up from 39."),
            KPIRecord(indicator="Children adopted", value=12, unit="count", evidence="12 children were adopted."),
            KPIRecord(indicator="Reviews held on time", value=90, unit="percent",
                      evidence="88% of reviews were held on time."),
            KPIRecord.model_construct(indicator="Reviews held on time", value=None, unit="percent",
                                      evidence="88% of reviews were held on time.", comparisons=[]),
        ]
        return Extraction(DocumentResult.model_construct(document=document.name, records=records,
                                                         meta=DocumentMeta()))

    async def aclose(self) -> None:
        return None


def test_a_plugins_ungrounded_and_invalid_records_are_dropped_counted_and_their_reasons_stored(tmp_path):
    minutes = tmp_path / "cpp.txt"
    minutes.write_text(MINUTES, "utf-8")
    store = Store(tmp_path / "k.db")
    summary = run_batch([minutes], store=store, backend=_Plugin())
    outcome = summary.outcomes[0]
    assert (outcome.status, outcome.records, outcome.dropped, outcome.offered) == ("extracted", 1, 3, 4)
    stored = store.records_of(store.stored_documents("cpp.txt")[0]["id"])
    assert [r["value"] for r in stored] == [42]
    assert MINUTES[stored[0]["start"]:stored[0]["end"]].startswith("42 children")  # placed by us
    row = store.db.execute("select dropped, rejected from extractions").fetchone()
    reasons = [r["reason"] for r in json.loads(row[1])]
    assert row[0] == 3 and len(reasons) == 3
    assert "not in the document" in reasons[0]
    assert "does not print the value 90" in reasons[1]
    assert "value and unit go together" in reasons[2]
    assert store.run(summary.run_id)["dropped"] == 3


def test_the_library_extract_path_passes_the_same_gate(tmp_path):
    document = Document(name="cpp.txt", path=None, text=MINUTES, sha256="x" * 64, encoding="utf-8")
    [result] = extract_documents([document], backend=_Plugin())
    assert [r.value for r in result.records] == [42]


def test_records_whose_offsets_do_not_hold_their_evidence_are_placed_again():
    document = Document(name="cpp.txt", path=None, text=MINUTES, sha256="x" * 64, encoding="utf-8")
    wrong = KPIRecord(indicator="Reviews held on time", value=88, unit="percent",
                      evidence="88% of reviews were held on time.", start=0, end=10)
    result, rejected = admit(DocumentResult(document="cpp.txt", records=[wrong]), document)
    assert not rejected
    placed = result.records[0]
    assert MINUTES[placed.start:placed.end] == "88% of reviews were held on time."


class _AllInvented(_Plugin):
    """A plugin whose every record is ungrounded."""

    async def extract(self, document: Document) -> Extraction:
        records = [KPIRecord(indicator="Children adopted", value=12, unit="count",
                             evidence="12 children were adopted."),
                   KPIRecord(indicator="Care leavers", value=7, unit="count", evidence="7 care leavers.")]
        return Extraction(DocumentResult(document=document.name, records=records))


def test_a_document_whose_every_offered_record_was_dropped_is_not_shown_as_one_without_kpis(tmp_path):
    from extractor.views import run_summary, totals_line

    (tmp_path / "a.txt").write_text(MINUTES, "utf-8")
    (tmp_path / "b.txt").write_text("The panel met. Apologies were received.", "utf-8")
    store = Store(tmp_path / "k.db")
    lost = run_batch([tmp_path / "a.txt"], store=store, backend=_AllInvented())
    quiet = run_batch([tmp_path / "b.txt"], store=store, backend="rules")
    assert "with every offered record dropped" in totals_line(lost)
    assert "all 2 offered records dropped" in _rendered(run_summary(lost))
    assert "no records" in _rendered(run_summary(quiet)) and "dropped" not in totals_line(quiet)


def _rendered(renderable) -> str:
    from rich.console import Console

    console = Console(width=100, record=True)
    console.print(renderable)
    return console.export_text()


def test_show_runs_review_and_the_kpi_records_export_say_every_offered_record_was_dropped(tmp_path):
    from click.testing import CliRunner

    from extractor.cli import cli
    from extractor.review import render_review

    (tmp_path / "a.txt").write_text(MINUTES, "utf-8")
    (tmp_path / "b.txt").write_text("The panel met. Apologies were received.", "utf-8")
    db = tmp_path / "k.db"
    store = Store(db)
    run_batch([tmp_path / "a.txt"], store=store, backend=_AllInvented())
    run_batch([tmp_path / "b.txt"], store=store, backend="rules")
    runner = CliRunner()
    shown = runner.invoke(cli, ["show", "a.txt", "--db", str(db)], terminal_width=200).output
    assert "all 2 offered records dropped" in shown and "not in the document" in shown
    assert "dropped" not in runner.invoke(cli, ["show", "b.txt", "--db", str(db)], terminal_width=200).output
    runs = runner.invoke(cli, ["runs", "--db", str(db)], terminal_width=200).output
    assert "doc(s): all" in runs.replace("\n", " ") or "all offered" in runs
    listed = json.loads(runner.invoke(cli, ["runs", "--db", str(db), "--json"]).output)
    assert sorted(run["all_dropped"] for run in listed) == [0, 1]
    page = render_review(store)
    assert "All 2 offered records dropped" in page and "No records found in this document." in page
    exported = runner.invoke(cli, ["export", "--db", str(db), "--format", "kpi-records", "--output",
                                   str(tmp_path / "out")])
    assert "a.txt: all 2 offered records dropped" in exported.output
    assert "b.txt: no records found" in exported.output
