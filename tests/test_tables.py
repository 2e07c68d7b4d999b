"""Tables keep their structure in every format: rows as lines, cells with offsets, header rows, column roles."""

from __future__ import annotations

import docx
from openai_stub import StubServer
from scorecards import html_page, write_docx, write_pdf

from extractor.backends.model import LLMSettings
from extractor.chunking import chunk_document
from extractor.documents import load_document
from extractor.pipeline import extract
from extractor.tables import SEPARATOR, Table

ISSUE_HEADER = [["Measure", "Q1", "Q2", "Target", "England"]]
ISSUE_ROWS = [["Children looked after", "412", "398", "400", "-"],
              ["Initial health assessments within 20 working days", "72%", "78%*", "85%", "n/a"],
              ["Care leavers in education, employment or training", "55%", "57%", "60%", "55%"]]
MERGED = [["", ("2022/23", 2), ("2023/24", 2), "", ""], ["Measure", "Q3", "Q4", "Q1", "Q2", "Target", "England"]]
MERGED_ROWS = [["Children looked after", "401", "405", "412", "398", "400", "-"],
               ["Care leavers in EET", "51%", "53%", "", "57%*", "60%", "55%"],
               ["Missing episodes", "41", "37", "30", "n/a", "-", "-"]]
WIDTHS = [70, 16, 16, 16, 16, 16, 18]


def _one_table(path) -> tuple[str, Table]:
    document = load_document(path)
    assert len(document.tables) == 1
    return document.text, document.tables[0]


def _cells_hold_their_text(text: str, table: Table) -> None:
    for row in table.rows:
        assert "\n" not in text[row.start:row.end]  # one line a row
        assert text[row.start:row.end] == SEPARATOR.join(cell.text for cell in row.cells)
        for cell in row.cells:
            assert text[cell.start:cell.end] == cell.text


def _roles(table: Table) -> list[tuple[str, str | None]]:
    return [(c.role, c.when.canonical if c.when else None) for c in table.columns]


def test_an_html_table_is_one_line_a_row_with_its_header_and_roles(tmp_path):
    path = tmp_path / "s.html"
    path.write_text(html_page(["Corporate Parenting Panel"], ISSUE_HEADER, ISSUE_ROWS), "utf-8")
    text, table = _one_table(path)
    _cells_hold_their_text(text, table)
    assert [row.header for row in table.rows] == [True, False, False, False]
    assert [c.role for c in table.columns] == ["label", "period", "period", "target", "national"]
    assert [c.when.part for c in table.columns[1:3]] == [1, 2]  # 'Q1', 'Q2': the year is the report's
    assert "Children looked after | 412 | 398 | 400 | -" in text.splitlines()
    assert "Home" not in text and "Contact:" not in text  # ModernGov chrome stays out


def test_a_period_named_once_above_its_columns_names_each_of_them_in_every_format(tmp_path):
    (tmp_path / "m.html").write_text(html_page([], MERGED, MERGED_ROWS), "utf-8")
    write_docx(tmp_path / "m.docx", ["Quarterly report"], MERGED, MERGED_ROWS)
    write_pdf(tmp_path / "m.pdf", ["Quarterly report"], MERGED, [MERGED_ROWS], WIDTHS)
    for name in ("m.html", "m.docx", "m.pdf"):
        text, table = _one_table(tmp_path / name)
        _cells_hold_their_text(text, table)
        assert _roles(table) == [("label", None), ("period", "2022/23 Q3"), ("period", "2022/23 Q4"),
                                 ("period", "2023/24 Q1"), ("period", "2023/24 Q2"), ("target", None),
                                 ("national", None)], name
        assert [row.header for row in table.rows] == [True, True, False, False, False], name
        eet = table.rows[3]
        assert eet.at(4).text == "57%*" and (eet.at(3) is None or eet.at(3).text == ""), name


def test_a_word_documents_tables_stay_where_they_are_printed(tmp_path):
    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Measure", "Q2 2023/24"), ("Adoptions", "11")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("After the table.")
    document.save(str(tmp_path / "w.docx"))
    text, found = _one_table(tmp_path / "w.docx")
    assert text == "Before the table.\n\nMeasure | Q2 2023/24\n\nAdoptions | 11\n\nAfter the table."
    _cells_hold_their_text(text, found)


