"""The comparison page: one self-contained HTML file with the table and an SVG chart drawn here.

No network, no script library and no external files: styles are inline, the chart is SVG written
by Python, and a point or a cell links to its evidence on the same page (the panel shows by CSS
:target, so the page works from file:// with scripts off). Every text from the store is escaped.
"""

from __future__ import annotations

import math
from html import escape

from . import __version__
from .compare import (
    ARROWS,
    NOT_STATED,
    OFFICIAL,
    Cell,
    Comparison,
    Row,
    Source,
    describe_change,
    format_value,
    row_title,
)

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#9c755f", "#edc948", "#ff9da7",
           "#bab0ac")
ENGLAND = "#222222"
_DASH = {"minutes": " stroke-dasharray='6 4'", OFFICIAL: " stroke-dasharray='2 3'"}  # benchmark lines, by source
MARKS = {"better": ("✓", "#1a7f37"), "worse": ("✗", "#c62828"), "same": ("=", "#6b6b6b")}
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 760, 360, 70, 20, 24, 74

_STYLE = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:.8em 1.2em}
header h1{font-size:1.25em;margin:0}
header p{margin:.2em 0 0;opacity:.85}
main{display:grid;grid-template-columns:minmax(0,1fr) 24em;gap:1.2em;padding:1.2em;align-items:start}
.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:1em;margin-bottom:1.2em}
h2{font-size:1.05em;margin:0 0 .6em}
svg{width:100%;height:auto;display:block}
svg text{font:12px system-ui,sans-serif;fill:#444}
svg .grid{stroke:#e6e8eb}
svg .axis{stroke:#888}
svg .hit{fill:transparent}
svg .mark{pointer-events:none}
svg a:focus .dot,svg a:hover .dot{stroke:#000;stroke-width:2}
svg a:target .dot{stroke:#000;stroke-width:3}
.legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;margin:.6em 0 0;padding:0;list-style:none;font-size:13px}
.legend svg{width:28px;height:12px;display:inline;vertical-align:middle}
.marks{color:#444;font-size:13px;margin:.4em 0 0}
.mk-better{color:#1a7f37}.mk-worse{color:#c62828}.mk-same{color:#6b6b6b}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e6e8eb;padding:.35em .6em;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
thead th{background:#f0f3f7;position:sticky;top:0}
tr.bench td:first-child{color:#555;font-style:italic}
tr.bench td:first-child small{font-style:normal;background:#eef1f5;border-radius:3px;padding:0 .3em;margin-left:.3em}
tr.official td{background:#f4f8f4}
tr.official td:first-child{color:#2f5d3a;box-shadow:inset 3px 0 #4f8a5b}
.src.official{border-left-color:#4f8a5b}
.src.official p{margin:.2em 0 .4em}
td a{color:inherit;text-decoration:none;border-bottom:1px dotted #999}
td a:hover{background:#eef4ff}
td.better a{color:#1a7f37}td.worse a{color:#c62828}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.4em;vertical-align:-1px}
.notes{color:#555;margin:.6em 0 0;padding-left:1.2em}
aside{position:sticky;top:1em}
.ev{display:none}
.ev:target{display:block}
aside:has(.ev:target) .hint{display:none}
.hint{color:#666}
.ev h3{font-size:1em;margin:0 0 .3em}
.ev .change{color:#444;margin:0 0 .5em}
.src{border-left:3px solid #c9d3df;padding:.2em .7em;margin:.6em 0}
.src.shown{border-left-color:#1d3557}
.src blockquote{margin:.3em 0;font-style:italic}
.src dl{display:grid;grid-template-columns:auto 1fr;gap:0 .6em;margin:0;font-size:12.5px;color:#444}
.src dt{color:#777}.src dd{margin:0;overflow-wrap:anywhere}
.badge{font-size:11px;background:#1d3557;color:#fff;border-radius:3px;padding:0 .35em}
footer{color:#777;font-size:12px;padding:0 1.2em 1.2em}
@media (max-width:1000px){main{grid-template-columns:1fr}aside{position:static}}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _cell_id(row: int, period: int) -> str:
    return f"c-{row}-{period}"


def _drawn(row: Row) -> bool:
    """Whether a row has a point in the chart (a figure with a stated period)."""
    return any(period is not None and cell.value is not None for period, cell in row.cells.items())


def _colours(result: Comparison) -> list[str]:
    """Each row's colour: drawn authorities in palette order, a benchmark its quoting authority's (England dark)."""
    by_authority: dict[str | None, str] = {}
    for row in result.rows:
        if row.kind == "authority" and _drawn(row):
            by_authority[row.authority] = PALETTE[len(by_authority) % len(PALETTE)]
    return [ENGLAND if row.kind == "benchmark" and row.basis == "national" else by_authority.get(row.authority, ENGLAND)
            for row in result.rows]


def _scale(values: list[float]) -> tuple[float, float, float]:
    """A y range from 0 (or below, for negatives) to a round figure above the top value, and its tick step."""
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        high = low + 1
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _point_title(result: Comparison, row: Row, cell: Cell) -> str:
    change = describe_change(cell, result.indicator)
    several = f"; {len(cell.sources)} records" if len(cell.sources) > 1 else ""
    return f"{row.label}, {cell.period}: {cell.text}" + (f"; {change}" if change else "") + several


def chart(result: Comparison) -> str:
    """The SVG chart: one series per row over the dated periods, each point linked to its evidence."""
    dated = [p for p in result.periods if p is not None]
    values = [float(c.value) for r in result.rows for p, c in r.cells.items() if p is not None and c.value is not None]
    if not dated or not values:
        return "<p class='hint'>No figure has a stated period, so there is nothing to draw over time.</p>"
    low, high, step = _scale(values)
    unit = result.indicator.unit
    ticks = [low + n * step for n in range(int(round((high - low) / step)) + 1)]
    labels = [format_value(round(tick, 10), unit) for tick in ticks]
    left = max(LEFT, 16 + 7 * max(len(label) for label in labels))  # room for '100 per 10,000'
    width = max(WIDTH, left + RIGHT + 70 * len(dated))
    slanted = len(dated) > 8  # many periods: labels turned so they do not overlap
    height = HEIGHT if slanted else HEIGHT - BOTTOM + 34
    plot_w, plot_h = width - left - RIGHT, height - TOP - (BOTTOM if slanted else 34)
    x = {p: left + (i + 0.5) * plot_w / len(dated) for i, p in enumerate(dated)}

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    title = f"{result.indicator.name}: each authority's stored values over time"
    parts = [f"<svg viewBox='0 0 {width} {height}' role='img' aria-labelledby='chart-title'>"
             f"<title id='chart-title'>{_e(title)}</title>"]
    for tick, label in zip(ticks, labels, strict=True):
        parts.append(f"<line class='grid' x1='{left}' x2='{width - RIGHT}' y1='{y(tick):.1f}' y2='{y(tick):.1f}'/>"
                     f"<text x='{left - 8}' y='{y(tick) + 4:.1f}' text-anchor='end'>{_e(label)}</text>")
    parts.append(f"<line class='axis' x1='{left}' x2='{width - RIGHT}' y1='{TOP + plot_h}' y2='{TOP + plot_h}'/>")
    for period, at in x.items():
        turn = f"text-anchor='end' transform='rotate(-35 {at:.1f} {TOP + plot_h + 16})'" if slanted else \
            "text-anchor='middle'"
        parts.append(f"<text x='{at:.1f}' y='{TOP + plot_h + 16}' {turn}>{_e(period)}</text>")
    colours = _colours(result)
    columns = {p: i for i, p in enumerate(result.periods)}
    for n, row in enumerate(result.rows):
        points = [(p, cell, float(cell.value)) for p in dated
                  if (cell := row.cells.get(p)) is not None and cell.value is not None]
        if not points:
            continue
        official = row.source == OFFICIAL
        dash = _DASH[row.source] if row.kind == "benchmark" else ""
        line = " ".join(f"{x[p]:.1f},{y(v):.1f}" for p, _, v in points)
        parts.append(f"<g class='series {row.kind}{' official' if official else ''}' data-row='{_e(row.label)}'>"
                     f"<polyline points='{line}' fill='none' stroke='{colours[n]}' stroke-width='2.2'{dash}/>")
        for period, cell, value in points:
            cx, cy = x[period], y(value)
            fill = "#fff" if row.kind == "benchmark" else colours[n]
            label = _point_title(result, row, cell)
            parts.append(f"<a href='#{_cell_id(n, columns[period])}' class='pt {cell.judgement or ''}' "
                         f"aria-label='{_e(label)}'><title>{_e(label)}</title>"
                         f"<circle class='hit' cx='{cx:.1f}' cy='{cy:.1f}' r='12'/>")
            if cell.judgement:
                glyph, colour = MARKS[cell.judgement]
                parts.append(f"<circle class='mark' cx='{cx:.1f}' cy='{cy:.1f}' r='9' fill='none' stroke='{colour}' "
                             f"stroke-width='2'/><text class='mark' x='{cx + 9:.1f}' y='{cy - 9:.1f}' "
                             f"style='fill:{colour};font-weight:700'>{glyph}</text>")
            if official:  # a published figure: a square point
                parts.append(f"<rect class='dot' x='{cx - 4.5:.1f}' y='{cy - 4.5:.1f}' width='9' height='9' "
                             f"fill='{fill}' stroke='{colours[n]}' stroke-width='2'/></a>")
            else:
                parts.append(f"<circle class='dot' cx='{cx:.1f}' cy='{cy:.1f}' r='5' fill='{fill}' "
                             f"stroke='{colours[n]}' stroke-width='2'/></a>")
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _legend(result: Comparison) -> str:
    colours = _colours(result)
    items = []
    for row, colour in zip(result.rows, colours, strict=True):
        if not _drawn(row):
            continue
        dash = _DASH[row.source] if row.kind == "benchmark" else ""
        point = (f"<rect x='10' y='2' width='8' height='8' fill='#fff' stroke='{colour}' stroke-width='2'/>"
                 if row.source == OFFICIAL else "")
        items.append(f"<li class='{row.source}'><svg viewBox='0 0 28 12' aria-hidden='true'><line x1='1' x2='27' "
                     f"y1='6' y2='6' stroke='{colour}' stroke-width='2.5'{dash}/>{point}</svg> "
                     f"{_e(row_title(row))}</li>")
    polarity = result.indicator.polarity
    if polarity == "neutral":
        marks = "A neutral measure: a change is not judged better or worse."
    else:
        rule = polarity.replace("_", " ")
        marks = ("Against the authority's previous point (" + _e(rule) + "): "
                 + ", ".join(f"<span class='mk-{k}'>{g}</span> {k}" for k, (g, _) in MARKS.items()) + ".")
    if any(row.source == OFFICIAL and _drawn(row) for row in result.rows):
        marks += (" Dashed lines: figures the minutes quote; dotted lines with square points: DfE's published "
                  "figures (official), each point linked to its measure, year and snapshot.")
    return f"<ul class='legend'>{''.join(items)}</ul><p class='marks'>{marks}</p>"


def _table(result: Comparison) -> str:
    head = "".join(f"<th scope='col'>{_e(p or NOT_STATED)}</th>" for p in result.periods)
    first = "Authority" if all(row.kind == "authority" for row in result.rows) else "Authority or benchmark"
    colours = _colours(result)
    body = []
    for n, row in enumerate(result.rows):
        plain = row.kind == "authority" or row.source == OFFICIAL  # an official row's label says where it is from
        badge = "" if plain else f" <small>from the {_e(row.source)}</small>"
        swatch = (f"<span class='swatch' style='background:{colours[n]}' aria-hidden='true'></span>"
                  if row.kind == "authority" and _drawn(row) else "<span class='swatch'></span>")
        cells = []
        for m, period in enumerate(result.periods):
            cell = row.cells.get(period)
            if cell is None:
                cells.append("<td></td>")
                continue
            arrow = f" <span aria-hidden='true'>{ARROWS[cell.direction]}</span>" if cell.direction else ""
            star = "*" if len(cell.sources) > 1 else ""
            title = describe_change(cell, result.indicator) or "where this figure comes from"
            cells.append(f"<td class='{cell.judgement or ''}'><a href='#{_cell_id(n, m)}' title='{_e(title)}'>"
                         f"{_e(cell.text)}{arrow}{star}</a></td>")
        body.append(f"<tr class='{'bench' if row.kind == 'benchmark' else 'auth'}"
                    f"{' official' if row.source == OFFICIAL else ''}'>"
                    f"<td>{swatch}{_e(row.label)}{badge}</td>{''.join(cells)}</tr>")
    return (f"<table><thead><tr><th scope='col'>{first}</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _panels(result: Comparison) -> str:
    panels = []
    for n, row in enumerate(result.rows):
        for m, period in enumerate(result.periods):
            cell = row.cells.get(period)
            if cell is None:
                continue
            change = describe_change(cell, result.indicator)
            lines = [f"<div class='ev' id='{_cell_id(n, m)}'><h3>{_e(row_title(row))} · "
                     f"{_e(period or NOT_STATED)}: {_e(cell.text)}</h3>"]
            if change:
                lines.append(f"<p class='change'>{_e(change[0].upper() + change[1:])}.</p>")
            if len(cell.sources) > 1:
                differ = " They differ." if cell.disagree else ""
                lines.append(f"<p class='change'>{len(cell.sources)} records give this period; the latest "
                             f"meeting's is shown, then document order.{differ}</p>")
            for k, source in enumerate(cell.sources):
                if source.official:
                    lines.append(_official_source(source))
                    continue
                where = (f"<a href='{_e(source.url)}' rel='noreferrer'>{_e(source.document)}</a>" if source.url
                         else _e(source.document))
                facts = [("Document", where), ("Path", _e(source.path or "")), ("Page", _e(source.page or "")),
                         ("Meeting", _e(source.meeting_date or "not stated")), ("Value", _e(
                             format_value(source.value, source.unit)))]
                if row.kind == "benchmark":
                    facts.insert(0, ("Quoted by", _e(source.authority or "authority not stated")))
                facts_html = "".join(f"<dt>{a}</dt><dd>{b}</dd>" for a, b in facts if b)
                badge = "<span class='badge'>shown</span> " if k == 0 and len(cell.sources) > 1 else ""
                lines.append(f"<div class='src{' shown' if k == 0 else ''}'>{badge}"
                             f"<blockquote>{_e(source.evidence)}</blockquote><dl>{facts_html}</dl></div>")
            panels.append("".join(lines) + "</div>")
    return "".join(panels)


def _official_source(source: Source) -> str:
    """A published figure's explanation: what it is, its measure key, year, area and snapshot."""
    about = source.official
    facts = [("Published by", "DfE (Local Authority Interactive Tool)"), ("Measure", about["measure"]),
             ("Year", about["year"]), ("Area", about["area"]),
             ("Value", format_value(source.value, source.unit) or "suppressed"), ("Snapshot", about["snapshot"])]
    if about["area"].startswith("statistical neighbours"):
        facts.insert(4, ("Neighbours", f"{about['neighbours_with_figure']} of {about['neighbours']} with a figure"))
    facts_html = "".join(f"<dt>{_e(a)}</dt><dd>{_e(b)}</dd>" for a, b in facts)
    return f"<div class='src official'><p>{_e(source.evidence)}</p><dl>{facts_html}</dl></div>"


def _undated(result: Comparison) -> str:
    if None not in result.periods:
        return ""
    m = len(result.periods) - 1
    links = [f"<a href='#{_cell_id(n, m)}'>{_e(row.label)} {_e(row.cells[None].text)}</a>"
             for n, row in enumerate(result.rows) if None in row.cells]
    return f"<p class='marks'>Not in the chart (no period stated): {', '.join(links)}.</p>"


def render_comparison(result: Comparison) -> str:
    """The comparison as one self-contained HTML page: chart, table, and the evidence of every cell."""
    i = result.indicator
    authorities = sum(1 for row in result.rows if row.kind == "authority")
    records = len({s.record_id for row in result.rows for c in row.cells.values() for s in c.sources})
    notes = "".join(f"<li>{_e(note[0].upper() + note[1:])}</li>" for note in result.notes)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(i.name)} across councils</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{_e(i.name)}</h1><p>{_e(i.id)} · unit {_e(i.unit)} · {_e(i.polarity.replace('_', ' '))} · "
        f"{authorities} authorit{'y' if authorities == 1 else 'ies'} · {records} record(s)</p></header><main><div>"
        f"<section class='card'><h2>Over time</h2>{chart(result)}{_legend(result)}{_undated(result)}</section>"
        f"<section class='card'><h2>Side by side</h2>{_table(result)}"
        f"{f'<ul class=notes>{notes}</ul>' if notes else ''}</section></div>"
        f"<aside class='card' aria-live='polite'><h2>Evidence</h2><p class='hint'>Click a point or a cell to see the "
        f"sentence its figure comes from.</p>{_panels(result)}</aside></main>"
        f"<footer>Made by kpi-extract {_e(__version__)} from the stored records. Benchmark rows are the figures "
        f"the minutes quote beside their own; rows marked official are DfE's published figures."
        f"</footer></body></html>\n"
    )
