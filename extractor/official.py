"""The minutes beside the official figures: DfE's published value for a record's measure, authority and year.

A record is looked up when its indicator_id has a `lait` key (indicators.csv) and its period falls
on a year LAIT publishes (published_year). Its authority is resolved by name (authorities.py).
Beside it: the authority's published value (or its suppression mark), England's, the region's,
and the mean of its statistical neighbours' published values, with how many of them had one.

A record's value and the published one agree when they are equal at the coarser of the two
precisions (the dictionary's `dps`, else the published value's own decimals, against the decimals
the minutes printed); a count agrees only when equal. Anything else is an `official_mismatch`:
information, not an error, since minutes often quote provisional or in-year figures.
Loading is in official_load.py; `kpi-extract official` is the command line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .authorities import resolve_authority
from .exports import OFFICIAL as OFFICIAL_COLUMNS  # the export's last columns, defined there (a light module)
from .exports import number
from .indicators import catalogue
from .periods import bounds, is_canonical
from .store import Store

BENCHMARKS = {"national": "england", "statistical_neighbours": "neighbours", "regional": "region"}
# The year types of LAIT's data dictionary this module places canonical periods in. Academic years
# are declined: a canonical `2023/24` is a financial year, and no canonical period names a school year.
YEAR_ENDS = {"financial year": (3, 31), "annual": (3, 31), "annual (end of sept)": (9, 30),
             "annual - january": (1, None), "calendar year": (12, 31)}


def published_year(period: str | None, year_type: str | None) -> str | None:
    """The LAIT year (`2024`) a canonical period falls on for a measure's year type, or None when it meets none.

    Financial-year and 31 March measures: `2023/24`, `2023/24 Q4` (the quarter that ends it),
    `2024-03`, `2024-03-31`, `2023-04..2024-03` and `2024-01..2024-03` are LAIT's `2024`; Q1-Q3 and other months are
    not. 30 September measures (workforce): `2024-09`, `2024-09-30`, `2024/25 Q2`. January census
    measures: a month or day of January. Calendar-year measures: `2023` or `2023-01..2023-12`.
    """
    if not period or not year_type or not is_canonical(period):
        return None
    end_rule = YEAR_ENDS.get(year_type.strip().lower())
    if end_rule is None:
        return None
    month, day = end_rule
    first, last = bounds(period)
    if month == 12:  # a calendar year, whole
        whole = first.month == 1 and first.day == 1 and last.month == 12 and last.day == 31
        return str(first.year) if whole and first.year == last.year else None
    if month == 1:  # the January census: a point in January
        return str(last.year) if first.month == 1 and last.month == 1 and first.year == last.year else None
    if (last.month, last.day) != (month, day):
        return None
    if "/" in period or first == last or (first.year, first.month) == (last.year, last.month):
        return str(last.year)  # a financial year, a quarter ending it, the month or the day itself
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return str(last.year) if first.day == 1 and months in (3, 12) else None  # its quarter, or the whole year


@dataclass(frozen=True)
class Figure:
    """One published figure: an area's value for a year, or the suppression mark printed instead."""

    area: str
    la_number: int
    value: float | None
    mark: str | None

    def shown(self) -> str:
        """The figure as LAIT prints it: the number, or the suppression mark."""
        return _plain(self.value) if self.value is not None else (self.mark or "")


