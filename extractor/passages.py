"""Segment a document into blocks (paragraphs, bullets) and sentences that keep their offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Bullet glyphs seen in minutes exported from committee systems (and '?' for a lost glyph).
_BULLET = r"[\u00b7\u2022\u25cf\u25aa\u25e6\u2023\u2043\u2219\uf0b7]"
_BLOCK_BREAK = re.compile(
    rf"\n[ \t\u00a0]*\n\s*"                      # a blank line
    rf"|\n(?=[ \t\u00a0]*(?:{_BULLET}|[-*]\s|\(?[a-z0-9]{{1,2}}[.)]\s))"  # a line opening a bullet
    rf"|(?<=\|)[ \t\u00a0]*\n"                   # a line closed by a '|' cell separator
    rf"|(?<=\S)[ \t\u00a0]+(?={_BULLET}\s)"      # an inline bullet: ' · '
    rf"|(?<=[:.])[ \t\u00a0]+(?=\?\s+[A-Z])"     # '? ' standing for a lost bullet glyph
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\u2019\u201d]?\s+(?=[\"'(\u2018\u201c]?[A-Z0-9\u00a3])")
_ABBREVIATION = re.compile(
    r"\b(?:e\.g|i\.e|etc|no|nos|mr|mrs|ms|dr|cllr|approx|para|ref|vs|inc|st|fig|cf)\.$",
    re.IGNORECASE,
)
_LONG_LINE = 160
_NUMBER_LINE = re.compile(r"^\s*\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.,)]?\s*$")
# Page furniture of committee web pages (ModernGov and the like): never statements of performance.
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
FURNITURE_LINE = re.compile(
    r"^[ \t\u00a0]*(?:"
    r"Meeting:\s.*"                                                    # Meeting: 03/11/2019 - Panel (Item 42)
    r"|.*\bpdf\s+icon\b.*"                                              # 42 Performance Scorecard pdf icon PDF 2 MB
    r"|.*\bPDF\s+\d+(?:\.\d+)?\s*[KM]B\b.*"                              # 7 Corporate Parenting Dataset PDF 5 MB
    r"|(?:Venue|Contact|Contact\s+officer|Tel|Telephone|E-?mail|Phone|Fax|Address|Location|Directions)\s*:.*"
    r"|.*\bView\s+directions\b.*"
    r"|Page\s+\d+\s+of\s+\d+"
    r"|.*\(Item\s+\d+(?:\.\d+)*\)\s*:?"                                  # - Meeting of Cabinet, ... (Item 4.1)
    r"|View\s+the\s+(?:background|reasons)\s+to\s+item.*"
    rf"|{_WEEKDAY},?\s+\d{{1,2}}(?:st|nd|rd|th)?\s+\w+,?\s+\d{{4}}.*"           # Monday, 20th November, 2017 2.30 pm
    r")[ \t\u00a0]*$",
    re.IGNORECASE | re.MULTILINE,
)
_LEADER = re.compile(rf"[\s\u00a0]*(?:{_BULLET}|[-*?]\s|\(?[a-z0-9]{{1,2}}[.)]\s)?[\s\u00a0]*")


@dataclass(frozen=True)
class Passage:
    """A sentence of the document with its [start, end) offsets, block number and heading."""

    start: int
    end: int
    text: str
    block: int
    heading: str | None = None
    bullet: bool = False
    furniture: bool = False


def _raw_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for brk in _BLOCK_BREAK.finditer(text):
        spans.append((cursor, brk.start()))
        cursor = brk.end()
    spans.append((cursor, len(text)))
    # Files written one paragraph per line: a newline after a long line ends a block.
    split: list[tuple[int, int]] = []
    widths = sorted(len(line) for line in text.splitlines() if len(line.strip()) >= 20)
    width = widths[len(widths) // 2] if widths else 0
    for start, end in spans:
        cursor = line_start = start
        for newline in re.finditer(r"\n", text[start:end]):
            at = start + newline.start()
            line = text[line_start:at].rstrip()
            if at - line_start >= _LONG_LINE or _ends_short_paragraph(text, line, at, width):
                split.append((cursor, at))
                cursor = at + 1
            line_start = at + 1
        split.append((cursor, end))
    return split


def _ends_short_paragraph(text: str, line: str, at: int, width: int) -> bool:
    """A line that closes a sentence and is not a wrapped line of typical width ends its paragraph."""
    following = text[at + 1: at + 3].lstrip()
    return (
        line.endswith((".", "!", "?", ":"))
        and not 0.7 * width <= len(line) <= 1.3 * width
        and following[:1].isupper()
    )


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every line that is page furniture: meeting headers, item and PDF lines, venue, contact."""
    return [m.span() for m in FURNITURE_LINE.finditer(text)]


def _apart(spans: list[tuple[int, int]], furniture: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each furniture line becomes a block of its own, so it never joins a paragraph of content.

    Both lists are in text order and furniture lines never overlap, so each span looks only at the
    furniture lines it touches (found by bisection): linear in the document, not spans x lines."""
    starts = [f_start for f_start, _ in furniture]
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cursor = start
        at = max(bisect_right(starts, start) - 1, 0)
        while at < len(furniture) and furniture[at][0] < end:
            f_start, f_end = furniture[at]
            at += 1
            if f_end <= cursor:
                continue
            out.append((cursor, max(cursor, f_start)))
            out.append((max(cursor, f_start), min(end, f_end)))
            cursor = min(end, f_end)
        out.append((cursor, end))
    return out


def _inside(start: int, end: int, furniture: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether [start, end) lies within one furniture line (the last one starting at or before it)."""
    at = bisect_right(starts, start) - 1
    return at >= 0 and end <= furniture[at][1]


def blocks(text: str) -> list[tuple[int, int, bool]]:
    """[start, end) spans of paragraphs and bullets, leading bullet glyphs trimmed, and is-bullet."""
    trimmed = []
    for start, end in _apart(_raw_spans(text), furniture_spans(text)):
        lead = _LEADER.match(text, start, end)
        bullet = bool(lead and lead.group(0).strip())
        start = lead.end() if lead else start
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            trimmed.append((start, end, bullet))
    return trimmed


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences in text[start:end]."""
    spans = []
    cursor = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if _ABBREVIATION.search(text, cursor, m.start()) or _open_parenthesis(text, cursor, m.start()):
            continue
        spans.append((cursor, m.start()))
        cursor = m.end()
    spans.append((cursor, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _open_parenthesis(text: str, start: int, end: int) -> bool:
    chunk = text[start:end]
    return chunk.count("(") > chunk.count(")")


def _is_heading(chunk: str) -> bool:
    line = chunk.strip()
    return (
        "\n" not in line
        and 3 <= len(line) <= 90
        and not line.endswith((".", ",", ";"))
        and not _NUMBER_LINE.match(line)
        and sum(ch.isalpha() for ch in line) >= 3
    )


def segment(text: str) -> list[Passage]:
    """Split a document into sentence passages; paragraph-number lines are dropped, furniture is marked."""
    passages: list[Passage] = []
    heading: str | None = None
    furniture = furniture_spans(text)
    starts = [f_start for f_start, _ in furniture]
    for number, (start, end, bullet) in enumerate(blocks(text)):
        chunk = text[start:end]
        if _NUMBER_LINE.match(chunk):
            continue
        is_furniture = _inside(start, end, furniture, starts)
        if _is_heading(chunk) and not is_furniture:
            heading = " ".join(chunk.split())
        for s, e in sentences(text, start, end):
            passages.append(Passage(s, e, text[s:e], number, heading, bullet, is_furniture))
    return passages
