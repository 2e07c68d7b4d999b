"""A batch's manifest: rows read and checked, and their values reaching every exported record."""

import csv
import html
import io

import docx
import pytest
from click.testing import CliRunner
from pdfs import _latin1, pdf_of_pages

from extractor.cli import cli
from extractor.errors import InputError
from extractor.manifest import read_manifest
from extractor.pipeline import extract
from extractor.store import Store


def _manifest(folder, text: str):
    path = folder / "manifest.csv"
    path.write_text(text, "utf-8")
    return path


def test_rows_give_url_authority_committee_and_an_iso_meeting_date(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("40 children were in care.", "utf-8")
    (tmp_path / "b.txt").write_text("41 children were in care.", "utf-8")
    sources = read_manifest(_manifest(tmp_path, "path,url,authority,committee,meeting_date\n"
                                                "docs/a.txt,https://example.gov.uk/a,Rotherham,Cabinet,2024-03-18\n"
                                                "\n"
                                                "b.txt,,,,\n"))
    assert sources == {
        (tmp_path / "docs" / "a.txt").resolve(): {"url": "https://example.gov.uk/a", "authority": "Rotherham",
                                                  "committee": "Cabinet", "meeting_date": "2024-03-18"},
        (tmp_path / "b.txt").resolve(): {},
    }


@pytest.mark.parametrize(("rows", "message"), [
    ("path,meeting_date\nmissing.txt,\n", r"manifest\.csv, row 2: missing\.txt does not exist"),
    ("path,meeting_date\na.txt,18/03/2024\n", r"row 2: meeting_date '18/03/2024' is not a date.*YYYY-MM-DD"),
    ("path\na.txt\na.txt\n", r"row 3: a\.txt is listed twice"),
    ("url,authority\nx,y\n", r"no 'path' column"),
    ("path,authorty\na.txt,x\n", r"unknown manifest column 'authorty'.*did you mean 'authority'"),
    ("file,path\na.txt,a.txt\n", r"two columns give path"),
    ("path\n", r"lists no files"),
])
def test_a_bad_row_is_an_error_naming_it(tmp_path, rows, message):
    (tmp_path / "a.txt").write_text("40 children were in care.", "utf-8")
    with pytest.raises(InputError, match=message):
        read_manifest(_manifest(tmp_path, rows))


def test_common_column_names_are_read_other_columns_ignored_and_bare_names_found_in_the_batch(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("40 children were in care.", "utf-8")
    manifest = _manifest(tmp_path, "file,url,council,committee,meeting_date,kind,approx_kpi_count\n"
                                   "a.txt,https://example.gov.uk/a,Harrow,Corporate Parenting Panel,2022-07-13,kpi,3\n")
    notes: list[str] = []
    sources = read_manifest(manifest, search=[docs], on_note=notes.append)
    assert sources == {(docs / "a.txt").resolve(): {"url": "https://example.gov.uk/a", "authority": "Harrow",
                                                     "committee": "Corporate Parenting Panel",
                                                     "meeting_date": "2022-07-13"}}
    assert notes and "kind, approx_kpi_count ignored" in notes[0]
    with pytest.raises(InputError, match=r"a\.txt does not exist .*among the batch's files"):
        read_manifest(manifest, search=[tmp_path / "elsewhere"])


def _four_formats(folder, text: str) -> None:
    """The same minutes as .txt, .html, .pdf (two pages) and .docx."""
    text = _latin1(text)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    (folder / "m.txt").write_text(text, "utf-8")
    (folder / "m.html").write_text("<html><body><nav>Home | Meetings</nav>"
                                   + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</body></html>")
    half = len(paragraphs) // 2
    pdf_of_pages(folder / "m.pdf", [paragraphs[:half], paragraphs[half:]])
    word = docx.Document()
    for paragraph in paragraphs:
        word.add_paragraph(paragraph)
    word.save(folder / "m.docx")


def test_the_same_minutes_in_four_formats_give_the_same_records(tmp_path, corpus):
    _four_formats(tmp_path, (corpus / "000_c572b18e3f951390.txt").read_text("utf-8"))
    found = {suffix: sorted((r.indicator, r.value, r.unit, r.period, r.target_met, r.trend)
                            for r in extract(tmp_path / f"m.{suffix}").records)
             for suffix in ("txt", "html", "pdf", "docx")}
    assert len(found["txt"]) > 10
    assert found["html"] == found["txt"] and found["pdf"] == found["txt"] and found["docx"] == found["txt"]


def test_run_with_a_manifest_stores_and_exports_where_each_record_comes_from(tmp_path, corpus):
    folder = tmp_path / "downloads"
    folder.mkdir()
    _four_formats(folder, (corpus / "004_36426df94b734508.txt").read_text("utf-8"))
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04 not really")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    manifest = _manifest(folder, "path,url,authority,committee,meeting_date\n"
                                 "m.pdf,https://democracy.example.gov.uk/m.pdf,Kirklees,Corporate Parenting Board,"
                                 "2019-07-08\n"
                                 "m.docx,https://democracy.example.gov.uk/m.docx,,,2019-07-08\n")
    db = tmp_path / "k.db"
    result = CliRunner().invoke(cli, ["run", str(folder), "--manifest", str(manifest), "--authority", "Leeds",
                                      "--db", str(db)])
    assert result.exit_code == 1, result.output  # broken.pdf, and only it
    store = Store(db)
    failures = [(row["document"], row["error"]) for row in store.db["failures"].rows]
    assert len(failures) == 1 and failures[0][0].endswith("broken.pdf") and "unreadable PDF" in failures[0][1]
    assert "budget.xlsx" in result.output and "not read" in result.output
    assert [run["unsupported"] for run in store.db["runs"].rows] == [2]  # budget.xlsx and manifest.csv
    exported = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(exported)))
    by_document = {name: [row for row in rows if row["document"] == name]
                   for name in ("m.txt", "m.html", "m.pdf", "m.docx")}
    assert all(by_document.values()) and len({len(found) for found in by_document.values()}) == 1
    for row in by_document["m.pdf"]:
        assert (row["authority"], row["committee"], row["meeting_date"], row["url"]) == (
            "Kirklees", "Corporate Parenting Board", "2019-07-08", "https://democracy.example.gov.uk/m.pdf")
        assert row["page"] in ("1", "2")
    assert {row["page"] for row in by_document["m.pdf"]} == {"1", "2"}
    for row in by_document["m.docx"]:  # the batch's authority, the text's committee, the row's date and url
        assert (row["authority"], row["committee"], row["meeting_date"], row["page"]) == (
            "Leeds", "Corporate Parenting Panel", "2019-07-08", "")
    for row in by_document["m.txt"]:
        assert (row["authority"], row["url"], row["meeting_date"]) == ("Leeds", "", "")


def test_a_manifest_given_later_reaches_documents_already_stored_and_an_empty_one_says_so(tmp_path):
    folder = tmp_path / "minutes"
    folder.mkdir()
    (folder / "a.txt").write_text("Corporate Parenting Panel\n\n412 children were in care in March 2024.", "utf-8")
    (folder / "apologies.txt").write_text("Apologies were received from Councillor Smith.", "utf-8")
    db = str(tmp_path / "k.db")
    first = CliRunner().invoke(cli, ["run", str(folder), "--db", db])
    assert first.exit_code == 0 and "no records" in first.output
    manifest = _manifest(tmp_path, "path,url,meeting_date\nminutes/a.txt,https://example.gov.uk/a,2024-04-02\n")
    again = CliRunner().invoke(cli, ["run", "--manifest", str(manifest), "--committee", "Cabinet", "--db", db])
    assert again.exit_code == 0 and "skipped" in again.output  # not extracted again
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(cli, ["export", "--db", db]).output)))
    assert [(r["document"], r["url"], r["meeting_date"], r["committee"]) for r in rows] == [
        ("a.txt", "https://example.gov.uk/a", "2024-04-02", "Cabinet")]
