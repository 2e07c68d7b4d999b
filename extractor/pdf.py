"""A PDF's text: pdfminer.six's layout analysis, our table rows and reading order, page starts kept;
glyphs without a Unicode mapping marked for the glyph rule (glyphs.py); pages without a text layer read
by OCR (ocr.py) when asked and possible."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from . import ocr as _ocr
from .errors import InputError, fix_hint
from .glyphs import read_glyphs
from .table_formats import pdf_tables, wrapped_into
from .tables import SEPARATOR, Table, clean

# A text box narrower than this share of the page, beside another at the same height, is a table
# column (a label and its value), not a column of running text.
_NARROW_COLUMN = 0.25
_SAME_HEIGHT = 0.4  # lines whose middles are within this share of a line's height sit side by side
# A page with fewer printed characters than this that holds an image is a scan (a scanner or a
# committee system may stamp a page number or a reference on it): it is read by OCR.
_SCAN_CHARS = 20
UNDECODABLE = "\ufffd"  # what a glyph without a Unicode mapping reads as (pdfminer says '(cid:N)')


class PdfText(NamedTuple):
    """A PDF's text, where each page starts in it, and the pages (1-based) read by OCR."""

    text: str
    pages: tuple[int, ...]
    ocr_pages: tuple[int, ...]
    tables: tuple[Table, ...] = ()  # table rows found by the layout analysis, with their structure (tables.py)


def _layouts(raw: bytes) -> Iterator[Any]:
    """pdfminer.six's layout of each page (high_level.extract_pages, with undecodable glyphs marked)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class _Marking(PDFPageAggregator):
        def handle_undefined_char(self, font: Any, cid: int) -> str:
            return UNDECODABLE

    resources = PDFResourceManager(caching=True)
    device = _Marking(resources, laparams=LAParams(all_texts=True))
    interpreter = PDFPageInterpreter(resources, device)
    for page in PDFPage.get_pages(io.BytesIO(raw), caching=True):
        interpreter.process_page(page)
        yield device.get_result()


def pdf_text(raw: bytes, path: Path, *, ocr: str = "auto") -> PdfText:
    """A PDF's text, page by page, and the offset where each page starts.

    pdfminer.six's layout analysis finds the text boxes, so two columns read one after the other
    however the page was drawn; lines of boxes side by side at one height (three or more, or beside a
    narrow one) are table rows and are joined left to right, so a row's label and figures stay on one
    line, cells joined as tables.py lays them out. Measured against pypdf and pdfplumber in
    benchmarks/bench_pdf_layout.py.

    A page without a text layer (an image and fewer than 20 characters) is read by OCR when ocr is
    'auto' and an engine is installed; every page is with 'always'; none with 'never'."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException

    try:
        pages, scanned = [], []
        for number, layout in enumerate(_layouts(raw)):
            pages.append(_page_text(layout))
            if len("".join(pages[-1][0].split())) < _SCAN_CHARS and _has_image(layout):
                scanned.append(number)
    except PDFPasswordIncorrect as exc:
        raise InputError(fix_hint(f"{path}: the PDF is encrypted with a password",
                                  "open it with the password and save an unprotected copy")) from exc
    except PDFEncryptionError as exc:
        raise InputError(fix_hint(f"{path}: the PDF's encryption cannot be read ({exc})",
                                  "save an unprotected copy")) from exc
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError) as exc:
        raise InputError(fix_hint(f"{path}: unreadable PDF ({exc or type(exc).__name__})",
                                  "re-export it or save as .txt")) from exc
    wanted = range(len(pages)) if ocr == "always" else scanned if ocr == "auto" else []
    read = _ocr.read_pages(raw, wanted) if wanted and (ocr == "always" or _ocr.engine_problem() is None) else {}
    for number, text in read.items():
        pages[number] = (text, [])  # OCR's text has no table rows of ours
    starts, offset, rows = [], 0, []
    for page, page_rows in pages:
        starts.append(offset)
        rows += [(offset + at, cells) for at, cells in page_rows]
        offset += len(page) + 2
    text = "\n\n".join(page for page, _ in pages)
    if not text.strip():
        raise _ocr.no_text_layer(path, ocr, read=bool(read))
    return PdfText(text, tuple(starts), tuple(sorted(number + 1 for number, text in read.items() if text.strip())),
                   pdf_tables(text, rows, starts))


def _has_image(container: Any) -> bool:
    """Whether a page (or figure) holds an image."""
    from pdfminer.layout import LTFigure, LTImage

    return any(isinstance(item, LTImage) or (isinstance(item, LTFigure) and _has_image(item)) for item in container)


def _text_boxes(container: Any) -> Iterator[Any]:
    """The horizontal text boxes of a page, those inside figures too."""
    from pdfminer.layout import LTFigure, LTTextBoxHorizontal

    for item in container:
        if isinstance(item, LTTextBoxHorizontal) and item.get_text().strip():
            yield item
        elif isinstance(item, LTFigure):
            yield from _text_boxes(item)


def _cell(text: str) -> str:
    """A table cell's text as the table keeps it (the glyph rule applied here, so its row reads the same in
    the document's text)."""
    return read_glyphs(clean(text))[0]


