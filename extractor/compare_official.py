"""Official rows for compare: DfE's published England, region and statistical neighbours' figures.

add_official() puts rows from the loaded LAIT snapshot (official.py) under a Comparison's own,
marked source "official". A published figure goes in every column whose period meets its year
(official.published_year: for a 31 March measure, `2023/24`, `2023/24 Q4` and `2024-03` all meet
LAIT's `2024`); a column whose period meets no published year (an in-year quarter or month) has
none. A published year that no record gives gets its own column only when it falls within the
range of periods shown (between the first and the last canonical period), so that official rows
fill gaps in the councils' series but never stretch the table beyond it.
"""

from __future__ import annotations

from typing import Any

from .compare import OFFICIAL, Cell, Comparison, Row, Source
from .official import OfficialFigures, OfficialLookup, neighbours_shown, published_year
from .periods import bounds, is_canonical
from .store import Store


def snapshot_label(store: Store) -> str:
    """The snapshot as a row names it: 'LAIT 2026-04-08 snapshot' (or 'LAIT snapshot' without a date)."""
    row = store.db.conn.execute("select snapshot_date from official_snapshot").fetchone()
    return f"LAIT {row[0]} snapshot" if row and row[0] else "LAIT snapshot"


def period_of_year(year: str, year_type: str) -> str | None:
    """The canonical period that names a LAIT year for a year type: '2024' -> '2023/24' (31 March), '2024-09'
    (30 September), '2024-01' (January census), '2024' (calendar year); None for any other."""
    if not (len(year) == 4 and year.isdigit()):
        return None
    y = int(year)
    period = {"financial year": f"{y - 1}/{year[2:]}", "annual": f"{y - 1}/{year[2:]}",
              "annual (end of sept)": f"{year}-09", "annual - january": f"{year}-01",
              "calendar year": year}.get(year_type.strip().lower())
    return period if period and published_year(period, year_type) == year else None


def _columns(result: Comparison, lookup: OfficialLookup, measure: str) -> dict[str, str]:
    """Each column (period) that meets a published year, with the year; and a column for each published
    year within the range shown that no column meets."""
    year_type = lookup.measures[measure][0]
    dated = [p for p in result.periods if p is not None and is_canonical(p)]
    columns = {p: year for p in dated if (year := published_year(p, year_type))}
    if not dated:
        return columns
    first, last = bounds(dated[0])[1], bounds(dated[-1])[1]
    years = [row[0] for row in lookup.store.db.conn.execute(
        "select distinct year from official_values where measure = ? and la_number = 970", (measure,))]
    for year in sorted(set(years) - set(columns.values())):
        period = period_of_year(year, year_type)
        if period and first <= bounds(period)[1] <= last:
            columns[period] = year
    return columns


def _cell(result: Comparison, period: str, value: float | None, mark: str | None, about: dict[str, Any],
          evidence: str) -> Cell:
    unit = result.indicator.unit
    source = Source(None, "DfE LAIT", None, None, None, None, about["area"], evidence, value, unit, official=about)
    return Cell(value, unit, period, [source], mark=mark)


def add_official(result: Comparison, store: Store) -> int:
    """Add England's, each shown authority's region's and statistical neighbours' published figures as rows
    marked official (in the columns whose period meets a published year); return how many rows were added."""
    lookup = OfficialLookup(store)
    indicator = result.indicator
    if not lookup.loaded:
        return 0
    if not indicator.lait or indicator.lait not in lookup.measures:
        result.notes.append(f"no published (LAIT) figure is loaded for {indicator.id}: no official rows")
        return 0
    measure, snapshot = indicator.lait, snapshot_label(store)
    columns = _columns(result, lookup, measure)
    if not columns:
        result.notes.append(f"no period shown meets a year DfE publishes {measure} for: no official rows")
        return 0
    authorities = [row.authority for row in result.rows if row.kind == "authority" and row.authority]
    rows: dict[tuple[str, str], Row] = {}
    owners: dict[str, set[str]] = {}  # a region's row: the authorities shown in it

    def row(kind: str, key: str, label: str, basis: str, authority: str | None) -> Row:
        return rows.setdefault((kind, key), Row(f"{label} (official, {snapshot})", "benchmark", source=OFFICIAL,
                                                basis=basis, authority=authority))

    for period, year in columns.items():
        england = lookup.figures(indicator.id, None, period)
        if england is not None and england.england is not None:
            figure = england.england
            row("england", "England", "England", "national", None).cells[period] = _cell(
                result, period, figure.value, figure.mark, _about(england, "England", year),
                _said(england, "England", year, period))
        for authority in authorities:
            figures = lookup.figures(indicator.id, authority, period)
            if figures is None or figures.la_number is None:
                continue
            if figures.region is not None:
                area = figures.region.area
                owners.setdefault(area, set()).add(authority)
                row("region", area, area, "regional", authority).cells[period] = _cell(
                    result, period, figures.region.value, figures.region.mark, _about(figures, area, year),
                    _said(figures, area, year, period))
            if figures.neighbours and figures.neighbours_mean is not None:
                mean = float(neighbours_shown(figures))
                row("neighbours", authority, f"Statistical neighbours of {authority}", "statistical_neighbours",
                    authority).cells[period] = _cell(
                    result, period, mean, None, _about(figures, f"statistical neighbours of {authority}", year),
                    _said(figures, authority, year, period, neighbours=True))
    for (kind, key), found in rows.items():
        if kind == "region" and len(owners.get(key, ())) > 1:
            found.authority = None  # shared by several authorities shown: drawn in no one's colour
    ordered = sorted(rows.values(), key=lambda r: ({"national": 0, "regional": 1}.get(r.basis or "", 2), r.label))
    result.add_rows(ordered)
    added = sorted(set(columns) - {p for p in result.periods if any(
        p in r.cells for r in result.rows if r.source != OFFICIAL)})
    result.notes.append(
        f"rows marked official are DfE's published figures ({lookup.snapshot}), each in the columns whose period "
        f"meets its published year; a neighbours' figure is the mean of those with a published figure"
        + (f"; column(s) {', '.join(added)} added for published years within the range shown" if added else ""))
    return len(ordered)


def _about(figures: OfficialFigures, area: str, year: str) -> dict[str, Any]:
    return {"measure": figures.measure, "year": year, "area": area, "snapshot": figures.snapshot,
            "neighbours_with_figure": figures.neighbours_with_figure, "neighbours": figures.neighbours}


def _said(figures: OfficialFigures, area: str, year: str, period: str, *, neighbours: bool = False) -> str:
    what = (f"The mean of the published figures of {figures.neighbours_with_figure} of {figures.neighbours} "
            f"statistical neighbours of {area}" if neighbours else f"DfE's published figure for {area}")
    return f"{what}: measure {figures.measure}, LAIT year {year} (the year {period} meets); {figures.snapshot}."
