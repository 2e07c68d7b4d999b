"""Document meta from the text itself: council, committee, meeting date, report period."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib import resources

from .periods import find_periods
from .schema import DocumentMeta

_COUNCIL = re.compile(
    r"\b((?:[A-Z][a-z]+(?:[ -](?:and|upon|on|with|of)?[ -]?[A-Z][a-z]+)*))[ \t]+"
    r"((?:Metropolitan[ \t]+)?(?:Borough[ \t]+|City[ \t]+|County[ \t]+|District[ \t]+)?)Council\b"
)
_COMMITTEE = re.compile(
    r"\b((?:(?:[A-Z][A-Za-z'\u2019&-]+|and|of|for|on)[ \t]+){0,7}"
    r"(?:Sub-Committee|Committee|Panel|Board|Cabinet|Forum))\b"
    r"|\b((?:(?:[A-Z][A-Z'\u2019&-]+|AND|OF|FOR|ON)[ \t]+){1,7}(?:SUB-COMMITTEE|COMMITTEE|PANEL|BOARD|CABINET))\b"
)
_ARTICLE = re.compile(r"^(?:(?:The|This|That|A|An|Each|Every|Our|Its|Their|Of|And|For|On)\s+)+")
_PREVIOUS = re.compile(r"(previous|last|earlier|next|future)\s+(?:meeting|minutes)", re.I)
_COMMITTEE_WINDOW = 1500
_COMPARISON_LEAD = re.compile(r"compar|same period|previous|last|than|from|\(|\d", re.I)
_DATE_WINDOW = 600


@cache
def _authorities() -> tuple[tuple[str, bool], ...]:
    text = resources.files("extractor").joinpath("data/authorities.txt").read_text("utf-8")
    names = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.append((line.rstrip("*"), line.endswith("*")))
    return tuple(names)


def detect_authority(text: str) -> str | None:
    """The council the minutes belong to: the most-named authority, 'X Council' first."""
    known = {name for name, _ in _authorities()}
    # 'X Council' names X only when X is a known authority or the council type is printed:
    # 'Children's Council' or 'Youth Council' are forums, not the authority.
    named = Counter(
        m.group(1).strip()
        for m in _COUNCIL.finditer(text)
        if m.group(1).strip() in known or (m.group(2) and not _ARTICLE.match(m.group(1) + " "))
    )
    councils = list(named)
    if councils:
        return max(councils, key=lambda name: named[name])
    counts: Counter[str] = Counter()
    for name, needs_council in _authorities():
        if needs_council:
            continue
        hits = re.findall(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
        if hits:
            counts[name] = len(hits)
    if not counts:
        return None
    best = max(counts.values())
    # Prefer the longest name among ties ('North Yorkshire' over 'York').
    return max((name for name, n in counts.items() if n == best), key=len)


def detect_committee(text: str) -> str | None:
    """The committee's name as printed, from the opening of the document."""
    head = text[:_COMMITTEE_WINDOW]
    for m in _COMMITTEE.finditer(head):
        name = " ".join((m.group(1) or m.group(2)).split())
        name = _ARTICLE.sub("", name)
        if len(name.split()) >= 2:
            return name
        if name in ("Cabinet", "CABINET"):
            return name
    return None


def detect_meeting_date(text: str) -> str | None:
    """The meeting's own date, printed near the top, not a previous meeting's."""
    head = text[:_DATE_WINDOW]
    for period in find_periods(head):
        if period.kind != "date" or period.canonical is None:
            continue
        if _PREVIOUS.search(head[max(0, period.start - 60):period.start]):
            continue
        return period.canonical
    return None


def detect_report_period(text: str) -> str | None:
    """The period a performance report covers: from a heading line, else its first quarter-with-year."""
    periods = [p for p in find_periods(text) if p.canonical]
    for period in periods:
        if period.start >= _COMMITTEE_WINDOW:
            break
        line_start = text.rfind("\n", 0, period.start) + 1
        line_end = text.find("\n", period.end)
        line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
        lead = text[line_start:period.start]
        if period.kind in ("quarter", "fy") and len(line) <= 90 and not _COMPARISON_LEAD.search(lead):
            return period.canonical
    for period in periods:
        before = text[max(0, period.start - 40):period.start]
        if period.kind == "quarter" and not _COMPARISON_LEAD.search(before):
            return period.canonical
    return None


def detect_meta(text: str) -> DocumentMeta:
    """All four meta fields as the text states them (None where it does not)."""
    return DocumentMeta(
        authority=detect_authority(text),
        committee=detect_committee(text),
        meeting_date=detect_meeting_date(text),
        report_period=detect_report_period(text),
    )
