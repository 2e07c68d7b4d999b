"""Tables as tables: rows and cells with their offsets in the document text, and what each column holds.

Every format lays a table out the same way: one line of the text per row, its cells in order joined
by ' | ', rows apart by a blank line (so passages.py reads each row as a block of its own, and a
record's evidence is the row as the text reads it). A `Table` keeps the structure beside the text:
which rows are headers, which grid columns each cell covers (a merged cell covers several), and a
`Column` for each grid column naming its role (the row label, a period, a target, a benchmark, a RAG
rating, a direction, a unit) read from its header cells, top to bottom, and its body cells.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from .periods import PeriodMention, find_periods

SEPARATOR = " | "
ROW_BREAK = "\n\n"

# A figure as a scorecard cell prints it: '72%', '1,234', '68.2', '72%*', '£1.2', '72% (18/25)', '<5'.
_MARK = r"(?:[*\u2020\u2021\u00a7\u00b9\u00b2\u00b3\u2070-\u2079^]|\([a-z]\)|\[[a-z0-9]\])"
FIGURE = re.compile(
    rf"^\s*(?P<qualifier>[<>\u2264\u2265~]|c\.)?\s*(?P<gbp>\u00a3)?\s*(?P<number>[-+\u2212]?\d[\d,]*(?:\.\d+)?)\s*"
    rf"(?P<unit>%|pp|days?|weeks?|months?|hours?|hrs?|per\s+10,?000)?\s*{_MARK}*\s*"
    rf"(?:\(\s*(?P<numerator>\d[\d,]*)\s*(?:/|of|out\s+of)\s*(?P<denominator>\d[\d,]*)\s*\))?\s*{_MARK}*\s*$",
    re.I)
_BARE_YEAR = re.compile(r"^\s*(?:19|20)\d\d\s*$")
BLANK = re.compile(r"^\s*(?:|-+|\u2013|\u2014|n/?a|n\.a\.|nil return|tbc|tba|not\s+(?:yet\s+)?available|"
                   r"no\s+data|data\s+not\s+available|\*+|\.+)\s*$", re.I)
_RAG_CELL = re.compile(r"^\s*(?:red|amber|green|r|a|g|blue|grey|on\s+target|off\s+target|on\s+track|off\s+track)\s*$",
                       re.I)
_ARROWS = "\u2191\u2193\u2192\u2190\u2194\u2197\u2198\u25b2\u25bc\u25b6\u25ba\u21d1\u21d3\u21e7\u21e9"
_DIRECTION_CELL = re.compile(
    rf"^\s*(?:[{_ARROWS}=]+|up|down|same|stable|static|no\s+change|unchanged|increas\w*|decreas\w*|improv\w*|"
    rf"worse\w*|better|declin\w*|higher|lower|rising|falling|deteriorat\w*)\s*(?:[{_ARROWS}])?\s*$", re.I)

# Header words, checked in this order (a 'Target 2023/24' column is a target, 'England 2022/23' a benchmark).
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("rag", re.compile(r"\brag\b|\brating\b|^\s*status\s*$|\bred[/ ,]+amber\b", re.I)),
    ("direction", re.compile(r"direction|\bdot\b|\btravel\b|^\s*trend\s*$", re.I)),
    ("polarity", re.compile(r"polarity|good\s+is|better\s+is|higher\s+is|lower\s+is|good\s+performance", re.I)),
    ("unit", re.compile(r"^\s*(?:units?|unit\s+of\s+measure|measure\s+type|type|format)\s*$", re.I)),
    ("target", re.compile(r"\btarget|\bgoal\b|\bambition\b", re.I)),
    ("national", re.compile(r"\bengland\b|\bnational\b|\beng\b|\buk\b|\bnat\.?\s+av", re.I)),
    ("statistical_neighbours", re.compile(r"stat(?:istical|s)?\.?\s*n(?:eighbou?rs?|\.|\b)|\bsn\b|\bsns\b|"
                                          r"comparator|neighbou?r|\bcomparison\s+group\b|family\s+group", re.I)),
    ("regional", re.compile(r"\bregion|\blondon\b|north[- ]?(?:west|east)|south[- ]?(?:west|east)|"
                            r"\b(?:east|west)\s+midlands\b|yorkshire|\beastern\b|\bnw\b|\bne\b", re.I)),
    ("other", re.compile(r"^\s*(?:ref\.?|reference|no\.?|id|pi|kpi|code|#|frequency|reporting\s+frequency|"
                         r"lead|owner|responsible\s+officer|source|comments?|commentary|narrative|notes?|"
                         r"action|actions|explanation|definition|description|data\s+source)\s*$", re.I)),
)
# Result columns that name no period: their figures are the latest unless another column is newer.
RESULT_WORDS = re.compile(r"\b(?:latest|current|this\s+(?:quarter|month|year|period)|year\s+to\s+date|ytd|"
                          r"to\s+date|actual|outturn|performance|result|value|figure|number|total|"
                          r"position|snapshot|rate)\b|^\s*%\s*$", re.I)
CURRENT_WORDS = re.compile(r"\b(?:latest|current|this\s+(?:quarter|month|year|period)|year\s+to\s+date|ytd)\b", re.I)
# Earlier figures whose header names their basis, not their period.
EARLIER_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("previous_year", re.compile(r"last\s+year|previous\s+year|prior\s+year|same\s+(?:period|quarter|month|time)\s+"
                                 r"last\s+year|year\s+ago", re.I)),
    ("previous_period", re.compile(r"previous|last\s+(?:quarter|month|period)|prior|baseline", re.I)),
)
_MONTH_ONLY = re.compile(r"^\s*(" + "|".join(
    [m for m in calendar.month_name if m] + [m for m in calendar.month_abbr if m] + ["Sept"]) + r")\.?\s*$", re.I)


@dataclass(frozen=True)
class Cell:
    """One cell: its text as laid out, its [start, end) in the document text, the grid columns it covers."""

    text: str
    start: int
    end: int
    column: int
    span: int = 1


@dataclass(frozen=True)
class Row:
    """One row: its cells in order, its line's [start, end) in the text, and whether it is a header."""

    cells: tuple[Cell, ...]
    start: int
    end: int
    header: bool = False

    def at(self, column: int) -> Cell | None:
        """The cell covering a grid column, or None."""
        return next((c for c in self.cells if c.column <= column < c.column + c.span), None)