@dataclass(frozen=True)
class OfficialFigures:
    """The published figures beside one record: its authority's, England's, its region's, its neighbours'."""

    indicator_id: str
    measure: str
    period: str
    year: str
    unit: str
    dps: int | None
    la_number: int | None  # None: the authority is not in LAIT's list (see note)
    authority: Figure | None  # None: nothing published for it that year
    england: Figure | None
    region: Figure | None
    neighbours_mean: float | None
    neighbours_with_figure: int
    neighbours: int
    snapshot: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A plain dictionary (JSON-ready)."""
        return asdict(self)


@dataclass(frozen=True)
class Check:
    """A figure printed in the minutes against the published one for the same area, measure and year."""

    record_id: int
    document: str
    authority: str | None
    indicator_id: str
    measure: str
    period: str
    year: str
    subject: str  # authority, england, region or neighbours
    stated: float
    published: float | None
    mark: str | None
    status: str  # agrees, mismatch, suppressed, not_published, unresolved_authority
    note: str
    neighbours_with_figure: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """A plain dictionary (JSON-ready)."""
        return asdict(self)


def _decimals(value: float) -> int:
    return max(0, -Decimal(repr(value)).normalize().as_tuple().exponent)


def _rounded(value: float, places: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _plain(value: float) -> str:
    return f"{value:.10f}".rstrip("0").rstrip(".")


def agrees(stated: float, published: float, *, dps: int | None, count: bool, places: int | None = None) -> bool:
    """Whether a printed figure is the published one as far as the coarser of their roundings shows (counts: equal)."""
    if count:
        return stated == published
    published_places = dps if dps is not None else places if places is not None else _decimals(published)
    at = min(published_places, _decimals(stated))
    return _rounded(stated, at) == _rounded(published, at)


class OfficialLookup:
    """Published figures for records, reading the loaded tables once per measure (for exports of many records)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        conn = store.db.conn
        snap = conn.execute("select source, snapshot_date, snapshot_commit from official_snapshot").fetchone()
        self.loaded = snap is not None
        self.snapshot = "" if snap is None else (
            f"LAIT {snap[1] or 'snapshot'}" + (f" (commit {snap[2]})" if snap[2] else "") + f" from {snap[0]}")
        self.measures = {row[0]: row[1:] for row in conn.execute(
            "select measure, year_type, dps, unit from official_measures")}
        loaded_only = conn.execute("select measures_filter from official_snapshot").fetchone()
        if loaded_only and loaded_only[0]:  # a load of some measures: the others have no values here
            self.measures = {k: row for k, row in self.measures.items() if k in set(loaded_only[0].split(","))}
        self.areas = {row[0]: row[1:] for row in conn.execute(
            "select la_number, name, region_number from official_authorities")}
        self._neighbours: dict[int, list[int]] = {}
        for la, neighbour in conn.execute("select la_number, neighbour from official_neighbours order by rank"):
            self._neighbours.setdefault(la, []).append(neighbour)
        # Read once: a measure's values on first use, and each (id, authority, period) looked up, so an
        # export of many records costs a dict lookup a record.
        self._values: dict[str, dict[tuple[int, str], tuple[float | None, str | None]]] = {}
        self._met: dict[tuple[str | None, str | None, str | None], OfficialFigures | None] = {}
        self._rows: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.ids = frozenset(i.id for i in catalogue().values() if i.lait in self.measures)  # ids that can meet one

    def _figure(self, measure: str, la_number: int | None, year: str) -> Figure | None:
        if la_number is None:
            return None
        values = self._values.get(measure)
        if values is None:
            values = self._values[measure] = {(row[0], row[1]): (row[2], row[3]) for row in self.store.db.conn.execute(
                "select la_number, year, value, mark from official_values where measure = ?", (measure,))}
        found = values.get((la_number, year))
        if found is None:
            return None
        return Figure(self.areas.get(la_number, (str(la_number),))[0], la_number, found[0], found[1])

    def year_of(self, indicator_id: str | None, period: str | None) -> tuple[str, str] | None:
        """(measure, LAIT year) a record's id and period meet, or None."""
        indicator = catalogue().get(indicator_id or "")
        if indicator is None or not indicator.lait or indicator.lait not in self.measures:
            return None
        year = published_year(period, self.measures[indicator.lait][0])
        return (indicator.lait, year) if year else None

    def figures(self, indicator_id: str | None, authority: str | None, period: str | None) -> OfficialFigures | None:
        """The published figures beside a record, or None when its id, period or the loaded data meet no year."""
        key = (indicator_id, authority, period)
        if key not in self._met:
            self._met[key] = self._figures(indicator_id, authority, period)
        return self._met[key]

    def _figures(self, indicator_id: str | None, authority: str | None, period: str | None) -> OfficialFigures | None:
        met = self.year_of(indicator_id, period) if self.loaded else None
        if met is None:
            return None
        measure, year = met
        _, dps, _ = self.measures[measure]
        resolved = resolve_authority(authority)
        number = resolved.la_number if resolved else None
        mine = self._figure(measure, number, year)
        region_number = self.areas.get(number, (None, None))[1] if number else None
        neighbours = self._neighbours.get(number, []) if number else []
        values = [f.value for f in (self._figure(measure, n, year) for n in neighbours) if f and f.value is not None]
        note = None
        if resolved is None:
            note = (f"{authority!r} is not an authority of LAIT's list" if authority
                    else "the document names no authority")
        elif mine is None:
            note = f"LAIT publishes no {measure} figure for {resolved.name} in {year}"
        return OfficialFigures(
            indicator_id=indicator_id or "", measure=measure, period=period or "", year=year,
            unit=catalogue()[indicator_id or ""].unit, dps=dps, la_number=number, authority=mine,
            england=self._figure(measure, 970, year), region=self._figure(measure, region_number, year),
            neighbours_mean=sum(values) / len(values) if values else None, neighbours_with_figure=len(values),
            neighbours=len(neighbours), snapshot=self.snapshot, note=note)

    def _places(self, figures: OfficialFigures) -> int | None:
        """Decimals the neighbours' mean is compared at: the most any published value of the measure shows."""
        shown = [f for f in (figures.authority, figures.england, figures.region) if f and f.value is not None]
        return max((_decimals(f.value) for f in shown), default=None)

    def check(self, stated: float, figures: OfficialFigures, subject: str) -> tuple[str, float | None, str | None]:
        """(status, published value, mark) of a printed figure against the published one for subject."""
        count = figures.unit == "count"
        if subject == "neighbours":
            if figures.neighbours_mean is None:
                return "not_published", None, None
            ok = agrees(stated, figures.neighbours_mean, dps=figures.dps, count=False, places=self._places(figures))
            return ("agrees" if ok else "mismatch"), figures.neighbours_mean, None
        figure = {"authority": figures.authority, "england": figures.england, "region": figures.region}[subject]
        if subject == "authority" and figures.la_number is None:
            return "unresolved_authority", None, None
        if figure is None:
            return "not_published", None, None
        if figure.value is None:
            return "suppressed", None, figure.mark
        ok = agrees(stated, figure.value, dps=figures.dps, count=count)
        return ("agrees" if ok else "mismatch"), figure.value, None

    def columns(self, indicator_id: str | None, authority: str | None, period: str | None,
                value: float | None) -> dict[str, Any]:
        """A record's official columns (OFFICIAL_COLUMNS), None where nothing is published beside it."""
        key = (indicator_id, authority, period, value)
        if key not in self._rows:  # remembered: the rounding check costs more than a dict lookup
            self._rows[key] = self._columns(indicator_id, authority, period, value)
        return self._rows[key]

    def _columns(self, indicator_id: str | None, authority: str | None, period: str | None,
                 value: float | None) -> dict[str, Any]:
        figures = self.figures(indicator_id, authority, period)
        row: dict[str, Any] = dict.fromkeys(OFFICIAL_COLUMNS)
        if figures is None:
            return row
        mine, england, region, mean = figures.authority, figures.england, figures.region, figures.neighbours_mean
        row.update(official_year=figures.year, official_measure=figures.measure,  # numbers as printed: 502, not 502.0
                   official_value=number(mine.value) if mine else None, official_mark=mine.mark if mine else None,
                   official_england=number(england.value) if england else None,
                   official_region=number(region.value) if region else None,
                   official_neighbours=None if mean is None else number(round(mean, 3)),
                   official_neighbours_with_figure=figures.neighbours_with_figure if figures.neighbours else None,
                   official_snapshot=figures.snapshot)
        status = self.check(value, figures, "authority")[0] if value is not None else None
        if status in ("agrees", "mismatch"):  # else nothing to compare with: neither flag
            row["official_mismatch"] = status == "mismatch"
        return row


    def mismatch(self, value: float | None, figures: OfficialFigures | None) -> str | None:
        """'minutes 612; published 502 (LACnum, 2024)' when a record's value differs from the published one."""
        if value is None or figures is None or self.check(float(value), figures, "authority")[0] != "mismatch":
            return None
        published = figures.authority.shown() if figures.authority else ""
        return f"minutes {_plain(float(value))}; published {published} ({figures.measure}, {figures.year})"


