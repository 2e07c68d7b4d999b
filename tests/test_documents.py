import io
import zipfile

import pytest

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
