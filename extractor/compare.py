"""One indicator side by side across councils: authorities as rows, canonical periods as columns.

comparison() reads the stored records of one canonical indicator id (the kpis view) and builds a
Comparison: one row per authority, each cell the stored value of one period, and benchmark rows
(England, a region, statistical neighbours) from the comparisons the minutes quote beside their
figures. Every row says where it comes from (source "minutes"); rows from published statistics
(source "official") can be added with Comparison.add_rows and take their place by the same rules.

Rules, so that nothing is silently merged:
- Several records of one authority for one period (two meetings quote it): the cell shows the latest
  meeting's, ties (or no meeting dates) broken by document order (name, path, place in the text);
  the cell keeps every record as its evidence, the shown one first, and says how many.
- A record without a period goes in a last column, "period not stated" (in the table, not the chart).
- Status-only records (no figure) are not cells; a note says how many were left out.
- Statistical neighbours and regions differ by council, so their rows are per quoting authority;
  England is one row (differing quotes of one period are kept as evidence and flagged).
- Each cell after the first of its row is compared with the row's previous dated cell: direction
  up/down/same, and, by the indicator's polarity, better/worse/same (neutral: no judgement).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .exports import number
from .indicators import Indicator, get_indicator
from .periods import is_canonical, sort_key
from .store import Store

NOT_STATED = "period not stated"
NO_AUTHORITY = "authority not stated"
MINUTES, OFFICIAL = "minutes", "official"
BENCHMARKS = {"national": "England", "regional": "Region", "statistical_neighbours": "Statistical neighbours"}
_BENCHMARK_ORDER = {"national": 0, "regional": 1, "statistical_neighbours": 2}
UNIT_SUFFIX = {"percent": "%", "rate_per_10000": " per 10,000", "days": " days", "weeks": " weeks",
               "months": " months", "hours": " hours"}
_COLUMNS = ("record_id", "document", "path", "authority", "meeting_date", "url", "page", "value", "unit",
            "period", "comparisons", "evidence", "start")


def format_value(value: float | int | None, unit: str | None) -> str:
    """A value as a reader writes it with its unit: '59.2 per 10,000', '78%', '412', '£1,200'."""
    if value is None:
        return ""
    text = f"{number(value):,}"
    if unit == "gbp":
        return f"£{text}"
    return text + UNIT_SUFFIX.get(unit or "", "")


@dataclass(frozen=True)
class Source:
    """One record (or, for a benchmark, the record that quotes it): where a cell's figure is printed."""

    record_id: int | None
    document: str
    path: str | None
    url: str | None
    page: int | None
    meeting_date: str | None
    authority: str | None
    evidence: str
    value: float | int | None
    unit: str | None
    official: dict[str, Any] | None = None  # a published figure's measure, year, area and snapshot

    def as_dict(self) -> dict[str, Any]:
        """The source as JSON-ready values."""
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


@dataclass
class Cell:
    """One row's figure for one period, with every record that gives it (the shown one first)."""

    value: float | int | None
    unit: str | None
    period: str | None
    sources: list[Source]
    direction: str | None = None  # up, down or same against the row's previous dated cell
    judgement: str | None = None  # better, worse or same by the polarity; None for a neutral measure
    previous: Cell | None = None
    mark: str | None = None  # a published figure's suppression mark, printed instead of a value

    @property
    def text(self) -> str:
        """The value with its unit (or, for a suppressed published figure, its mark)."""
        return format_value(self.value, self.unit) if self.value is not None else (self.mark or "")

    @property
    def disagree(self) -> bool:
        """Whether the records of this cell give different figures."""
        return len({(s.value, s.unit) for s in self.sources}) > 1

    def as_dict(self) -> dict[str, Any]:
        """The cell as JSON-ready values."""
        return {"value": number(self.value), "unit": self.unit, "text": self.text, "direction": self.direction,
                "judgement": self.judgement, "mark": self.mark, "records": len(self.sources), "disagree": self.disagree,
                "sources": [s.as_dict() for s in self.sources]}


@dataclass
class Row:
    """One line of the table: an authority, or a benchmark (England, a region, neighbours)."""

    label: str
    kind: str  # authority or benchmark
    source: str = MINUTES  # minutes (what the records say) or official (published statistics)
    basis: str | None = None  # a benchmark's comparison basis (national, regional, statistical_neighbours)
    authority: str | None = None  # the authority a row is, or whose minutes quote a benchmark
    cells: dict[str | None, Cell] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The row as JSON-ready values (cells keyed by period, NOT_STATED for None)."""
        return {"label": self.label, "kind": self.kind, "source": self.source, "basis": self.basis,
                "authority": self.authority,
                "cells": {period or NOT_STATED: cell.as_dict() for period, cell in self.cells.items()}}


@dataclass
class Comparison:
    """One indicator's stored values across authorities and periods."""

    indicator: Indicator
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    @property
    def periods(self) -> list[str | None]:
        """Every period of any row, in time order; None (no period stated) last."""
        found = {period for row in self.rows for period in row.cells}
        dated = sorted((p for p in found if p is not None), key=_period_key)
        return dated + ([None] if None in found else [])

    def add_rows(self, rows: list[Row]) -> None:
        """Add rows (e.g. official statistics), judged by the same rules as the stored ones."""
        for row in rows:
            judge(row, self.indicator)
        self.rows.extend(rows)

    def as_dict(self) -> dict[str, Any]:
        """The whole comparison as JSON-ready values."""
        i = self.indicator
        return {"indicator": {"id": i.id, "name": i.name, "unit": i.unit, "polarity": i.polarity},
                "periods": [p or NOT_STATED for p in self.periods], "rows": [r.as_dict() for r in self.rows],
                "notes": self.notes}


