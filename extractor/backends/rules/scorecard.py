"""Read a scorecard table as records.md's Tables judgement call says: one record a row that reports a measure.

The row's label names the measure (with the table's own qualifier where it alone does not); its value
is its figure for the latest period (the column the heading names current, else the newest period
column holding a figure, else the rightmost); its other period columns, targets and benchmarks are its
comparisons; a RAG column gives target_met, a direction column its trend; its evidence is the row.
Header rows, section rows, blank cells and a table's counts of its own rows give nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ...documents import Document
from ...numbers import parse_digits
from ...periods import bounds, comparison_basis, find_periods
from ...tables import BLANK, FIGURE, Column, Row, Table
from .attach import as_number
from .lexicon import lower_is_better
from .timing import Timeline

MEASURED = ("period", "target", "national", "statistical_neighbours", "regional")
BENCHMARKS = ("target", "national", "statistical_neighbours", "regional")
_I = re.IGNORECASE
_GENERIC_LABEL = re.compile(r"^(?:number|no\.?|count|total|rate|rate\s+per\s+10,?000(?:\s+children)?|percentage|%|"
                            r"proportion|of\s+which\b.*|average(?:\s+\w+)?|per\s+10,?000)\s*(?:\(.*\))?$", _I)
_OWN_COUNT = re.compile(
    r"\b(?:indicators?|measures?|kpis?|pis?)\b.{0,30}\b(?:targets?|track|green|amber|red|met|achieved|improv\w*|"
    r"declin\w*|deteriorat\w*|rated)\b|^(?:total\s+|number\s+of\s+)(?:indicators|measures|kpis)\b", _I)
_LABEL_MARKS = re.compile(r"(?:\s*(?:[*\u2020\u2021\u00a7\u00b9\u00b2\u00b3\u2070-\u2079]|\([a-z]\)|\[\w\]))+$")
_PERCENT = re.compile(r"%|\bper\s*cent|\bpercentage\b|\bproportion\b", _I)
_RATE = re.compile(r"per\s+10,?000|\brate\s+per\b", _I)
_DURATION = re.compile(r"\b(?:average|mean|median|number\s+of)\s+(?:\w+\s+){0,3}?(?P<a>days|weeks|months|hours)\b|"
                       r"\((?P<b>days|weeks|months|hours)\)|^\s*(?P<c>days|weeks|months|hours)\s*$", _I)
_A_YEAR = 300  # days: a period this long or longer is a year
_COUNT_UNIT = re.compile(r"^\s*(?:no\.?|number|count|n|#)\s*$", _I)
_RAG = {"red": False, "r": False, "off target": False, "off track": False, "green": True, "g": True,
        "on target": True, "on track": True}
_UP = re.compile(r"^[\u2191\u2197\u25b2\u21d1\u21e7]|^\s*(?:up|increas\w*|higher|rising|rise)\b", _I)
_DOWN = re.compile(r"^[\u2193\u2198\u25bc\u21d3\u21e9]|^\s*(?:down|decreas\w*|lower|falling|fall)\b", _I)
_SAME = re.compile(r"^[\u2194\u2192=]|^\s*(?:same|stable|static|no\s+change|unchanged)\b", _I)
_BETTER = re.compile(r"^\s*(?:improv\w*|better)\b", _I)
_WORSE = re.compile(r"^\s*(?:worse\w*|deteriorat\w*|declin\w*)\b", _I)


@dataclass(frozen=True)
class Figure:
    """A cell's figure: its value, the unit its cell prints, and a printed fraction."""

    value: float
    unit: str | None
    numerator: float | None
    denominator: float | None


def figure(text: str) -> Figure | None:
    """The figure a cell prints, or None (blank, '-', 'n/a', a suppressed '<5', words)."""
    m = FIGURE.match(text)
    if not m or BLANK.match(text) or (m.group("qualifier") or "c.") in "<>\u2264\u2265":
        return None  # a suppressed count ('<5') prints no value
    number = parse_digits(m.group("number").replace("\u2212", "-").lstrip("+"))
    printed = (m.group("unit") or "").lower()
    unit = ("percent" if printed in ("%", "pp") else "gbp" if m.group("gbp") else
            "rate_per_10000" if printed.startswith("per") else
            {"day": "days", "week": "weeks", "month": "months", "hour": "hours", "hr": "hours"}.get(
                printed.rstrip("s"), None))
    numerator, denominator = m.group("numerator"), m.group("denominator")
    return Figure(number, unit, parse_digits(numerator) if numerator else None,
                  parse_digits(denominator) if denominator else None)


def is_scorecard(table: Table) -> bool:
    """A table whose columns name periods, results, targets or benchmarks beside a row label."""
    return bool(table.roles("label")) and bool(table.roles(*MEASURED))


def read_tables(document: Document, timeline: Timeline) -> tuple[list[dict], list[tuple[int, int]]]:
    """Records (as the rules backend's raw dicts) from a document's scorecards, and the spans of the rows
    they were read from (the prose reader leaves those lines alone)."""
    raw: list[dict] = []
    claimed: list[tuple[int, int]] = []
    for table in document.tables:
        if not is_scorecard(table):
            continue
        claimed += [(row.start, row.end) for row in table.rows]
        raw += _read_table(table, document.text, timeline)
    return raw, claimed


def _heading(table: Table, text: str) -> str | None:
    """The table's caption, else the short line printed just before it."""
    if table.caption:
        return table.caption
    before = [line.strip() for line in text[max(0, table.start - 400):table.start].splitlines() if line.strip()]
    line = before[-1] if before else ""
    return line if 3 <= len(line) <= 120 and not line.endswith((".", ",", ";")) and "|" not in line else None