def neighbours_shown(figures: OfficialFigures) -> str:
    """The neighbours' mean as shown beside a record: one decimal more than published (the dictionary's dps)."""
    if figures.neighbours_mean is None:
        return "none published"
    return _plain(round(figures.neighbours_mean, (figures.dps if figures.dps is not None else 1) + 1))


def official_line(figures: OfficialFigures) -> str:
    """One line of the published figures: 'official: 58 (2024); England 70; region 72.5; neighbours 66.1 (10 of 10)'."""
    if figures.la_number is None:
        first = f"official ({figures.year}): {figures.note}"
    else:
        first = f"official: {figures.authority.shown() if figures.authority else 'not published'} ({figures.year})"
    parts = [first]
    if figures.england:
        parts.append(f"England {figures.england.shown()}")
    if figures.region:
        parts.append(f"region {figures.region.shown()}")
    if figures.neighbours:
        parts.append(f"neighbours {neighbours_shown(figures)} "
                     f"({figures.neighbours_with_figure} of {figures.neighbours})")
    return "; ".join(parts)



def official_figures(store: Store, indicator_id: str | None, authority: str | None,
                     period: str | None) -> OfficialFigures | None:
    """The published figures beside one record (its id, its document's authority, its period), or None."""
    return OfficialLookup(store).figures(indicator_id, authority, period)