def _period_key(period: str) -> tuple[int, int, int, str]:
    """sort_key for a canonical period; anything else after them, by its text."""
    return (0, *sort_key(period), "") if is_canonical(period) else (1, 0, 0, period)


def comparison(store: Store, indicator_id: str, *, authorities: list[str] | None = None,
               since: str | None = None) -> Comparison:
    """The stored records of one canonical indicator as a Comparison; optionally only some authorities
    (any case) and periods ending on or after since (YYYY-MM-DD; records without a period then left out)."""
    indicator = get_indicator(indicator_id)
    where, args = ["indicator_id = ?"], [indicator_id]
    if authorities:
        where.append(f"lower(authority) in ({', '.join('lower(?)' for _ in authorities)})")
        args += authorities
    sql = (f"select {', '.join(_COLUMNS)} from kpis where {' and '.join(where)} "
           "order by document, path, start, record_id")
    records = [dict(zip(_COLUMNS, row, strict=True)) for row in store.db.conn.execute(sql, args)]
    notes: list[str] = []
    if since:
        kept = [r for r in records if r["period"] and _ends_on_or_after(r["period"], since)]
        if len(kept) < len(records):
            notes.append(f"{len(records) - len(kept)} record(s) of periods ending before {since} "
                         "(or without a period) are left out")
        records = kept
    status_only = sum(1 for r in records if r["value"] is None)
    if status_only:
        notes.append(f"{status_only} status-only record(s) (no figure) are not shown")
    grouped: dict[tuple[str, str | None], list[tuple[Source, str | None]]] = {}
    rows: dict[tuple[str, str | None], Row] = {}
    for record in records:
        authority = (record["authority"] or "").strip() or None
        source = Source(record["record_id"], record["document"], record["path"], record["url"], record["page"],
                        record["meeting_date"], authority, record["evidence"], number(record["value"]),
                        record["unit"])
        if record["value"] is not None:
            key = ("authority", authority)
            rows.setdefault(key, Row(authority or NO_AUTHORITY, "authority", authority=authority))
            grouped.setdefault(key, []).append((source, record["period"]))
        for quoted in json.loads(record["comparisons"] or "[]"):
            basis, period = quoted.get("basis"), quoted.get("period") or record["period"]
            if basis not in BENCHMARKS or quoted.get("value") is None:
                continue
            if since and not (period and _ends_on_or_after(period, since)):
                continue
            owner = None if basis == "national" else authority
            key = (basis, owner)
            label = BENCHMARKS[basis] + (f" ({authority or NO_AUTHORITY})" if basis != "national" else "")
            rows.setdefault(key, Row(label, "benchmark", basis=basis, authority=owner))
            quote = Source(**{**source.as_dict(), "value": number(quoted["value"])})
            grouped.setdefault(key, []).append((quote, period))
    for key, row in rows.items():
        by_period: dict[str | None, list[Source]] = {}
        for source, period in grouped[key]:
            by_period.setdefault(period, []).append(source)
        for period, sources in by_period.items():
            ordered = sorted(sources, key=lambda s: s.meeting_date or "", reverse=True)  # stable: document order
            row.cells[period] = Cell(ordered[0].value, ordered[0].unit, period, ordered)
        judge(row, indicator)
    ordered_rows = sorted(rows.values(), key=_row_order)
    if any(len(cell.sources) > 1 for row in ordered_rows for cell in row.cells.values()):
        notes.append("a cell marked * has several records; the latest meeting's figure is shown and the others "
                     "are listed as its evidence")
    return Comparison(indicator, ordered_rows, notes)


def _ends_on_or_after(period: str, since: str) -> bool:
    return is_canonical(period) and sort_key(period)[0] >= date.fromisoformat(since).toordinal()


def _row_order(row: Row) -> tuple[int, int, str]:
    if row.kind == "authority":
        return (0, 1 if row.authority is None else 0, row.label.casefold())
    return (1, _BENCHMARK_ORDER.get(row.basis or "", 3), row.label.casefold())


