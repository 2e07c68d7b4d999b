"""Issue 21 (4): scanned pages are read by OCR, their records marked; without an engine, the error names the fix."""

import json

import pytest
from click.testing import CliRunner
from pdfs import pdf_with_scans, pdf_without_text

from extractor import ocr
from extractor.cli import cli
from extractor.documents import load_document
from extractor.errors import ConfigError, InputError
from extractor.numbers import ocr_digits

TYPED = ["Corporate Parenting Panel, 14 March 2024", "Performance report for the quarter to December 2023.",
         "There were 412 children in care at the end of December."]
SCANNED = ["91% of reviews of children in care were held on time.",
           "68 care leavers were in education, employment or training.",
           "27 children were adopted in the year to date, against a target of 30."]
_NO_ENGINE = ocr.engine_problem()
needs_engine = pytest.mark.skipif(_NO_ENGINE is not None, reason=f"no OCR engine: {_NO_ENGINE} (make test installs "
                                  "tesseract-ocr with apt-get where it can)")


@needs_engine
def test_a_scanned_page_is_read_by_ocr_and_its_records_are_marked(tmp_path):
    pdf = pdf_with_scans(tmp_path / "m.pdf", [TYPED, SCANNED], scanned={2})
    document = load_document(pdf)
    assert document.ocr_pages == (2,) and len(document.pages) == 2
    page_two = document.text[document.pages[1]:]
    assert "91% of reviews" in page_two and "68 care leavers" in page_two
    db = tmp_path / "k.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(pdf), "--db", str(db), "--backend", "rules", "-q"]).exit_code == 0
    exported = runner.invoke(cli, ["export", "--db", str(db), "--format", "jsonl"])
    rows = {row["value"]: row for row in map(json.loads, exported.output.splitlines())}
    assert {value: (row["page"], row["ocr"]) for value, row in rows.items() if value in (412, 91, 68, 27)} == {
        412: (1, False), 91: (2, True), 68: (2, True), 27: (2, True)}
    review = tmp_path / "review.html"
    assert runner.invoke(cli, ["review", "--db", str(db), "--output", str(review)]).exit_code == 0
    page = review.read_text("utf-8")
    assert "page 2 (OCR)" in page and "Read by OCR (a scan): page(s) 2" in page


@needs_engine
def test_ocr_never_leaves_a_scan_unread_and_always_reads_every_page(tmp_path):
    pdf = pdf_with_scans(tmp_path / "m.pdf", [SCANNED], scanned={1})
    with pytest.raises(InputError, match=r"no text layer \(a scan\?\)\. Fix: pass --ocr auto"):
        load_document(pdf, ocr="never")
    typed = pdf_with_scans(tmp_path / "t.pdf", [TYPED], scanned=set())
    assert load_document(typed, ocr="always").ocr_pages == (1,) and load_document(typed).ocr_pages == ()


def test_without_an_engine_a_scan_fails_naming_the_fix(tmp_path, monkeypatch):
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("L", (200, 200), 128), x=10, y=10, w=50)
    pdf.output(str(tmp_path / "scan.pdf"))
    monkeypatch.setenv("PATH", "")  # no tesseract program to be found
    with pytest.raises(InputError, match=r"scan\.pdf: the PDF has no text layer \(a scan\?\) and the "
                                         r"(?:tesseract program|OCR extra) is not installed.*install tesseract-ocr"):
        load_document(tmp_path / "scan.pdf")
    with pytest.raises(ConfigError, match=r"--ocr always.*install tesseract-ocr.*or pass --ocr auto or --ocr never"):
        load_document(tmp_path / "scan.pdf", ocr="always")
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "scan.pdf"), "--db", str(tmp_path / "k.db"),
                                      "--ocr", "always", "--backend", "rules"])
    assert result.exit_code == 1 and "install tesseract-ocr" in result.output
    assert not (tmp_path / "k.db").exists()  # refused before any work


def test_a_page_without_text_or_image_is_not_sent_to_ocr(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "read_pages", lambda *a, **k: pytest.fail("OCR was asked"))
    with pytest.raises(InputError, match="no text layer"):
        load_document(pdf_without_text(tmp_path / "blank.pdf"))


@pytest.mark.parametrize(("text", "mended"), [
    ("2O23", "2023"), ("1l5 children", "115 children"), ("1,O54 visits", "1,054 visits"), ("9O%", "90%"),
    ("1OO%", "100%"), ("1I1", "111"),
    ("NG2 4AB", "NG2 4AB"), ("S10 2AB", "S10 2AB"), ("l0 bananas", "l0 bananas"), ("were12", "were12"),
    ("IO1", "IO1"), ("Over 10 of 12", "Over 10 of 12"), ("Total 12 | 34", "Total 12 | 34"),
])
def test_ocr_digits_mends_only_what_it_can_tell(text, mended):
    assert ocr_digits(text) == mended


def test_ocr_text_joins_words_broken_at_line_ends():
    assert ocr.clean("the fos-\ntering team\x0c  \n2O23") == "the fostering team\n2023"
