"""The review page: one self-contained HTML file with every record highlighted in its source.

No network and no external files: the styles and the script are inline, so the page works from
file:// and can be mailed. Every piece of document text is escaped; nothing from a document
reaches the page as markup.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from typing import Any

from . import review_edit
from .exports import number
from .indicators import catalogue
from .store import Store
from .views import dropped_note

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{position:sticky;top:0;z-index:2;background:#1d3557;color:#fff;padding:.6em 1em;display:flex;gap:1em;
 align-items:center;flex-wrap:wrap}
header h1{font-size:1.1em;margin:0}
header input{font:inherit;padding:.3em .5em;min-width:18em;border-radius:4px;border:0}
header small{opacity:.8}
nav{padding:.5em 1em;background:#eef1f5}
nav a{margin-right:1em}
section.doc{margin:1em;padding:1em;background:#fff;border:1px solid #ddd;border-radius:6px}
section.doc h2{margin:.1em 0;font-size:1.15em}
.meta{color:#555;margin:.2em 0 .6em}
.warn{color:#8a4b00;background:#fff3d6;padding:.3em .6em;border-radius:4px;display:inline-block}
.panes{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1em}
.records{border-collapse:collapse;width:100%;font-size:13px}
.records th,.records td{border-bottom:1px solid #e4e4e4;padding:.25em .4em;text-align:left;vertical-align:top}
.records thead th{position:sticky;top:0;background:#fff;z-index:1}
.records tbody tr{cursor:pointer}
.records tbody tr:hover{background:#f2f6fb}
.records tr.active{background:#ffe58a !important;outline:2px solid #c99a00}
.records tr.suspect td.value::after{content:" \\26a0 suspect";color:#b00020;font-weight:600}
.records tr.unplaced td.indicator::after{content:" (evidence not located)";color:#b00020}
.records .canonical{display:block;color:#1d5e3a;font-size:12px;margin-top:.15em}
.records .canonical::before{content:"\\2192  "}
.records .official{display:block;color:#3d4b5c;font-size:12px;margin-top:.15em}
.records .mismatch{display:inline-block;margin-top:.2em;padding:0 .4em;border-radius:3px;background:#b3261e;color:#fff;
 font-size:11.5px;font-weight:600}
.scroll{max-height:78vh;overflow:auto;position:relative}
.text{white-space:pre-wrap;font:13px/1.5 ui-monospace,monospace;border:1px solid #e4e4e4;padding:.6em;
 background:#fcfcfc}
mark{background:#d8ebff;cursor:pointer;border-radius:2px}
mark.suspect{background:#ffd6dc}
mark.active{background:#ffd23f;outline:2px solid #c99a00}
.failed{background:#fff0f0;border-color:#e0a0a0}
.hidden{display:none}
@media (max-width:900px){.panes{grid-template-columns:1fr}}
"""

_SCRIPT = """
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.rec'));
  var current = null;
  function select(row, scrollText) {
    document.querySelectorAll('.active').forEach(function (e) { e.classList.remove('active'); });
    current = row;
    if (!row) return;
    row.classList.add('active');
    var marks = document.querySelectorAll('mark[data-r~="' + row.dataset.r + '"]');
    marks.forEach(function (m) { m.classList.add('active'); });
    var section = row.closest('section');
    var box = section.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight / 2) {
      window.scrollBy(0, box.top - document.querySelector('header').offsetHeight - 8);
    }
    reveal(row, false);
    if (marks.length && scrollText !== false) reveal(marks[0], true);
  }
  // Scroll an element's own pane (not the window) so the element shows: centred, or just into view.
  function reveal(element, centre) {
    var pane = element.closest('.scroll');
    var inside = element.getBoundingClientRect(), frame = pane.getBoundingClientRect();
    if (centre) {
      pane.scrollTop += inside.top - frame.top - (frame.height - inside.height) / 2;
    } else if (inside.top < frame.top + 30 || inside.bottom > frame.bottom) {
      pane.scrollTop += inside.top - frame.top - 30;
    }
  }
  rows.forEach(function (row) {
    row.addEventListener('click', function () { select(row); });
  });
  document.querySelectorAll('mark').forEach(function (mark) {
    mark.addEventListener('click', function () {
      var id = mark.dataset.r.split(' ')[0];
      select(document.querySelector('tr.rec[data-r="' + id + '"]'), false);
    });
  });
  var filter = document.getElementById('filter');
  var count = document.getElementById('count');
  function visible() { return rows.filter(function (r) { return !r.classList.contains('hidden'); }); }
  // What the filter matches: a row's text (the council's wording, the canonical name, ...) and its canonical id.
  var said = rows.map(function (row) { return (row.textContent + ' ' + (row.dataset.i || '')).toLowerCase(); });
  function applyFilter() {
    var words = filter.value.toLowerCase().trim();
    rows.forEach(function (row, at) {
      row.classList.toggle('hidden', words !== '' && said[at].indexOf(words) < 0);
    });
    count.textContent = visible().length + ' of ' + rows.length + ' records';
  }
  filter.addEventListener('input', applyFilter);
  applyFilter();
  document.addEventListener('keydown', function (event) {
    if (event.target === filter || (event.key !== 'j' && event.key !== 'k')) return;
    var shown = visible();
    if (!shown.length) return;
    var at = shown.indexOf(current);
    var next = event.key === 'j' ? Math.min(at + 1, shown.length - 1) : Math.max(at - 1, 0);
    select(shown[at < 0 ? 0 : next]);
    event.preventDefault();
  });
})();
"""

