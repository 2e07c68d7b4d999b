"""Find the tables of each format and lay them out as tables.py says: HTML <table>, Word tables, PDF rows.

documents.py calls these with a few lines; every format gives the same layout (one line a row, cells
joined by ' | ') and `Table`s with offsets into the document's text.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from typing import Any

from .tables import ROW_BREAK, SEPARATOR, Cell, RawTable, Row, Table, build_table, clean, is_figure, lay_out

_MARKER = "\ue000"
_PLACED = re.compile(rf"{_MARKER}(\d+){_MARKER}")


def _span(tag: Any, name: str) -> int:
    try:
        return max(1, min(int(str(tag.get(name, 1)).strip() or 1), 50))
    except ValueError:
        return 1


def mark_html_tables(soup: Any) -> list[RawTable]:
    """Replace each data table of parsed HTML (two rows and two columns or more, no table inside) with a
    marker, returning the tables in marker order; layout tables are left to the text as before."""
    from bs4 import NavigableString

    found: list[RawTable] = []
    for table in soup.find_all("table"):
        if table.find("table") is not None:
            continue
        caption_tag = table.find("caption")
        caption = clean(caption_tag.get_text(" ")) if caption_tag else None
        rows: list[list[tuple[str, int, int]]] = []
        header: list[bool] = []
        taken: dict[int, int] = {}  # grid column -> rows it is still taken for by a rowspan above
        for tr in table.find_all("tr"):
            cells, column = [], 0
            tags = tr.find_all(["td", "th"], recursive=False)
            for tag in tags:
                while taken.get(column, 0) > 0:
                    column += 1
                span = _span(tag, "colspan")
                cells.append((tag.get_text(" "), column, span))
                for covered in range(column, column + span):
                    taken[covered] = _span(tag, "rowspan")
                column += span
            taken = {c: left - 1 for c, left in taken.items() if left > 1}
            rows.append(cells)
            header.append(bool(tags) and (tr.find_parent("thead") is not None or all(t.name == "th" for t in tags)))
        width = max((c + s for cells in rows for _, c, s in cells), default=0)
        if sum(any(clean(text) for text, _, _ in cells) for cells in rows) < 2 or width < 2:
            continue
        table.replace_with(NavigableString(f"\n\n{_MARKER}{len(found)}{_MARKER}\n\n"))
        found.append(RawTable(rows, header, caption))
    return found


def place_tables(text: str, raws: Sequence[RawTable]) -> tuple[str, tuple[Table, ...]]:
    """The text with each marker replaced by its table's rows (a caption on a line before), and the tables."""
    out: list[str] = []
    tables: list[Table] = []
    length = cursor = 0
    for m in _PLACED.finditer(text):
        before = text[cursor:m.start()]
        out.append(before)
        length += len(before)
        raw = raws[int(m.group(1))]
        if raw.caption:
            out.append(raw.caption + ROW_BREAK)
            length += len(raw.caption) + len(ROW_BREAK)
        laid, table = lay_out(raw, length)
        out.append(laid)
        length += len(laid)
        if table is not None:
            tables.append(table)
        cursor = m.end()
    out.append(text[cursor:])
    return "".join(out), tuple(tables)


def docx_text(document: Any) -> tuple[str, tuple[Table, ...]]:
    """A Word document's paragraphs and tables in the order they are printed, and its tables."""
    from docx.oxml.ns import qn
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph

    parts: list[str] = []
    tables: list[Table] = []
    length = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            part = Paragraph(child, document).text
        elif child.tag == qn("w:tbl"):
            raw = _word_table(WordTable(child, document), qn)
            part, table = lay_out(raw, length + (len(ROW_BREAK) if parts else 0))
            if table is not None:
                tables.append(table)
        else:
            continue
        length += len(part) + (len(ROW_BREAK) if parts else 0)
        parts.append(part)
    return ROW_BREAK.join(parts), tuple(tables)


def _word_table(table: Any, qn: Any) -> RawTable:
    rows: list[list[tuple[str, int, int]]] = []
    header: list[bool] = []
    for row in table.rows:
        cells: list[tuple[str, int, int]] = []
        last = None
        for column, cell in enumerate(row.cells):
            if last is not None and cell._tc is last:  # a merged cell is given once per grid column it covers
                text, start, span = cells[-1]
                cells[-1] = (text, start, span + 1)
                continue
            cells.append((cell.text, column, 1))
            last = cell._tc
        rows.append(cells)
        properties = row._tr.trPr
        header.append(properties is not None and properties.find(qn("w:tblHeader")) is not None)
    return RawTable(rows, header)


