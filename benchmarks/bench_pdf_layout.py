"""Which PDF text extractor keeps minutes readable? Sentences and table rows kept whole, and time.

Pages are written with fpdf2 (a dev dependency): two columns written column by column (as Word
and LibreOffice export them), two columns drawn line by line across the page (as some report
generators do), a bordered scorecard table, a tight one (rows 4.5 mm apart, no borders), and a
label-and-value list. Each extractor available here reads them; 'whole' counts the expected
sentences and table rows found intact once white space is flattened, 'order' whether the
left column is read before the right. Then each reads a 40-page document, for time per page.

kpi-extract's loader is pdfminer.six's layout analysis plus our table rows and column order
(extractor/pdf.py); pypdf (a dev dependency) and pdfplumber are measured when installed.
Run: .venv/bin/python benchmarks/bench_pdf_layout.py
"""

from __future__ import annotations

import io
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF

LEFT = ["Children in care: 412 at the end of March 2024, a rate of 68 per 10,000.",
        "Care leavers in suitable accommodation: 91% against a target of 90%.",
        "Re-referrals within twelve months were 19.5%, down from 22.1% last year."]
RIGHT = ["Assessments completed within 45 working days: 87% in Q3 2023/24.",
         "Fostering households approved this year: 14, compared with 11 in 2022/23.",
         "Child protection plans reviewed on time: 98%, above the national 91%."]
TABLE = [("Indicator", "Q1", "Q2", "Target"), ("Visits on time", "85%", "88%", "90%"),
         ("Missing episodes", "41", "37", "-")]


def _pdf() -> FPDF:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    return pdf


def columns_in_order() -> bytes:
    pdf = _pdf()
    pdf.add_page()
    for x, paragraphs in ((10, LEFT), (110, RIGHT)):
        pdf.set_xy(x, 20)
        for paragraph in paragraphs:
            pdf.set_x(x)
            pdf.multi_cell(90, 5, paragraph)
            pdf.ln(3)
    return bytes(pdf.output())


def columns_across() -> bytes:
    def lines(paragraphs: list[str]) -> list[str]:
        return [line for p in paragraphs for line in [*textwrap.wrap(p, 48), ""]]

    pdf = _pdf()
    pdf.add_page()
    left, right = lines(LEFT), lines(RIGHT)
    for i in range(max(len(left), len(right))):
        for x, column in ((10, left), (110, right)):
            if i < len(column) and column[i]:
                pdf.text(x, 20 + 5 * i, column[i])
    return bytes(pdf.output())


def table() -> bytes:
    pdf = _pdf()
    pdf.add_page()
    for row in TABLE:
        for cell in row:
            pdf.cell(45, 8, cell, border=1)
        pdf.ln(8)
    return bytes(pdf.output())


TIGHT = [*TABLE, ("Plans reviewed", "97%", "98%", "95%")]
PAIRS = [("Children in care", "412"), ("Rate per 10,000", "68"), ("Care leavers in EET", "57%")]


def tight_table() -> bytes:
    pdf = _pdf()
    pdf.add_page()
    for row in TIGHT:
        for cell in row:
            pdf.cell(45, 4.5, cell)
        pdf.ln(4.5)
    return bytes(pdf.output())


def label_and_value() -> bytes:
    pdf = _pdf()
    pdf.add_page()
    for label, value in PAIRS:
        pdf.cell(80, 5, label)
        pdf.cell(30, 5, value)
        pdf.ln(5)
    return bytes(pdf.output())


def long_document(pages: int) -> bytes:
    pdf = _pdf()
    for _ in range(pages):
        pdf.add_page()
        for paragraph in (LEFT + RIGHT) * 3:
            pdf.multi_cell(0, 5, paragraph)
            pdf.ln(2)
    return bytes(pdf.output())


def _pypdf(raw: bytes, **options: str) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text(**options) or "" for page in PdfReader(io.BytesIO(raw)).pages)


def _pdfplumber(raw: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pdfminer(raw: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(raw))


def _ours(raw: bytes) -> str:
    from extractor.pdf import pdf_text as _pdf_text

    return _pdf_text(raw, Path("bench.pdf"))[0]


def extractors() -> dict[str, Callable[[bytes], str] | str]:
    """Each extractor by name, or the reason it is not measured here."""
    found: dict[str, Callable[[bytes], str] | str] = {"kpi-extract": _ours, "pdfminer.six alone": _pdfminer}
    for name, module, function in (("pypdf", "pypdf", _pypdf),
                                   ("pypdf layout mode", "pypdf", lambda raw: _pypdf(raw, extraction_mode="layout")),
                                   ("pdfplumber", "pdfplumber", _pdfplumber)):
        try:
            __import__(module)
            found[name] = function
        except ImportError:
            found[name] = "not installed"
    return found


def whole(text: str, expected: list[str]) -> int:
    """How many expected sentences or rows appear intact, white space flattened."""
    flat = " ".join(text.split())
    return sum(" ".join(item.split()) in flat for item in expected)


def in_order(text: str) -> str:
    """'order' when the whole left column comes before the right one."""
    flat = " ".join(text.split())
    found = [flat.find(sentence) for sentence in (LEFT[-1], RIGHT[0])]
    return "order" if -1 not in found and found[0] < found[1] else "no order"


def main() -> None:
    columns = {"columns in order": columns_in_order(), "columns across": columns_across()}
    tables = {"bordered table": (table(), TABLE), "tight table": (tight_table(), TIGHT),
              "label, value": (label_and_value(), PAIRS)}
    pages = 40
    document = long_document(pages)
    names = [*columns, *tables]
    print(f"{'extractor':19}" + "".join(f"{name:>19}" for name in names) + f"{'ms/page':>9}")
    for name, extract in extractors().items():
        if isinstance(extract, str):
            print(f"{name:19}{extract}")
            continue
        cells = [f"{whole(extract(raw), LEFT + RIGHT)}/6 {in_order(extract(raw))}" for raw in columns.values()]
        cells += [f"{whole(extract(raw), [' '.join(r) for r in rows])}/{len(rows)} rows"
                  for raw, rows in tables.values()]
        started = time.perf_counter()
        extract(document)
        per_page = (time.perf_counter() - started) / pages * 1000
        print(f"{name:19}" + "".join(f"{cell:>19}" for cell in cells) + f"{per_page:9.1f}")


if __name__ == "__main__":
    main()