_COLUMNS = ("indicator", "value", "unit", "period", "comparisons", "target met", "trend", "page")


def render_review(store: Store, *, document: str | None = None) -> str:
    """The review page for every stored document (or one, by name or path), and the failures."""
    from .official import OfficialLookup

    documents = store.stored_documents(document)
    official = OfficialLookup(store)
    failures = _still_failing(store, {d["path"] for d in store.documents()}, document)
    parts = [f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
             f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
             f"<title>kpi-extract review</title><style>{_STYLE}{review_edit.style()}</style></head>"
             f"<body{review_edit.body_attributes(store.path)}>",
             "<header><h1>kpi-extract review</h1>"
             "<input id='filter' type='search' placeholder='Filter by words or indicator id' "
             "aria-label='Filter records'>"
             "<span id='count'></span><small>click a record or a highlight; j / k: next / previous record</small>"
             f"{review_edit.toolbar()}</header>"]
    shared = Counter(d["name"] for d in documents)  # a name two files share: their paths tell them apart
    names = [escape(d["name"] if shared[d["name"]] == 1 else d["path"] or d["name"]) for d in documents]
    parts.append("<nav>" + "".join(f"<a href='#doc-{i}'>{name}</a>" for i, name in enumerate(names))
                 + (f"<a href='#failed'>{len(failures)} failed</a>" if failures else "") + "</nav>")
    for index, stored in enumerate(documents):
        parts.append(_document_section(index, stored, store.records_of(stored["id"]), names[index], official))
    if failures:
        parts.append(_failures_section(failures))
    if not documents and not failures:
        parts.append("<section class='doc'><p>No documents stored yet: run <code>kpi-extract run</code>.</p></section>")
    parts.append(f"<script>{_SCRIPT}</script><script>{review_edit.script()}</script></body></html>\n")
    return "".join(parts)


