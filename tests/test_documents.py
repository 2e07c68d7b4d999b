import io
import zipfile
from pathlib import Path

import pytest
from pdfs import pdf_of_columns, pdf_of_columns_across, pdf_of_pages, pdf_of_table, pdf_without_text

from extractor.documents import discover, load_document
from extractor.errors import InputError


def test_txt_utf8(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text("79% of plans were up to date \u2013 good.", "utf-8")
    document = load_document(path)
    assert document.text.startswith("79%") and document.encoding == "utf-8" and len(document.sha256) == 64


def test_txt_cp1252_fallback_is_reported(tmp_path):
    path = tmp_path / "m.txt"
    path.write_bytes("Children\u2019s services \u2013 91% on time".encode("cp1252"))
    document = load_document(path)
    assert document.encoding == "cp1252"
    assert "Children\u2019s services \u2013 91%" in document.text


def test_binary_file_gets_a_clear_error(tmp_path):
    path = tmp_path / "m.txt"
    path.write_bytes(b"\x00\x01\x02PK")
    with pytest.raises(InputError, match="binary file"):
        load_document(path)


def test_a_workbook_is_refused_by_its_content_naming_the_file_and_the_fix(tmp_path):
    path = tmp_path / "m.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match=r"m\.xlsx: unsupported file type: an Excel workbook.*save it as \.pdf"):
        load_document(path)


def test_html_keeps_paragraphs_and_bullets(tmp_path):
    path = tmp_path / "m.html"
    path.write_text(
        "<html><head><style>p{}</style></head><body><h2>Performance</h2>"
        "<p>91% of reviews were on time.</p><ul><li>8 approvals</li><li>11 de-registrations</li></ul>"
        "<script>var x = 99;</script></body></html>",
        "utf-8",
    )
    text = load_document(path).text
    assert "91% of reviews were on time." in text and "\u2022 8 approvals" in text
    assert "99" not in text and "p{}" not in text


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("There were 108 fostering families.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Adoptions"
    table.rows[0].cells[1].text = "11"
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "m.docx"
    path.write_bytes(buffer.getvalue())
    text = load_document(path).text
    assert "There were 108 fostering families." in text and "Adoptions | 11" in text


def test_pdf_without_text_layer_says_to_ocr(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(InputError, match="no text layer"):
        load_document(path)


def test_discover_expands_folders_and_skips_other_files(tmp_path):
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.html").write_text("x")
    (tmp_path / "notes.xlsx").write_text("x")
    (tmp_path / ".DS_Store").write_text("x")
    found = discover([tmp_path])
    assert [p.name for p in found.files] == ["a.html", "b.txt"]
    assert [p.name for p in found.skipped] == ["notes.xlsx"]  # listed, not silently dropped; hidden files ignored


def test_discover_rejects_missing_paths(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        discover([tmp_path / "missing"])


LEFT = ["Children in care: 412 at the end of March 2024, a rate of 68 per 10,000.",
        "Care leavers in suitable accommodation: 91% against a target of 90%."]
RIGHT = ["Assessments completed within 45 working days: 87% in Q3 2023/24.",
         "Fostering households approved this year: 14, compared with 11 in 2022/23."]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_pdf_knows_the_page_of_every_offset(tmp_path):
    path = pdf_of_pages(tmp_path / "m.pdf", [["Minutes of the Corporate Parenting Panel."], LEFT, RIGHT])
    document = load_document(path)
    assert len(document.pages) == 3 and document.pages[0] == 0
    for page, sentence in ((2, LEFT[1]), (3, RIGHT[0])):
        offset = _flat(document.text).index(sentence)  # reading order kept
        at = document.text.index(sentence.split(":")[0])
        assert offset >= 0 and document.page_at(at) == page
    assert load_document(_written(tmp_path / "m.txt", "40 children.")).page_at(0) is None


@pytest.mark.parametrize("write", [pdf_of_columns, pdf_of_columns_across])
def test_two_columns_read_one_after_the_other_however_the_page_was_drawn(tmp_path, write):
    columns = _flat(load_document(write(tmp_path / "c.pdf", LEFT, RIGHT)).text)
    for sentence in LEFT + RIGHT:
        assert sentence in columns
    assert columns.index(LEFT[-1]) < columns.index(RIGHT[0])


ROWS = [("Indicator", "Q1", "Q2", "Target"), ("Visits on time", "85%", "88%", "90%"),
        ("Missing episodes", "41", "37", "-"), ("Plans reviewed", "97%", "98%", "95%")]


@pytest.mark.parametrize("layout", [{}, {"height": 4.5, "border": 0}], ids=["bordered", "tight"])
def test_a_table_row_stays_on_one_line_in_order(tmp_path, layout):
    text = load_document(pdf_of_table(tmp_path / "t.pdf", ROWS, **layout)).text
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines == [" | ".join(row) for row in ROWS]  # cells apart as tables.py lays a row out


def test_a_label_and_value_table_keeps_each_pair_together(tmp_path):
    pairs = [("Children in care", "412"), ("Rate per 10,000", "68"), ("Care leavers in EET", "57%")]
    text = load_document(pdf_of_table(tmp_path / "t.pdf", pairs, widths=(80, 30), height=5, border=0)).text
    assert [" ".join(line.split()) for line in text.splitlines() if line.strip()] == [" | ".join(p) for p in pairs]


def test_a_pdf_with_no_text_layer_says_so(tmp_path):
    with pytest.raises(InputError, match=r"scan\.pdf: the PDF has no text layer.*OCR"):
        load_document(pdf_without_text(tmp_path / "scan.pdf"))


def test_an_encrypted_pdf_needs_its_password_and_an_owner_only_lock_is_read(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = pdf_of_pages(tmp_path / "plain.pdf", [LEFT])
    for name, user_password in (("locked.pdf", "secret"), ("owner_only.pdf", "")):
        writer = PdfWriter(clone_from=PdfReader(plain))
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
        with open(tmp_path / name, "wb") as out:
            writer.write(out)
    with pytest.raises(InputError, match=r"locked\.pdf: the PDF is encrypted with a password"):
        load_document(tmp_path / "locked.pdf")
    assert LEFT[0] in _flat(load_document(tmp_path / "owner_only.pdf").text)


def test_a_corrupt_pdf_and_a_mislabelled_docx_fail_naming_the_file(tmp_path):
    with pytest.raises(InputError, match=r"broken\.pdf: unreadable PDF"):
        load_document(_written(tmp_path / "broken.pdf", "%PDF-1.4\n1 0 obj garbage"))
    with pytest.raises(InputError, match=r"notes\.docx: not a valid \.docx file"):
        load_document(_written(tmp_path / "notes.docx", "just some text"))


def test_content_decides_the_format_whatever_the_extension(tmp_path):
    pdf = pdf_of_pages(tmp_path / "real.pdf", [LEFT])
    (tmp_path / "pdf_named.txt").write_bytes(pdf.read_bytes())
    assert LEFT[0] in _flat(load_document(tmp_path / "pdf_named.txt").text)
    html = "<!DOCTYPE html><html><body><nav>Home | Council</nav><p>40 children were in care.</p></body></html>"
    loaded = load_document(_written(tmp_path / "page.txt", html)).text
    assert "40 children were in care." in loaded and "<p>" not in loaded and "Home" not in loaded
    (tmp_path / "utf16.txt").write_bytes("\ufeff40 children \u2013 in care.".encode("utf-16-le"))
    assert load_document(tmp_path / "utf16.txt").text.strip() == "40 children \u2013 in care."
    (tmp_path / "cp1252.txt").write_bytes("Children\u2019s panel: 40 children.".encode("cp1252"))
    assert load_document(tmp_path / "cp1252.txt").text == "Children\u2019s panel: 40 children."
    (tmp_path / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(InputError, match=r"scan\.png: unsupported file type: a PNG image"):
        load_document(tmp_path / "scan.png")


def _written(path, text: str):
    path.write_text(text, "utf-8")
    return path


def test_a_file_named_two_ways_is_read_once(tmp_path, monkeypatch):
    from extractor.documents import discover

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("40 children were in care.", "utf-8")
    (tmp_path / "docs" / "b.csv").write_text("x,y", "utf-8")
    monkeypatch.chdir(tmp_path)
    found = discover(["docs", (tmp_path / "docs" / "a.txt").resolve(), "docs/b.csv"])
    assert found.files == [Path("docs/a.txt"), Path("docs/b.csv")] and found.skipped == []