@dataclass(frozen=True)
class Column:
    """What a grid column holds: its header (top to bottom), its role, and the period its header names."""

    index: int
    header: str
    role: str  # label, period, target, national, statistical_neighbours, regional, rag, direction, unit, polarity,
    # or other
    when: PeriodMention | None = None  # the period the header names (a partial one, 'Q2', left to the reader)
    current: bool = False  # the header names it the current or latest figure
    earlier: str | None = None  # the basis its header names: previous_period or previous_year


@dataclass(frozen=True)
class Table:
    """A table of the document: its rows with offsets, its columns' roles, its caption where printed."""

    start: int
    end: int
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    caption: str | None = None

    @property
    def body(self) -> list[Row]:
        """The rows that are not headers."""
        return [row for row in self.rows if not row.header]

    @property
    def header_text(self) -> str:
        """The header rows as the text reads them, one a line ('' when the table has none)."""
        return "\n".join(row_text(row) for row in self.rows if row.header)

    def roles(self, *wanted: str) -> list[Column]:
        """The columns holding any of the given roles, left to right."""
        return [column for column in self.columns if column.role in wanted]


class RawTable(NamedTuple):
    """A table as a format reads it, before layout: each row's cells (text, first grid column, columns
    spanned), which rows the format marks as headers, and its caption."""

    rows: list[list[tuple[str, int, int]]]
    header: list[bool]
    caption: str | None = None


def row_text(row: Row) -> str:
    """A row's line as laid out: its cells joined by the separator."""
    return SEPARATOR.join(cell.text for cell in row.cells)


def clean(text: str) -> str:
    """A cell's text on one line: white space collapsed."""
    return " ".join(text.split())


def is_figure(text: str) -> bool:
    """Whether a cell prints one figure (with its unit, fraction or footnote mark)."""
    return bool(FIGURE.match(text))


def lay_out(raw: RawTable, base: int) -> tuple[str, Table | None]:
    """A table's text (one line a row) and its structure, offsets counted from base; rows without text dropped."""
    lines: list[str] = []
    rows: list[Row] = []
    offset = base
    for cells, header in zip(raw.rows, raw.header, strict=True):
        texts = [(clean(text), column, span) for text, column, span in cells]
        if not any(text for text, _, _ in texts):
            continue
        placed, cursor = [], offset
        for i, (text, column, span) in enumerate(texts):
            cursor += len(SEPARATOR) if i else 0
            placed.append(Cell(text, cursor, cursor + len(text), column, span))
            cursor += len(text)
        rows.append(Row(tuple(placed), offset, cursor, header))
        lines.append(SEPARATOR.join(text for text, _, _ in texts))
        offset = cursor + len(ROW_BREAK)
    if not rows:
        return "", None
    return ROW_BREAK.join(lines), build_table(rows, raw.caption)