def _page_text(page: Any) -> tuple[str, list[tuple[int, list[tuple[float, float, str]]]]]:
    """One page's text: boxes in reading order, table rows joined across their columns; and each table
    row's offset in it with its cells (x0, x1, text)."""
    from pdfminer.layout import LTTextLineHorizontal

    boxes = list(_text_boxes(page))
    lines = [(index, line) for index, box in enumerate(boxes) for line in box
             if isinstance(line, LTTextLineHorizontal) and line.get_text().strip()]
    rows: list[tuple[float, list[tuple[int, Any]]]] = []  # lines of different boxes side by side
    for index, line in sorted(lines, key=lambda found: (-(found[1].y0 + found[1].y1) / 2, found[1].x0)):
        middle = (line.y0 + line.y1) / 2
        for row_middle, members in rows:
            if abs(row_middle - middle) < _SAME_HEIGHT * line.height and all(
                    index != other and (line.x0 >= cell.x1 or line.x1 <= cell.x0) for other, cell in members):
                members.append((index, line))
                break
        else:
            rows.append((middle, [(index, line)]))
    tabular = set()
    for _, members in rows:
        if len(members) >= 3 or (len(members) == 2 and
                                 min(boxes[i].width for i, _ in members) < _NARROW_COLUMN * page.width):
            tabular.update(index for index, _ in members)
    units = [_Unit(box.x0, box.y0, box.x1, box.y1, box.get_text().strip())
             for index, box in enumerate(boxes) if index not in tabular]
    last_row: dict[int, int] = {}  # a tabular box -> the unit of the latest row it is in
    for _, members in rows:  # top to bottom
        cells = sorted(((index, line) for index, line in members if index in tabular), key=lambda m: m[1].x0)
        if not cells:
            continue
        if len(cells) == 1 and cells[0][0] in last_row:  # a wrapped line of a cell or bullet: its row goes on
            at, line = last_row[cells[0][0]], cells[0][1]
            unit = units[at]
            row_cells = wrapped_into(list(unit.cells), line.x0, line.x1, _cell(line.get_text()))
            units[at] = _Unit(min(unit.x0, line.x0), min(unit.y0, line.y0), max(unit.x1, line.x1), unit.y1,
                              SEPARATOR.join(c[2] for c in row_cells), tuple(row_cells))
            continue
        row_cells = [(c.x0, c.x1, _cell(c.get_text())) for _, c in cells]
        units.append(_Unit(min(c.x0 for _, c in cells), min(c.y0 for _, c in cells), max(c.x1 for _, c in cells),
                           max(c.y1 for _, c in cells), SEPARATOR.join(c[2] for c in row_cells), tuple(row_cells)))
        last_row.update((index, len(units) - 1) for index, _ in cells)
    ordered, rows, offset = _reading_order(units), [], 0
    for unit in ordered:
        if unit.cells:
            rows.append((offset, list(unit.cells)))
        offset += len(unit.text) + 2
    return "\n\n".join(unit.text for unit in ordered), rows


class _Unit(NamedTuple):
    """A block of a page's text (a box, or a table row) and its bounding box (PDF points, y upwards)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    cells: tuple[tuple[float, float, str], ...] = ()  # a table row's cells (x0, x1, text), left to right


_GUTTER = 4.0  # points of clear space between two columns


def _split(units: list[_Unit], low: Callable[[_Unit], float], high: Callable[[_Unit], float],
           reverse: bool) -> list[list[_Unit]]:
    """Units in groups separated by clear space along one axis (left to right, or top to bottom)."""
    groups: list[list[_Unit]] = []
    edge = 0.0
    for unit in sorted(units, key=high if reverse else low, reverse=reverse):
        start, end = (high(unit), low(unit)) if reverse else (low(unit), high(unit))
        if groups and ((start < edge - _GUTTER) if reverse else (start > edge + _GUTTER)):
            groups.append([unit])
            edge = end
        elif groups:
            groups[-1].append(unit)
            edge = min(edge, end) if reverse else max(edge, end)
        else:
            groups.append([unit])
            edge = end
    return groups


def _columns(units: list[_Unit]) -> list[list[_Unit]]:
    return _split(units, lambda u: u.x0, lambda u: u.x1, reverse=False)


def _reading_order(units: list[_Unit]) -> list[_Unit]:
    """Top to bottom in bands; where consecutive bands share columns (a gutter no text crosses), the
    columns read one after the other, each top to bottom (so paragraphs that happen to line up
    across two columns are not read across)."""
    bands = _split(units, lambda u: u.y0, lambda u: u.y1, reverse=True)
    regions: list[list[_Unit]] = []
    for band in bands:
        if regions and len(_columns(band)) > 1 and len(_columns(regions[-1])) > 1 \
                and len(_columns(regions[-1] + band)) > 1:
            regions[-1] = regions[-1] + band
        else:
            regions.append(band)
    ordered: list[_Unit] = []
    for region in regions:
        for column in _columns(region) if len(region) > 1 else [region]:
            ordered.extend(sorted(column, key=lambda u: (-u.y1, u.x0)))
    return ordered