def official_check(store: Store) -> list[Check]:
    """Every record (and printed England, region or neighbours comparison) that meets a published year, checked."""
    lookup = OfficialLookup(store)
    if not lookup.loaded:
        return []
    ids = [i.id for i in catalogue().values() if i.lait]
    rows = store.db.conn.execute(
        "select record_id, document, authority, indicator_id, period, value, comparisons from kpis "
        f"where indicator_id in ({', '.join('?' * len(ids))}) order by document, path, start, record_id", ids)
    checks = []
    for record_id, document, authority, indicator_id, period, value, comparisons in rows:
        wanted = []
        if value is not None:
            wanted.append(("authority", period, value))
        for comparison in json.loads(comparisons or "[]"):
            subject = BENCHMARKS.get(comparison.get("basis"))
            if subject and comparison.get("value") is not None:
                wanted.append((subject, comparison.get("period") or period, comparison["value"]))
        for subject, when, stated in wanted:
            figures = lookup.figures(indicator_id, authority, when)
            if figures is None:
                continue
            status, published, mark = lookup.check(float(stated), figures, subject)
            checks.append(Check(
                record_id=record_id, document=document, authority=authority, indicator_id=indicator_id,
                measure=figures.measure, period=when, year=figures.year, subject=subject, stated=float(stated),
                published=published, mark=mark, status=status, note=_note(status, figures, subject, mark),
                neighbours_with_figure=figures.neighbours_with_figure if subject == "neighbours" else None))
    return checks


def _note(status: str, figures: OfficialFigures, subject: str, mark: str | None) -> str:
    where = {"authority": "the authority", "england": "England", "region": "the region",
             "neighbours": f"the mean of {figures.neighbours_with_figure} of {figures.neighbours} neighbours"}[subject]
    return {
        "agrees": f"the published {figures.year} figure for {where}, at the precision printed",
        "mismatch": f"differs from the published {figures.year} figure for {where} beyond rounding "
                    f"(minutes may quote a provisional or in-year figure)",
        "suppressed": f"DfE suppressed the {figures.year} figure for {where} (mark {mark!r})",
        "not_published": f"no published {figures.year} figure for {where}",
        "unresolved_authority": figures.note or "the authority is not in LAIT's list",
    }[status]


def official_rows(store: Store, indicator_id: str, periods: Iterable[str | None],
                  authorities: Iterable[str | None] = ()) -> list[dict[str, Any]]:
    """Official benchmark rows for compare: England's, and each authority's region and neighbours' mean, per period.

    Each row: label, kind (england, region, neighbours), area, period, year, value, mark,
    neighbours_with_figure, official (True), snapshot. Periods that meet no published year give none.
    """
    lookup = OfficialLookup(store)
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    names = list(dict.fromkeys(authorities)) or [None]
    for period in dict.fromkeys(periods):
        for authority in names:
            figures = lookup.figures(indicator_id, authority, period)
            if figures is None:
                continue
            found = [("england", "England", figures.england)]
            if figures.la_number is not None:
                found.append(("region", figures.region.area if figures.region else "region", figures.region))
            for kind, area, figure in found:
                if figure is not None and (kind, area, figures.year) not in seen:
                    seen.add((kind, area, figures.year))
                    rows.append({"label": f"{area} (official)", "kind": kind, "area": area, "period": period,
                                 "year": figures.year, "value": figure.value, "mark": figure.mark,
                                 "neighbours_with_figure": None, "official": True, "snapshot": figures.snapshot})
            if figures.la_number is not None and figures.neighbours:
                name = resolve_authority(authority).name  # resolved above, since la_number is set
                rows.append({"label": f"{name}'s statistical neighbours (official)", "kind": "neighbours",
                             "area": name, "period": period, "year": figures.year, "value": figures.neighbours_mean,
                             "mark": None, "neighbours_with_figure": figures.neighbours_with_figure,
                             "official": True, "snapshot": figures.snapshot})
    return rows


def snapshot_info(store: Store) -> dict[str, Any] | None:
    """The loaded snapshot (source, date, commit, when loaded, counts), or None when none is loaded."""
    rows = list(store.db.query("select source, snapshot_date, snapshot_commit, loaded_at, measures_filter, measures, "
                               "\"values\", authorities from official_snapshot"))
    return rows[0] if rows else None