def judge(row: Row, indicator: Indicator) -> None:
    """Mark each dated cell after the first of a row: its direction against the previous dated cell
    and, by the indicator's polarity, better, worse or same (a neutral measure is not judged)."""
    previous: Cell | None = None
    for period in sorted((p for p in row.cells if p is not None), key=_period_key):
        cell = row.cells[period]
        cell.direction = cell.judgement = cell.previous = None
        if previous is not None and previous.unit == cell.unit and previous.value is not None \
                and cell.value is not None:
            cell.previous = previous
            cell.direction = ("same" if cell.value == previous.value
                              else "up" if cell.value > previous.value else "down")
            if cell.direction == "same":
                cell.judgement = None if indicator.polarity == "neutral" else "same"
            elif indicator.polarity == "higher_is_better":
                cell.judgement = "better" if cell.direction == "up" else "worse"
            elif indicator.polarity == "lower_is_better":
                cell.judgement = "better" if cell.direction == "down" else "worse"
        previous = cell


ARROWS = {"up": "▲", "down": "▼", "same": "="}


def describe_change(cell: Cell, indicator: Indicator) -> str:
    """A cell's change in words, for titles: 'up from 412 (2023/24 Q1): better, lower is better'."""
    if cell.direction is None or cell.previous is None:
        return ""
    words = {"up": "up from", "down": "down from", "same": "same as"}[cell.direction]
    text = f"{words} {cell.previous.text} ({cell.previous.period})"
    if cell.judgement:
        return f"{text}: {cell.judgement}, {indicator.polarity.replace('_', ' ')}"
    return f"{text}: a neutral measure, not judged"


# Writers: the table on a terminal (rich), and as CSV, JSON or Excel.

def cell_label(cell: Cell) -> str:
    """A cell as the text table prints it: value with unit, its direction arrow, * when several records."""
    arrow = f" {ARROWS[cell.direction]}" if cell.direction else ""
    return cell.text + arrow + ("*" if len(cell.sources) > 1 else "")


def row_title(row: Row) -> str:
    """A row's label, benchmarks marked with where they come from (an official row's label says so)."""
    return row.label if row.kind == "authority" or row.source == OFFICIAL else f"{row.label} (from the {row.source})"


def rich_table(result: Comparison) -> Any:
    """The comparison as a rich Table: authorities, then benchmarks; better green, worse red."""
    from rich.table import Table
    from rich.text import Text

    i = result.indicator
    table = Table(title=f"{i.name} ({i.id}; {i.unit}; {i.polarity.replace('_', ' ')})", title_justify="left",
                  caption="\n".join(result.notes) or None, caption_justify="left")
    table.add_column("")
    for period in result.periods:
        table.add_column(period or NOT_STATED, justify="right")
    colours = {"better": "green", "worse": "red"}
    for row in result.rows:
        cells = []
        for period in result.periods:
            cell = row.cells.get(period)
            cells.append(Text(cell_label(cell), style=colours.get(cell.judgement or "", "")) if cell else Text(""))
        table.add_row(Text(row_title(row), style="" if row.kind == "authority" else "dim"), *cells,
                      end_section=row is _last_authority(result))
    return table


def _last_authority(result: Comparison) -> Row | None:
    authorities = [row for row in result.rows if row.kind == "authority"]
    return authorities[-1] if authorities and len(authorities) < len(result.rows) else None


def table_rows(result: Comparison) -> list[list[Any]]:
    """The table as plain rows, header first: row, kind, source, unit, then one column per period. A cell
    is the number where its unit is the row's one unit, else its text with the unit."""
    lines: list[list[Any]] = [["row", "kind", "source", "unit", *(p or NOT_STATED for p in result.periods)]]
    for row in result.rows:
        units = {cell.unit for cell in row.cells.values()}
        unit = units.pop() if len(units) == 1 else None
        values = [None if (cell := row.cells.get(p)) is None else number(cell.value) if unit else cell.text
                  for p in result.periods]
        lines.append([row.label, row.kind, row.source, unit or "mixed", *values])
    return lines


def evidence_rows(result: Comparison) -> list[list[Any]]:
    """Every record behind every cell, header first, the shown one of a cell first."""
    lines: list[list[Any]] = [["row", "period", "shown", "value", "unit", "quoted_by", "document", "path", "page",
                               "meeting_date", "url", "evidence"]]
    for row in result.rows:
        for period in result.periods:
            cell = row.cells.get(period)
            for n, s in enumerate(cell.sources if cell else []):
                lines.append([row.label, period or NOT_STATED, n == 0, s.value, s.unit, s.authority, s.document,
                              s.path, s.page, s.meeting_date, s.url, s.evidence])
    return lines


def write_table(result: Comparison, fmt: str, stream: Any) -> None:
    """Write the comparison as csv (the table) or json (everything, evidence included) to a text stream."""
    if fmt == "json":
        stream.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    import csv

    csv.writer(stream).writerows(table_rows(result))


def write_comparison_xlsx(result: Comparison, path: Any) -> None:
    """Write the comparison to an Excel workbook (openpyxl write-only, as exports do): the table, then
    a sheet of every record behind its cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    for title, lines in (("comparison", table_rows(result)), ("evidence", evidence_rows(result))):
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "B2"
        for n, line in enumerate(lines):
            cells = []
            for value in line:
                cell = WriteOnlyCell(sheet, value=value)
                if n == 0:
                    cell.font = Font(bold=True)
                cells.append(cell)
            sheet.append(cells)
    book.save(path)