def test_a_pdf_table_over_two_pages_is_one_table_its_repeated_header_a_header(tmp_path):
    rows = [[f"Measure number {n}", f"{n}", f"{n + 1}", f"{n + 2}", "-", "-", "Up"] for n in range(1, 9)]
    header = [["Indicator", "2021/22", "2022/23", "Q3 2023/24", "Target", "Region", "DoT"]]
    path = write_pdf(tmp_path / "two.pdf", ["Performance report"], header, [rows[:4], rows[4:]],
                     [60, 18, 18, 22, 16, 16, 18], repeat_header=True)
    document = load_document(path)
    assert len(document.tables) == 1
    table = document.tables[0]
    _cells_hold_their_text(document.text, table)
    assert len(table.body) == 8 and sum(row.header for row in table.rows) == 2
    assert document.page_at(table.body[0].start) == 1 and document.page_at(table.body[-1].start) == 2
    assert "Page 1 of 2" in document.text[table.start:table.end]  # the footer between is no row
    assert [c.role for c in table.columns] == ["label", "period", "period", "period", "target", "regional",
                                               "direction"]


def test_months_newest_first_a_rag_column_and_a_units_column_are_named(tmp_path):
    header = [["Ref", "Indicator", "Unit", "Sep-23", "Aug-23", "Jul-23", "Stat neighbours", "RAG"]]
    rows = [["C1", "Contacts received", "No.", "1,204", "1,188", "1,251", "-", "Green"],
            ["C2", "Re-referrals within 12 months", "%", "21.4", "19.8", "22.0", "20.1", "Red"]]
    (tmp_path / "m.html").write_text(html_page([], header, rows), "utf-8")
    _, table = _one_table(tmp_path / "m.html")
    assert _roles(table) == [("other", None), ("label", None), ("unit", None), ("period", "2023-09"),
                             ("period", "2023-08"), ("period", "2023-07"), ("statistical_neighbours", None),
                             ("rag", None)]


def test_a_layout_table_around_the_minutes_is_left_to_the_text(tmp_path):
    (tmp_path / "l.html").write_text("<html><body><table><tr><td><table><tr><td>Adoptions</td><td>11</td></tr>"
                                     "<tr><td>Visits</td><td>90%</td></tr></table></td></tr></table>"
                                     "<table><tr><td>Just one cell</td></tr></table></body></html>", "utf-8")
    document = load_document(tmp_path / "l.html")
    assert len(document.tables) == 1 and "Just one cell" in document.text  # the inner table only


def test_a_model_is_sent_a_tables_rows_with_its_header_again_in_every_chunk(tmp_path):
    rows = [[f"Measure number {n} of the children's services scorecard", f"{n}%", f"{n + 1}%", "90%"]
            for n in range(1, 41)]
    path = tmp_path / "long.html"
    path.write_text(html_page(["Performance, Quarter 2 2023/24"], [["Measure", "Q1", "Q2", "Target"]], rows), "utf-8")
    chunks = chunk_document(load_document(path), token_budget=300)
    assert len(chunks) > 2
    assert all(chunk.parts[0].startswith("Measure | Q1 | Q2 | Target\n\n") for chunk in chunks[1:])
    assert all(chunk.text.count("Measure | Q1 | Q2 | Target") == 1 for chunk in chunks)
    with StubServer() as stub:
        result = extract(path, backend="openai", options=LLMSettings(base_url=stub.base_url, chunk_tokens=300))
        sent = [r["messages"][-1]["content"] for r in stub.requests]
    second = [message for message in sent if "Measure number 30 " in message]
    assert second and "Measure | Q1 | Q2 | Target" in second[0] and "Measure number 1 " not in second[0]
    assert len(result.records) >= 30


def test_tables_move_with_their_rows_when_the_glyph_rule_changes_the_text_before_them(tmp_path):
    from extractor.documents import load_document
    from extractor.tables import shifted

    page = tmp_path / "card.html"
    page.write_text("<p>\uf0b7 Members noted the scorecard.</p><table><tr><th>Measure</th><th>Q1</th><th>Q2</th></tr>"
                    "<tr><td>Children looked after</td><td>410</td><td>412</td></tr></table>", "utf-8")
    document = load_document(page)
    [table] = document.tables
    for row in table.rows:
        assert all(document.text[c.start:c.end] == c.text for c in row.cells)
    longer = "(cid:127)(cid:127) " + document.text  # what a PDF's undecodable glyphs read as before the rule
    [moved] = shifted((table,), document.text, longer)
    assert all(longer[c.start:c.end] == c.text for row in moved.rows for c in row.cells)
    changed = document.text.replace("410", "41O")
    assert shifted((table,), document.text, changed) == ()  # a row that changed: read as prose instead