def build_table(rows: Sequence[Row], caption: str | None = None) -> Table | None:
    """A Table from placed rows: header rows found (marked by the format, or leading rows printing no
    figure beyond the label, or a row repeating a header), each column's role read. None for one row."""
    if len(rows) < 2:
        return None
    rows = list(rows)
    if not any(row.header for row in rows):
        leading = 0
        while leading < len(rows) and not any(is_figure(c.text) and not _BARE_YEAR.match(c.text)
                                              for c in rows[leading].cells if c.column > 0):
            leading += 1
        leading = 1 if leading == len(rows) else leading
        rows = [Row(row.cells, row.start, row.end, i < leading) for i, row in enumerate(rows)]
    headers = {row_text(row) for row in rows if row.header}
    rows = [row if row.header or row_text(row) not in headers else Row(row.cells, row.start, row.end, True)
            for row in rows]
    width = max(c.column + c.span for row in rows for c in row.cells)
    columns = tuple(_column(i, rows) for i in range(width))
    if not any(c.role == "label" for c in columns):
        columns = tuple(Column(c.index, c.header, "label") if c.index == 0 else c for c in columns)
    return Table(rows[0].start, rows[-1].end, tuple(rows), columns, caption)


def _column(index: int, rows: list[Row]) -> Column:
    texts: list[str] = []
    for row in rows:
        cell = row.at(index) if row.header else None
        if cell and cell.text and (not texts or texts[-1] != cell.text):
            texts.append(cell.text)
    header = " ".join(texts)
    body = [cell.text for row in rows if not row.header and (cell := row.at(index)) and not BLANK.match(cell.text)]
    figures = sum(is_figure(text) for text in body)
    role = next((name for name, pattern in _ROLES if header and pattern.search(header)), None)
    when = column_period(texts)
    current = bool(CURRENT_WORDS.search(header))
    earlier = next((basis for basis, pattern in EARLIER_WORDS if pattern.search(header)), None)
    if role is None and body and all(_RAG_CELL.match(text) for text in body):
        role = "rag"
    elif role is None and body and all(_DIRECTION_CELL.match(text) for text in body):
        role = "direction"
    if role is None and (when or earlier or RESULT_WORDS.search(header)) and (figures or not body):
        role = "period"
    if role is None:
        wordy = sum(not is_figure(text) and sum(ch.isalpha() for ch in text) >= 3 for text in body)
        role = "label" if body and wordy > len(body) / 2 and index <= 2 and not _is_code_column(body) else "other"
    return Column(index, header, role, when if role != "label" else None, current, earlier)


def _is_code_column(body: list[str]) -> bool:
    """A column of short reference codes ('CSC 04', 'NI 62'), not measure names."""
    return all(len(text) <= 8 and any(ch.isdigit() for ch in text) for text in body)


def column_period(texts: Sequence[str]) -> PeriodMention | None:
    """The period a column's header cells name together, lowest first ('Q2' under '2023/24' is
    2023/24 Q2; 'Jan' under '2023/24' is 2024-01); a bare month or quarter stays partial."""
    if not texts:
        return None
    lowest = texts[-1]
    month = _MONTH_ONLY.match(lowest)
    if month:
        number = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}[month.group(1)[:3].lower()]
        for upper in reversed(texts[:-1]):
            found = [p for p in find_periods(upper) if p.canonical]
            if found and found[0].kind == "fy":
                start = int(found[0].canonical[:4])
                year = start if number >= 4 else start + 1
                return PeriodMention(0, 0, f"{year:04d}-{number:02d}", "month")
            if found and found[0].kind == "year":
                return PeriodMention(0, 0, f"{found[0].canonical}-{number:02d}", "month")
        return PeriodMention(0, 0, None, "month_only", number)
    found = [p for p in find_periods(" ".join(reversed(texts))) if p.canonical or p.part]
    return found[0] if found else None


def containing(tables: Sequence[Table], offset: int) -> Table | None:
    """The table whose rows hold a text offset, or None."""
    for table in tables:
        if table.start <= offset <= table.end and any(row.start <= offset <= row.end for row in table.rows):
            return table
    return None


def header_for(tables: Sequence[Table], offset: int) -> str | None:
    """The header lines of the table a body row at offset belongs to (what a model is sent with the row)."""
    table = containing(tables, offset)
    if table is None or not table.header_text:
        return None
    return table.header_text


def shifted(tables: Sequence[Table], old: str, new: str) -> tuple[Table, ...]:
    """The tables placed again in a text that differs from the one they were read from (glyphs replaced,
    NULs dropped): each row is found, in order, as it read; a table one of whose rows changed is dropped
    (its rows are then read as prose)."""
    kept, cursor = [], 0
    for table in tables:
        rows: list[Row] = []
        for row in table.rows:
            line = old[row.start:row.end]
            at = new.find(line, cursor)
            if at < 0:
                break
            delta = at - row.start
            rows.append(replace(row, start=at, end=at + len(line), cells=tuple(
                replace(cell, start=cell.start + delta, end=cell.end + delta) for cell in row.cells)))
            cursor = at + len(line)
        if len(rows) == len(table.rows) and rows:
            first, last = rows[0].start - table.rows[0].start, rows[-1].end - table.rows[-1].end
            kept.append(replace(table, start=table.start + first, end=table.end + last, rows=tuple(rows)))
    return tuple(kept)
