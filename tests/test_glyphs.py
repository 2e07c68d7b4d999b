"""Issue 21 (3): no undecodable glyph reaches the text; the same minutes in every format give the same records."""

import io

import pytest
from pdfs import pdf_with_symbol_bullets

from extractor.documents import load_document
from extractor.glyphs import read_glyphs
from extractor.pipeline import extract

# Invented minutes: a heading, an introduction and eight bullets (each fits on one PDF line).
HEADING = "Corporate Parenting Panel - 14 March 2024"
INTRO = "Performance report for the quarter to December 2023."
BULLETS = [
    "There were 412 children in care at the end of December.",
    "91% of reviews of children in care were held on time.",
    "68 care leavers were in education, employment or training.",
    "The service approved 14 new foster carers during the quarter.",
    "27 children were adopted in the year to date, against a target of 30.",
    "83% of care leavers had a pathway plan that was up to date.",
    "Caseloads averaged 17 children per social worker.",
    "9 children went missing from care during the quarter.",
]


def _text(bullet: str) -> str:
    return "\n\n".join([HEADING, INTRO, "\n".join(f"{bullet} {line}" for line in BULLETS)]) + "\n"


def _docx(path):
    import docx

    document = docx.Document()
    for paragraph in (HEADING, INTRO):
        document.add_paragraph(paragraph)
    for line in BULLETS:
        document.add_paragraph("\uf0b7\t" + line)  # Word's Symbol bullet, typed into the text
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _records(path):
    return sorted(((r.value, r.unit, r.period, tuple((c.basis, c.value) for c in r.comparisons))
                   for r in extract(path).records), key=str)


def test_the_same_minutes_give_the_same_records_in_every_format(tmp_path):
    html = "<html><body>" + f"<h2>{HEADING}</h2><p>{INTRO}</p><ul>" + "".join(f"<li>{b}</li>" for b in BULLETS)
    (tmp_path / "m.html").write_text(html + "</ul></body></html>", "utf-8")
    (tmp_path / "m.txt").write_text(_text("\u2022"), "utf-8")
    (tmp_path / "cid.txt").write_text(_text("(cid:127)"), "utf-8")  # text another tool took from a PDF
    (tmp_path / "f0b7.txt").write_text(_text("\uf0b7"), "utf-8")
    paragraphs = [HEADING, INTRO, *(f"\u2022 {line}" for line in BULLETS)]
    files = {
        "txt": tmp_path / "m.txt", "html": tmp_path / "m.html", "docx": _docx(tmp_path / "m.docx"),
        "txt (cid:127)": tmp_path / "cid.txt", "txt U+F0B7": tmp_path / "f0b7.txt",
        "pdf, unmapped symbol bullets": pdf_with_symbol_bullets(tmp_path / "cid.pdf", paragraphs),
        "pdf, U+F0B7 bullets": pdf_with_symbol_bullets(tmp_path / "f0b7.pdf", paragraphs, to_unicode="\uf0b7"),
    }
    expected = _records(files["txt"])
    assert len(expected) >= 7 and 127 not in [value for value, *_ in expected]
    for name, path in files.items():
        assert _records(path) == expected, name


def test_a_pdf_glyph_without_unicode_is_a_bullet_where_one_stands_and_dropped_elsewhere(tmp_path):
    paragraphs = ["Corporate Parenting Panel \ufffd 14 March 2024", *(f"\u2022 {line}" for line in BULLETS[:3])]
    document = load_document(pdf_with_symbol_bullets(tmp_path / "m.pdf", paragraphs))
    assert "(cid:" not in document.text and "\ufffd" not in document.text
    assert [line.split()[0] for line in document.text.split("\n\n")[1:]] == ["\u2022"] * 3
    assert " ".join(document.text.split("\n\n")[0].split()) == "Corporate Parenting Panel 14 March 2024"
    assert document.glyphs == 4 and document.pages == (0,)


@pytest.mark.parametrize(("text", "read", "count"), [
    ("(cid:127) 12 adoptions.\n(cid:127) 8 approvals", "\u2022 12 adoptions.\n\u2022 8 approvals", 2),
    ("on time. (cid:127) There were 12.", "on time. \u2022 There were 12.", 1),
    ("on time.\ufffdThere were 12.", "on time. \u2022 There were 12.", 1),
    ("  \uf0a7 Wingdings square.", "  \u2022 Wingdings square.", 1),
    ("\uf0b7\t91% on time", "\u2022 91% on time", 1),
    ("signi(cid:2)cant 5", "signicant 5", 1),  # inside a word: dropped
    ("seen (cid:3) within", "seen within", 1),
    ("target: \uf0b3 90%", "target: \u2265 90%", 1),  # Symbol's >= where a bullet could stand stays a sign
    ("e\ufb03cient \ufb01ve", "efficient five", 0),  # ligatures are letters, not guessed glyphs
    ("plain text, 12 of 13", "plain text, 12 of 13", 0),
])
def test_the_glyph_rule(text, read, count):
    assert read_glyphs(text) == (read, count)


def test_the_glyph_count_is_stored_and_shown(tmp_path):
    from click.testing import CliRunner

    from extractor.cli import cli

    paragraphs = [HEADING, INTRO, *(f"\u2022 {line}" for line in BULLETS)]
    pdf = pdf_with_symbol_bullets(tmp_path / "m.pdf", paragraphs)
    db = tmp_path / "k.db"
    assert CliRunner().invoke(cli, ["run", str(pdf), "--db", str(db), "--backend", "rules", "-q"]).exit_code == 0
    shown = CliRunner().invoke(cli, ["show", "m.pdf", "--db", str(db)], terminal_width=200)
    assert "8 glyph(s) without a Unicode mapping" in shown.output
