"""Scorecards the tests (and eval/scorecards/build.py) write themselves: HTML, Word and PDF tables.

A table is given as header rows and body rows of cells; a header cell may be ('2023/24', 2), a cell
spanning two columns (a period named once above several columns).
"""

from __future__ import annotations

import html
from pathlib import Path

from fpdf import FPDF

Cell = str | tuple[str, int]


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell[0]


def _span(cell: Cell) -> int:
    return 1 if isinstance(cell, str) else cell[1]


def html_page(before: list[str], header: list[list[Cell]], body: list[list[str]], after: list[str] = (),
              caption: str | None = None, moderngov: bool = True) -> str:
    """A page as ModernGov publishes an item: navigation and footer chrome, paragraphs, the table."""
    def th(c: Cell) -> str:
        span = f' colspan="{_span(c)}"' if _span(c) > 1 else ""
        return f"<th{span}>{html.escape(_text(c))}</th>"

    head = "".join("<tr>" + "".join(th(c) for c in row) + "</tr>" for row in header)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body)
    table = (f'<table class="mgTable">{f"<caption>{html.escape(caption)}</caption>" if caption else ""}'
             f"<thead>{head}</thead><tbody>{rows}</tbody></table>")
    chrome = ('<nav id="mgNav"><ul><li><a href="/">Home</a></li><li><a href="/mgListCommittees.aspx">Committees</a>'
              '</li></ul></nav>') if moderngov else ""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in before)
    closing = "".join(f"<p>{html.escape(p)}</p>" for p in after)
    footer = '<footer><p>Contact: Democratic Services, Tel: 01234 567890</p></footer>' if moderngov else ""
    return (f"<!DOCTYPE html><html><head><title>Issue - items at meetings</title></head><body>{chrome}"
            f'<div id="modgov"><div class="mgContent">{paragraphs}{table}{closing}</div></div>{footer}</body></html>')


def write_docx(path: Path, before: list[str], header: list[list[Cell]], body: list[list[str]],
               after: list[str] = ()) -> Path:
    """A Word report: paragraphs, then the table (merged header cells merged, header rows marked to repeat)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for paragraph in before:
        document.add_paragraph(paragraph)
    width = max(sum(_span(c) for c in row) for row in [*header, *body])
    table = document.add_table(rows=len(header) + len(body), cols=width)
    for r, row in enumerate(header):
        column = 0
        for cell in row:
            target = table.cell(r, column)
            if _span(cell) > 1:
                target = target.merge(table.cell(r, column + _span(cell) - 1))
            target.text = _text(cell)
            column += _span(cell)
        properties = table.rows[r]._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:tblHeader"))
        assert properties.find(qn("w:tblHeader")) is not None
    for r, row in enumerate(body, start=len(header)):
        for column, cell in enumerate(row):
            table.cell(r, column).text = cell
    for paragraph in after:
        document.add_paragraph(paragraph)
    document.save(str(path))
    return path


def _latin1(text: str) -> str:
    plain = text.translate(str.maketrans({"\u2019": "'", "\u2013": "-", "\u2014": "-", "\u00a0": " "}))
    return plain.encode("latin-1", "replace").decode("latin-1")


def write_pdf(path: Path, before: list[str], header: list[list[Cell]], pages: list[list[list[str]]],
              widths: list[float], after: list[str] = (), repeat_header: bool = False,
              footer: bool = True) -> Path:
    """A PDF performance report: paragraphs, then a bordered table whose body runs over len(pages) pages
    (the header repeated on each when repeat_header), 'Page n of m' at each page's foot."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=8)

    def draw_header() -> None:
        for row in header:
            x = pdf.l_margin
            for cell in row:
                span = _span(cell)
                start = _index(x)
                w = sum(widths[start:start + span])
                pdf.set_x(x)
                pdf.cell(w, 7, _latin1(_text(cell)), border=1, align="C" if span > 1 else "L")
                x += w
            pdf.ln(7)

    def _index(x: float) -> int:
        total, i = pdf.l_margin, 0
        while i < len(widths) and total + 0.01 < x:
            total += widths[i]
            i += 1
        return i

    for number, rows in enumerate(pages, start=1):
        pdf.add_page()
        if number == 1:
            for paragraph in before:
                pdf.multi_cell(0, 5, _latin1(paragraph))
                pdf.ln(2)
        if number == 1 or repeat_header:
            draw_header()
        for row in rows:
            for i, cell in enumerate(row):
                pdf.cell(widths[i], 7, _latin1(cell), border=1)
            pdf.ln(7)
        if number == len(pages):
            pdf.ln(3)
            for paragraph in after:
                pdf.multi_cell(0, 5, _latin1(paragraph))
                pdf.ln(2)
        if footer:
            pdf.set_xy(pdf.l_margin, 280)
            pdf.cell(0, 5, f"Page {number} of {len(pages)}")
    pdf.output(str(path))
    return path