def _document_section(index: int, stored: dict[str, Any], records: list[dict[str, Any]], title: str,
                      official: Any = None) -> str:
    meta = json.loads(stored["meta"] or "{}")
    facts = [escape(str(meta[key])) for key in ("authority", "committee", "meeting_date", "report_period")
             if meta.get(key)]
    if stored.get("url"):
        facts.append(f"<a href='{escape(stored['url'], quote=True)}' rel='noopener noreferrer'>source</a>")
    facts.append(f"<code>{escape(stored['path'] or stored['name'])}</code>")
    warnings = ""
    if stored.get("ocr_pages"):
        pages = ", ".join(str(page) for page in json.loads(stored["ocr_pages"]))
        warnings += (f"<p class='warn'>Read by OCR (a scan): page(s) {pages}. Check the figures of records "
                     f"marked OCR against the PDF.</p>")
    if stored.get("glyphs"):
        warnings += (f"<p class='warn'>{stored['glyphs']} glyph(s) without a Unicode mapping were read as "
                     f"bullets or dropped.</p>")
    dropped = dropped_note(stored, len(records))
    if dropped:
        warnings += f"<p class='warn'>{escape(dropped[0].upper() + dropped[1:])}.</p>"
    elif not records:
        warnings += "<p class='warn'>No records found in this document.</p>"
    rows = "".join(_record_row(index, number_, record, _official(official, meta.get("authority"), record))
                   for number_, record in enumerate(records))
    head = "".join(f"<th>{column}</th>" for column in _COLUMNS)
    return (f"<section class='doc' id='doc-{index}'{review_edit.section_attributes(stored)}><h2>{title}</h2>"
            f"<p class='meta'>{' &middot; '.join(facts)}</p>{warnings}<div class='panes'>"
            f"<div class='scroll'><table class='records'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            f"</div><div class='scroll text'>{_highlighted(index, stored['text'], records)}</div></div></section>")


def _record_id(document: int, record: int) -> str:
    return f"d{document}r{record}"


def _record_row(document: int, index: int, record: dict[str, Any], official: str = "") -> str:
    classes = ["rec"]
    if record["suspect"]:
        classes.append("suspect")
    if record["start"] is None:
        classes.append("unplaced")
    if record.get("ocr"):
        classes.append("ocr")
    comparisons = "; ".join(_comparison(c) for c in json.loads(record["comparisons"] or "[]"))
    target = {None: "", 1: "met", 0: "missed"}[record["target_met"]]
    cells = [_value(record["value"]), record["unit"] or "", record["period"] or "", comparisons,
             target, record["trend"] or "", _page(record)]
    indicator_id = record.get("indicator_id")
    return (f"<tr class='{' '.join(classes)}' data-r='{_record_id(document, index)}' tabindex='0' "
            + review_edit.row_attributes(record)
            + (f"data-i='{escape(indicator_id, quote=True)}' " if indicator_id else "")
            + f"title='{escape(record['evidence'], quote=True)}'>"
            + f"<td class='indicator'>{escape(record['indicator'])}{_canonical(indicator_id)}{official}</td>"
            + "".join(f"<td class='{name.split()[0]}'>{escape(str(cell))}</td>"
                      for name, cell in zip(_COLUMNS[1:], cells, strict=True)) + "</tr>")


def _official(lookup: Any, authority: str | None, record: dict[str, Any]) -> str:
    """DfE's published figures under a record (official.OfficialLookup), and a marker with both figures when
    its value differs from the published one; nothing when none is loaded or none meets the record."""
    if lookup is None or not lookup.loaded or not record.get("indicator_id"):
        return ""
    from .official import official_line

    figures = lookup.figures(record["indicator_id"], authority, record["period"])
    if figures is None:
        return ""
    about = f"DfE's published figures ({figures.measure}, {figures.year}); {figures.snapshot}"
    html = (f"<span class='official' title='{escape(about, quote=True)}'>"
            f"{escape(official_line(figures))}</span>")
    mismatch = lookup.mismatch(record["value"], figures)
    if mismatch:
        html += (f"<span class='mismatch' title='{escape(f'official_mismatch: {mismatch}', quote=True)}'>"
                 f"\u2260 published {escape(figures.authority.shown() if figures.authority else '')}</span>")
    return html


def _canonical(indicator_id: str | None) -> str:
    """The canonical measure's name under the council's wording, its id and polarity in the tooltip; nothing
    for an unmapped record."""
    if not indicator_id:
        return ""
    known = catalogue().get(indicator_id)
    name = known.name if known else indicator_id
    about = known.polarity.replace("_", " ") if known else "not in this version of the catalogue"
    return (f" <span class='canonical' title='{escape(f'{indicator_id} ({about})', quote=True)}'>"
            f"{escape(name)}</span>")


def _page(record: dict[str, Any]) -> str:
    page = f"page {record['page']}" if record.get("page") else ""
    return f"{page} (OCR)" if record.get("ocr") else page


def _value(value: Any) -> str:
    return "" if value is None else str(number(value))


def _comparison(comparison: dict[str, Any]) -> str:
    said = [comparison["basis"].replace("_", " ")]
    if comparison.get("value") is not None:
        said.append(str(number(comparison["value"])))
    if comparison.get("change") is not None:
        said.append(f"change {number(comparison['change']):+g}")
    if comparison.get("period"):
        said.append(f"({comparison['period']})")
    return " ".join(said)


def _highlighted(document: int, text: str, records: list[dict[str, Any]]) -> str:
    """The text escaped, each record's evidence in <mark>s naming the records that cover it (records
    sharing a sentence share its marks)."""
    starts: dict[int, list[tuple[int, str, bool]]] = {}
    for i, r in enumerate(records):
        if r["start"] is not None and r["end"] is not None and r["end"] > r["start"]:
            starts.setdefault(r["start"], []).append((r["end"], _record_id(document, i), bool(r["suspect"])))
    cuts = sorted({0, len(text), *starts, *(end for spans in starts.values() for end, _, _ in spans)})
    active: list[tuple[int, str, bool]] = []  # the spans covering the current piece (a sweep: linear in cuts)
    out = []
    for begin, end in zip(cuts, cuts[1:], strict=False):
        active = [span for span in active if span[0] > begin] + starts.get(begin, [])
        piece = escape(text[begin:end])
        if active:
            suspect = " suspect" if any(flag for _, _, flag in active) else ""
            piece = f"<mark class='ev{suspect}' data-r='{' '.join(rid for _, rid, _ in active)}'>{piece}</mark>"
        out.append(piece)
    return "".join(out)


def _still_failing(store: Store, stored_paths: set[str], document: str | None) -> list[dict[str, Any]]:
    """The newest failure of each file not stored since (a file that failed once and then went
    through is not failed); only those of one document when asked."""
    newest: dict[str, dict[str, Any]] = {}
    for failure in store.failures():  # newest first
        path = failure["document"]
        if path not in stored_paths and path not in newest and (
                document is None or path == document or path.endswith(f"/{document}")):
            newest[path] = failure
    return list(newest.values())


def _failures_section(failures: list[dict[str, Any]]) -> str:
    rows = "".join(f"<tr><td><code>{escape(f['document'])}</code></td><td>{escape(f['stage'])}</td>"
                   f"<td>{escape(f['error'])}</td><td>{escape(f['at'])}</td></tr>" for f in failures)
    return (f"<section class='doc failed' id='failed'><h2>{len(failures)} failed document(s)</h2>"
            f"<table class='records'><thead><tr><th>document</th><th>stage</th><th>error</th><th>at</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></section>")