def _read_table(table: Table, text: str, timeline: Timeline) -> list[dict]:
    heading = _heading(table, text)
    named = [p for p in find_periods(heading or "") if p.canonical]
    fallback = named[-1].canonical if named else timeline.report
    label_column = table.roles("label")[0].index
    periods = {c.index: (timeline.resolve(c.when) if c.when else None) for c in table.roles("period")}
    section: str | None = None
    records = []
    for row in table.body:
        label_cell = row.at(label_column)
        label = _LABEL_MARKS.sub("", label_cell.text).strip() if label_cell else ""
        others = [c for c in row.cells if c is not label_cell and not BLANK.match(c.text)]
        if label and not others:
            section = label  # a section row: it names what the rows under it count
            continue
        if not label or _OWN_COUNT.search(label):
            continue
        record = _read_row(table, row, label, section or heading, periods, fallback, text)
        if record is not None:
            records.append(record)
    return records


def _cell_figure(row: Row, column: Column) -> Figure | None:
    cell = row.at(column.index)
    return figure(cell.text) if cell is not None and cell.column == column.index else None


def _current(found: list[tuple[Column, Figure]], periods: dict[int, str | None]) -> tuple[Column, Figure] | None:
    """The row's latest figure: a column named current, else the newest dated, else the rightmost."""
    named = [f for f in found if f[0].current]
    if named:
        return named[0]
    results = [f for f in found if not f[0].earlier or periods.get(f[0].index)]
    if not results:
        return None
    if all(periods.get(c.index) for c, _ in results):
        return max(results, key=lambda f: (bounds(periods[f[0].index])[1], f[0].index))
    undated = [f for f in results if not periods.get(f[0].index)]
    return undated[-1]


def _basis(column: Column, period: str | None, current: Column, current_period: str | None) -> str:
    if column.earlier:
        return column.earlier
    if period and current_period and bounds(period)[1] < bounds(current_period)[0]:
        first, last = bounds(period)
        if (last - first).days >= _A_YEAR:  # a figure of an earlier year (records.md 'Which basis')
            return "previous_year"
        return comparison_basis(period, current_period)
    if period and current_period:
        return "other"
    if column.when and current.when and column.when.kind == current.when.kind and column.when.part \
            and current.when.part:
        return "previous_period" if current.when.part - column.when.part in (1, -3, -11) else "other"
    return "previous_period"


def _read_row(table: Table, row: Row, label: str, qualifier: str | None, periods: dict[int, str | None],
              fallback: str | None, text: str) -> dict | None:
    found = [(c, f) for c in table.roles("period") if (f := _cell_figure(row, c)) is not None]
    chosen = _current(found, periods)
    if chosen is None:
        return None
    column, value = chosen
    period = periods.get(column.index) or (fallback if not column.when else None)
    comparisons = []
    for other, earlier in found:
        if other is column:
            continue
        other_period = periods.get(other.index)
        comparisons.append({"basis": _basis(other, other_period, column, period), "value": as_number(earlier.value),
                            "change": None, "period": other_period})
    for benchmark in table.roles(*BENCHMARKS):
        found_figure = _cell_figure(row, benchmark)
        if found_figure is not None:
            comparisons.append({"basis": benchmark.role, "value": as_number(found_figure.value), "change": None,
                                "period": periods.get(benchmark.index) or (
                                    Timeline().resolve(benchmark.when) if benchmark.when else None)})
    indicator = f"{qualifier} - {label}" if qualifier and _GENERIC_LABEL.match(label) else label
    unit = value.unit or _unit(row, table, column, label, value)
    return {
        "indicator": indicator, "value": as_number(value.value), "unit": unit, "period": period,
        "numerator": None if value.numerator is None else as_number(value.numerator),
        "denominator": None if value.denominator is None else as_number(value.denominator),
        "comparisons": comparisons, "target_met": _rag(row, table), "trend": _direction(row, table, indicator),
        "suspect": False, "start": row.start, "end": row.end,
    }


def _words(row: Row, columns: Sequence[Column]) -> str | None:
    for column in columns:
        cell = row.at(column.index)
        if cell is not None and not BLANK.match(cell.text):
            return cell.text
    return None


def _unit(row: Row, table: Table, column: Column, label: str, value: Figure) -> str:
    """The unit a row's units column, its value column's header or its label names; else a count."""
    for said in (_words(row, table.roles("unit")), column.header, label):
        if not said:
            continue
        if _COUNT_UNIT.match(said):
            return "count"
        if _RATE.search(said):
            return "rate_per_10000"
        if _PERCENT.search(said):
            return "percent"
        duration = _DURATION.search(said)
        if duration:
            return (duration.group("a") or duration.group("b") or duration.group("c")).lower()
        if "\u00a3" in said:
            return "gbp"
    return "count" if float(value.value).is_integer() else "other"


def _rag(row: Row, table: Table) -> bool | None:
    said = _words(row, table.roles("rag"))
    return _RAG.get(" ".join(said.lower().split())) if said else None


def _direction(row: Row, table: Table, indicator: str) -> str | None:
    """The number's direction a direction-of-travel cell states; 'improving' only where polarity says which way."""
    said = _words(row, table.roles("direction"))
    if not said:
        return None
    for trend, pattern in (("up", _UP), ("down", _DOWN), ("same", _SAME)):
        if pattern.search(said):
            return trend
    better = True if _BETTER.search(said) else False if _WORSE.search(said) else None
    if better is None:
        return None
    polarity = _words(row, table.roles("polarity")) or ""
    lower = (True if re.search(r"\blow", polarity, _I) else False if re.search(r"\bhigh", polarity, _I)
             else lower_is_better(indicator))
    if lower is None:
        return None
    return "up" if better != lower else "down"
