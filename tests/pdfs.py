"""Small PDFs the tests write themselves (fpdf2): pages of text, two columns, a table, or no text."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fpdf import FPDF


def _latin1(text: str) -> str:
    """The core PDF fonts hold Latin-1 only: typographic quotes and dashes become their plain forms."""
    plain = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                                          "\u2013": "-", "\u2014": "-", "\u2022": "-", "\u00a0": " "}))
    return plain.encode("latin-1", "replace").decode("latin-1")


def pdf_of_pages(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with one page per list of paragraphs."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for paragraphs in pages:
        pdf.add_page()
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5, _latin1(paragraph))
            pdf.ln(3)
    pdf.output(str(path))
    return path


def pdf_of_columns(path: Path, left: list[str], right: list[str]) -> Path:
    """One page of two columns of paragraphs, each written column by column."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for x, paragraphs in ((10, left), (110, right)):
        pdf.set_xy(x, 20)
        for paragraph in paragraphs:
            pdf.set_x(x)
            pdf.multi_cell(90, 5, _latin1(paragraph))
            pdf.ln(3)
    pdf.output(str(path))
    return path


def pdf_of_columns_across(path: Path, left: list[str], right: list[str]) -> Path:
    """One page of two columns drawn line by line across the page (left line, right line, next)."""
    def lines(paragraphs: list[str]) -> list[str]:
        return [line for paragraph in paragraphs for line in [*textwrap.wrap(_latin1(paragraph), 48), ""]]

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    left_lines, right_lines = lines(left), lines(right)
    for row in range(max(len(left_lines), len(right_lines))):
        for x, column in ((10, left_lines), (110, right_lines)):
            if row < len(column) and column[row]:
                pdf.text(x, 20 + 5 * row, column[row])
    pdf.output(str(path))
    return path


def pdf_of_table(path: Path, rows: list[tuple[str, ...]], *, widths: tuple[float, ...] = (), height: float = 8,
                 border: int = 1) -> Path:
    """One page holding a table (bordered and spaced by default; height 4.5 and no border packs it tight)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for row in rows:
        for column, cell in enumerate(row):
            pdf.cell(widths[column] if widths else 45, height, _latin1(cell), border=border)
        pdf.ln(height)
    pdf.output(str(path))
    return path


def pdf_without_text(path: Path) -> Path:
    """A page with a drawing and no text layer, as a scan has."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path