PdfRow = tuple[int, list[tuple[float, float, str]]]  # a row's offset in the text, its cells (x0, x1, text)
_FURNITURE_BETWEEN = 3  # short lines (a page number, a footer) a table may run past onto its next page
_OVERLAP_SHARE = 0.25  # a merged header cell covers the columns under this share of its text or more


def pdf_tables(text: str, rows: Sequence[PdfRow], pages: Sequence[int]) -> tuple[Table, ...]:
    """The tables of a PDF's text from its table rows: consecutive rows (across a page break, past a
    page's footer) are one table; columns from the rows with the most cells, other rows' cells placed
    by where they sit (a header over several columns covers the columns under it)."""
    groups: list[list[PdfRow]] = []
    for row in rows:
        if groups and _continues(text, groups[-1], row, pages):
            groups[-1].append(row)
        else:
            groups.append([row])
    tables = []
    for group in groups:
        table = _pdf_table(group)
        if table is not None:
            tables.append(table)
    return tuple(tables)


def _continues(text: str, group: list[PdfRow], row: PdfRow, pages: Sequence[int]) -> bool:
    start, cells = group[-1]
    end = start + len(SEPARATOR.join(c[2] for c in cells))
    between = text[end:row[0]]
    if not between.strip():
        return True
    lines = [line for line in between.splitlines() if line.strip()]
    new_page = any(end < page <= row[0] for page in pages)
    widest = max(len(c) for _, c in group)
    return (new_page and len(lines) <= _FURNITURE_BETWEEN and all(len(line) <= 60 for line in lines)
            and len(row[1]) >= 2 and abs(len(row[1]) - widest) <= max(1, widest // 3))


def _pdf_table(group: list[PdfRow]) -> Table | None:
    widest = max(len(cells) for _, cells in group)
    if len(group) < 2 or widest < 2:
        return None
    full = [cells for _, cells in group if len(cells) == widest]
    centres = [statistics.fmean((c[k][0] + c[k][1]) / 2 for c in full) for k in range(widest)]
    anchors = [min(c[k][0] for c in full) for k in range(widest)]  # where each column's text starts
    placed_rows = []
    for start, cells in group:
        columns = _columns_of(cells, centres, anchors)
        placed, cursor = [], start
        for i, ((_, _, cell_text), (column, span)) in enumerate(zip(cells, columns, strict=True)):
            cursor += len(SEPARATOR) if i else 0
            placed.append(Cell(cell_text, cursor, cursor + len(cell_text), column, span))
            cursor += len(cell_text)
        placed_rows.append(Row(tuple(placed), start, cursor))
    return build_table(placed_rows)


def _columns_of(cells: list[tuple[float, float, str]], centres: list[float],
                anchors: list[float]) -> list[tuple[int, int]]:
    """(first column, span) of each cell of a row: all of them for a full row; else each cell in the
    column nearest it, and in a row printing no figure (a header) over every column it overlaps."""
    widest = len(centres)
    if len(cells) == widest:
        return [(k, 1) for k in range(widest)]
    nearest = [min(range(widest), key=lambda k, m=(x0 + x1) / 2: abs(centres[k] - m)) for x0, x1, _ in cells]
    for i in range(1, len(nearest)):  # two cells never share a column
        nearest[i] = max(nearest[i], nearest[i - 1] + 1)
    if any(is_figure(text) for _, _, text in cells) or nearest[-1] >= widest:
        return [(min(k, widest - 1), 1) for k in nearest]
    out = []
    for (x0, x1, _), home in zip(cells, nearest, strict=True):
        regions = [(anchors[k], anchors[k + 1] if k + 1 < widest else float("inf")) for k in range(widest)]
        owned = [k for k, (left, right) in enumerate(regions)
                 if min(x1, right) - max(x0, left) >= _OVERLAP_SHARE * max(x1 - x0, 1.0)]
        owned = owned if owned and owned[0] <= home <= owned[-1] else [home]
        out.append((owned[0], owned[-1] - owned[0] + 1))
    for i in range(1, len(out)):
        if out[i][0] < out[i - 1][0] + out[i - 1][1]:
            first = out[i - 1][0] + out[i - 1][1]
            out[i] = (first, max(1, out[i][0] + out[i][1] - first))
    return out


def wrapped_into(cells: list[tuple[float, float, str]], x0: float, x1: float,
                 text: str) -> list[tuple[float, float, str]]:
    """A PDF row's cells with a wrapped line of one of them added to the cell it sits under."""
    at = max(range(len(cells)), key=lambda i: (min(x1, cells[i][1]) - max(x0, cells[i][0]), -abs(cells[i][0] - x0)))
    left, right, before = cells[at]
    cells[at] = (min(left, x0), max(right, x1), f"{before} {text}")
    return cells
