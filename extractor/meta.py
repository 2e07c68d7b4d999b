"""Document meta from the text itself: council, committee, meeting date, report period."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache
from importlib import resources

from .passages import FURNITURE_LINE
from .periods import bounds, financial_year, find_periods, quarter_of_range
from .schema import DocumentMeta

_COUNCIL = re.compile(
    r"\b((?:[A-Z][a-z]+(?:[ -](?:and|upon|on|with|of)?[ -]?[A-Z][a-z]+)*))[ \t]+"
    r"((?:Metropolitan[ \t]+)?(?:Borough[ \t]+|City[ \t]+|County[ \t]+|District[ \t]+)?)Council\b"
)
# A committee's name as printed: capitalised words joined by 'and', '&', 'of', commas, ending in its kind.
_NAME_WORD = r"(?:[A-Z][A-Za-z'\u2019-]*|and|&|of|for|on)"
_COMMITTEE = re.compile(
    rf"\b((?:{_NAME_WORD}(?:,[ \t]*|[ \t]+)){{0,9}}"
    r"(?:Sub-Committee|Committee|Panel|Board|Cabinet|Forum))\b"
    r"|\b((?:(?:[A-Z][A-Z'\u2019&-]+|AND|OF|FOR|ON|&)[ \t,]+){1,9}(?:SUB-COMMITTEE|COMMITTEE|PANEL|BOARD|CABINET))\b"
)
_ARTICLE = re.compile(r"^(?:(?:The|This|That|A|An|Each|Every|Our|Its|Their|Of|And|For|On|View|Agenda|Minutes?|"
                      r"Meeting|Report|Item|Joint|Members?|Chair|Chairman|Council|Councillors?|To|&)[ ,]+)+")
# National bodies named like committees, never the meeting's own committee.
_NOT_A_COMMITTEE = re.compile(r"^(?:Youth Justice Board|Local Government Board|Care Quality Commission)$", re.I)
_PREVIOUS = re.compile(r"(?:previous|last|earlier|next|future)\s+(?:meeting|minutes)|\bminutes\s+of\b", re.I)
# 'Minutes of the meeting held on 9 November 2021' heading the page dates this meeting, unless the
# sentence goes on to approve them: 'the minutes of the meeting held on 3 June were confirmed'.
_OWN_MINUTES = re.compile(r"minutes\s+of(?![^.\n]*\b(?:approv\w*|agreed|confirm\w*|signed|correct\s+record|"
                          r"true\s+record|accurate\s+record|matters\s+arising))", re.I)
_COMMITTEE_WINDOW = 1500
_DATE_WINDOW = 800
# 'performance ... as at the end of May 2012', 'data for 2020-21', 'Performance for the Year to the end of
# November 2016', 'summary of quarter three': a report's own period, named with what it reports.
_REPORTS = re.compile(
    r"\b(?:performance|data|dataset|report|reporting|dashboard|scorecard|figures|update|summary|summaries|"
    r"information|outturn|position|indicators|monitoring|progress)\b"
    r"(?:[^.;]{0,110}?\b(?:for|as\s+at|as\s+of|at|to|by|covering|covered|covers|during|in|from|of|ending|ended)\s+"
    r"(?:the\s+)?(?:period\s+)?(?:year\s+)?"
    r"(?:to\s+)?(?:the\s+)?(?:end\s+of\s+)?|[\s(:\u2013-]*)$",
    re.I,
)
_COMPARISON_WORDS = re.compile(r"compar|same\s+period|previous|last\s+year|than|published\s+(?:by|in)|inspect", re.I)
_TITLE_OF_PLAN = re.compile(r"\b(?:strategy|plan|budget|framework|programme|policy)\b", re.I)
_REPORT_KINDS = ("quarter", "fy", "range", "month")


@cache
def _authorities() -> tuple[tuple[str, bool], ...]:
    text = resources.files("extractor").joinpath("data/authorities.txt").read_text("utf-8")
    names = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.append((line.rstrip("*"), line.endswith("*")))
    return tuple(names)


@cache
def _bare_names() -> re.Pattern[str]:
    """One pattern for every authority that may be named without 'Council', longest names first."""
    names = sorted((name for name, needs_council in _authorities() if not needs_council), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")


def _content(text: str) -> str:
    """The text with page furniture (venue, contact, e-mail lines) blanked: a council named only in an
    address or an e-mail domain is not the authority (records.md: meta from the text's statements)."""
    return FURNITURE_LINE.sub(lambda line: " " * len(line.group(0)), text)


def detect_authority(text: str) -> str | None:
    """The council the minutes belong to: the most-named authority, 'X Council' first."""
    text = _content(text)
    known = {name for name, _ in _authorities()}
    # 'X Council' names X only when X is a known authority or the council type is printed:
    # 'Children's Council' or 'Youth Council' are forums, not the authority.
    named: Counter[str] = Counter()
    for m in _COUNCIL.finditer(text):
        words = m.group(1).split()
        typed = bool(m.group(2))
        while words and words[-1] in ("City", "Borough", "County", "District", "Metropolitan"):
            words.pop()  # 'Nottingham City Council': the type was read as part of the name
            typed = True
        # 'Nottinghamshire Police and Nottingham City Council' names Nottingham: the longest known tail.
        tail = next((" ".join(words[i:]) for i in range(len(words)) if " ".join(words[i:]) in known), None)
        if tail:
            named[tail] += 1
        elif words and typed and not _ARTICLE.match(" ".join(words) + " "):
            named[" ".join(words)] += 1
    councils = list(named)
    if councils:
        return max(councils, key=lambda name: named[name])
    counts: Counter[str] = Counter(m.group(0) for m in _bare_names().finditer(text))
    if not counts:
        return None
    best = max(counts.values())
    # Prefer the longest name among ties ('North Yorkshire' over 'York').
    return max((name for name, n in counts.items() if n == best), key=len)


def detect_committee(text: str) -> str | None:
    """The committee's name as printed, from the opening of the document."""
    head = text[:_COMMITTEE_WINDOW]
    for m in _COMMITTEE.finditer(head):
        name = " ".join((m.group(1) or m.group(2)).split()).strip(" ,")
        while True:  # 'Meeting of Overview & Scrutiny Committee' -> 'Overview & Scrutiny Committee'
            shorter = _ARTICLE.sub("", re.sub(r"^(?:(?:and|&|of|for|on)[ ,]+)+", "", name))
            if shorter == name:
                break
            name = shorter
        if _NOT_A_COMMITTEE.match(name):
            continue
        if len(name.split()) >= 2:
            return name
        if name in ("Cabinet", "CABINET"):
            return name
    return None


_SNAPSHOT_LEAD = re.compile(r"\b(?:as\s+(?:at|of)|at|by|until|up\s+to|to|ending|ended|end\s+of)\s+$", re.I)


def detect_meeting_date(text: str) -> str | None:
    """The meeting's own date, printed near the top, not a previous meeting's."""
    head = text[:_DATE_WINDOW]
    for period in find_periods(head):
        if period.kind != "date" or period.canonical is None:
            continue
        if _SNAPSHOT_LEAD.search(head[max(0, period.start - 30):period.start]):
            continue  # 'At 31 March 2023, 78% of ...', 'as at 30 June': the date a figure stands at
        sentence_start = max(head.rfind(".", 0, period.start - 1), head.rfind("\n\n", 0, period.start))
        rest = head[period.end:period.end + 150]
        if any(not _OWN_MINUTES.match(m.group(0) + rest)
               for m in _PREVIOUS.finditer(head[max(0, period.start - 150, sentence_start):period.start])):
            continue
        return period.canonical
    return None


def detect_report_period(text: str) -> str | None:
    """The period a performance report covers, the first of: a heading line naming one, a period named
    with what it reports ('performance as at the end of May 2012', 'data for 2020-21'); else a quarter
    named in a heading with the one financial year the text names; else the latest period it names."""
    content = text[:3000]
    periods = find_periods(content)
    meeting = detect_meeting_date(text)
    named = [p for p in periods if p.canonical and (p.kind in _REPORT_KINDS or p.kind == "date" and re.search(
        r"\b(?:ending|ended|as\s+at|as\s+of|up\s+to|to\s+the\s+end\s+of)\s+$", content[:p.start], re.I))]
    for period in named:
        line_lead = content[_line_start(content, period.start):period.start]
        lead = content[max(0, period.start - 160):period.start]
        if _TITLE_OF_PLAN.search(line_lead) or _COMPARISON_WORDS.search(lead[-50:]):
            continue
        heading = (period.start < _COMMITTEE_WINDOW and len(_line(content, period.start, period.end)) <= 120
                   and not re.search(r"\d\s*%|\(\s*$", line_lead))
        if heading and not _REPORTS.search(lead) and meeting and period.kind in ("month", "date") and \
                bounds(period.canonical)[0] <= date.fromisoformat(meeting) <= bounds(period.canonical)[1]:
            continue  # a heading dating the meeting ('Corporate Parenting Board - November 2021'): no report period
        if heading or _REPORTS.search(lead):
            return _with_quarter(period.canonical, periods, content)
    years = {p.canonical for p in periods if p.kind == "fy"}
    quarters = {p.part for p in periods if p.kind == "quarter_only" and p.part
                and len(_line(content, p.start, p.end)) <= 160}
    if len(years) == 1 and len(quarters) == 1:
        return f"{years.pop()} Q{quarters.pop()}"
    if not years and len(quarters) == 1 and meeting:
        # 'Children in Care Performance Q3' presented on 13/02/2020: the latest third quarter by then.
        day = date.fromisoformat(meeting)
        fy = financial_year(day)
        quarter = quarters.pop()
        label = f"{fy}/{(fy + 1) % 100:02d} Q{quarter}"
        return label if bounds(label)[1] <= day else f"{fy - 1}/{fy % 100:02d} Q{quarter}"
    return None


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _line(text: str, start: int, end: int) -> str:
    line_end = text.find("\n", end)
    return text[_line_start(text, start):line_end if line_end >= 0 else len(text)].strip()


def _with_quarter(period: str, periods: list, text: str) -> str:
    """A financial year whose report names one quarter of it in a heading ('- Quarter 4') is that quarter;
    so is a span of that quarter's months where the report names the quarter ('Quarter 2 ... 1 July to
    30 September 2022')."""
    named_quarters = {p.part for p in periods if p.kind == "quarter_only" and p.part}
    exact = quarter_of_range(period)
    if exact and int(exact[-1]) in named_quarters:
        return exact
    if "/" not in period or " Q" in period:
        return period
    quarters = {p.part for p in periods if p.kind == "quarter_only" and p.part
                and len(_line(text, p.start, p.end)) <= 160}
    return f"{period} Q{quarters.pop()}" if len(quarters) == 1 else period


def detect_meta(text: str) -> DocumentMeta:
    """All four meta fields as the text states them (None where it does not)."""
    return DocumentMeta(
        authority=detect_authority(text),
        committee=detect_committee(text),
        meeting_date=detect_meeting_date(text),
        report_period=detect_report_period(text),
    )
