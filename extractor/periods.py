"""Periods: find them in text, write them in records.md's canonical form, and order them."""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_QUARTER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "first": 1, "second": 2,
                  "third": 3, "fourth": 4}
_YEAR = r"(?:19|20)\d\d"
# '2023/24', '2023-2024', and the gov.uk style '2023 to 2024'.
_FY = rf"({_YEAR})\s*(?:[/\-\u2013\u2014]|\s+to\s+(?=\d{{4}}))\s*(\d{{4}}|\d{{2}})(?!\d)"
_SHORT_FY = r"(?<![\d/])(\d{2})\s*[/-]\s*(\d{2})(?![\d/])"
_FULL_MONTH = "|".join(name for name in calendar.month_name if name)
_QNUM = r"([1-4]|one|two|three|four)"
_QWORD = r"(first|second|third|fourth)"

CANONICAL = re.compile(
    r"^(?:\d{4}/\d{2}(?: Q[1-4])?|\d{4}-\d{2}(?:-\d{2})?|\d{4}|\d{4}-\d{2}\.\.\d{4}-\d{2})$"
)


@dataclass(frozen=True)
class PeriodMention:
    """A period printed in a text: its span, canonical form (None if not determinable) and kind."""

    start: int
    end: int
    canonical: str | None
    kind: str  # quarter, fy, range, date, month, year, quarter_only, month_only, months_only, day_month,
    # year_range, and two relative to the meeting: meeting_day ('as at today'), since_last ('since the panel last met')
    part: int | None = None  # the quarter or month number of a quarter_only or month_only mention
    last_part: int | None = None  # the last month of a months_only mention ('in October and November')


def _fy(first: str, second: str) -> str | None:
    """Canonical financial year from its printed halves, or None when they are not consecutive."""
    start = int(first)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if end == start + 1 or (len(second) == 2 and int(second) == (start + 1) % 100):
        return f"{start}/{(start + 1) % 100:02d}"
    return None


def _quarter_number(text: str) -> int:
    return int(text) if text.isdigit() else _QUARTER_WORDS[text.lower()]


def _month_year(month: str, year: str) -> str:
    return f"{int(year):04d}-{MONTHS[month.lower().rstrip('.')]:02d}"


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    flags = re.IGNORECASE
    return [
        # UK numeric dates, day first: '17/11/2022', '07.02.22'.
        ("numeric_date", re.compile(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2((?:19|20)\d\d|\d\d)(?![\d/]|\.\d)")),
        ("quarter_pair", re.compile(
            rf"\b(?:Q|Quarters?\s*){_QNUM}\s*(?:/|&|and|-|\u2013|to)\s*(?:Q|Quarter\s*)?{_QNUM}\s*(?:of\s+)?"
            rf"(?:FY\s*)?{_FY}", flags)),
        ("quarter", re.compile(rf"\b(?:Q|Quarter\s*){_QNUM}\s*(?:of\s+)?(?:FY\s*)?{_FY}", flags)),
        ("quarter_rev", re.compile(rf"{_FY}\s*[-\u2013:]?\s*(?:Q|Quarter\s*){_QNUM}\b", flags)),
        # 'Quarter 2 (September 2022)', 'Q1 (April - June 2022)': the quarter of the year its months name.
        ("quarter_month", re.compile(
            rf"\b(?:Q|Quarter\s*){_QNUM}\s*\(\s*(?:{_MONTH}\s*(?:-|\u2013|to)\s*)?({_MONTH})\s*,?\s*({_YEAR})\s*\)", flags)),
        # 'the year ending 31 March 2022', '12 months to March 2023': the financial year.
        ("year_ending", re.compile(
            rf"\b(?:year|12\s+months|twelve\s+months)\s+(?:ending|ended|to)\s+(?:(?:the\s+)?31(?:st)?\s+)?March\s*,?\s*({_YEAR})",
            flags)),
        # 'the year to December 2023', '12 months ending June 2024': the twelve months to that month.
        ("year_to", re.compile(
            rf"\b(?:year|12\s+months|twelve\s+months)\s+(?:ending|ended|to)\s+(?:(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+)?"
            rf"({_MONTH})\s*,?\s*({_YEAR})", flags)),
        # 'in each of January, February and March 2024': the months from the first named to the last.
        ("month_list", re.compile(
            rf"\b({_MONTH}),\s+(?:{_MONTH},\s+)*{_MONTH},?\s+and\s+({_MONTH})\s*,?\s*({_YEAR})", flags)),
        # '1st April 2022 - 31st March 2023', 'between 1 July and 30 September 2022' ('and' only after 'between').
        ("date_range", re.compile(
            rf"\b(between\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s*,?\s*({_YEAR})?\s*(?:-|\u2013|to|until|(?(1)and|(?!)))\s*"
            rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s*,?\s*({_YEAR})", flags)),
        ("quarter_compact", re.compile(rf"\b(?:Q|Quarter\s*){_QNUM}\s*({_YEAR})(\d\d)(?!\d)", flags)),
        ("quarter_short", re.compile(rf"\bQ([1-4])\s*{_SHORT_FY}", flags)),
        ("quarter_word", re.compile(rf"\b{_QWORD}\s+quarter\s+(?:of\s+)?{_FY}", flags)),
        # 'H1 2023/24', 'first half of 2023/24', 'the second half of the year 2023-24': six months of a
        # financial year (H1 April to September).
        ("half", re.compile(rf"\b(?:H([12])|(first|second)\s+half)\s*(?:of\s+)?(?:the\s+)?(?:(?:financial\s+)?year\s+)?"
                            rf"(?:FY\s*)?{_FY}", flags)),
        ("range", re.compile(
            rf"\b(?:between\s+)?({_MONTH})\s*({_YEAR})?\s*(?:and|to|until|-|\u2013|\u2014)\s*"
            rf"({_MONTH})\s*({_YEAR})", flags)),
        ("date", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\s*,?\s*({_YEAR})\b", flags)),
        ("month", re.compile(rf"\b({_MONTH})\s*,?\s*({_YEAR})\b", flags)),
        # 'March 22', 'Mar-22' (a month and a two-digit year, as scorecards print them).
        ("month_short", re.compile(rf"\b({_FULL_MONTH}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[\s-]'?(\d{{2}})\b(?![\d/:.,]\d)")),
        ("fy", re.compile(rf"(?<![\d/]){_FY}", flags)),
        # '22/23' standing alone: a financial year only where a period is expected ('in 22/23', 'FY 22/23').
        ("fy_short", re.compile(r"\b(?:in|for|during|of|FY|year|to|from|since|by)\s+(\d{2})\s*/\s*(\d{2})(?![\d/%])", flags)),
        ("day_month", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\b", flags)),
        # Two months named without a year ('fell in October and November'): a span whose year comes from context.
        ("months_only", re.compile(
            rf"\b(?i:in|during|over|between|from)\s+({_FULL_MONTH}|Sept?)\s*(?:and|to|until|-|\u2013)\s*"
            rf"({_FULL_MONTH}|Sept?)\b(?![\s,]*(?:19|20)\d\d)(?![\s-]'?\d\d\b)")),
        # The meeting's own day ('as at today', 'as of this meeting'): a snapshot on the meeting date.
        ("meeting_day", re.compile(
            r"\b(?:as\s+(?:at|of)\s+(?:today|tonight|this\s+meeting|the\s+(?:date|day|time)\s+of\s+(?:this|the|today's)\s+"
            r"(?:meeting|committee|panel|board))|at\s+the\s+time\s+of\s+(?:this|the)\s+meeting)\b", flags)),
        # The time since the last meeting or report is no period the document dates.
        ("since_last", re.compile(
            r"\bsince\s+(?:the\s+)?(?:(?:panel|committee|board|members|cabinet|forum|group)\s+(?:last\s+met|met\s+last)|"
            r"(?:last|previous)\s+(?:meeting|report|update|panel|committee|board|time))\b", flags)),
        ("quarter_only", re.compile(rf"\b(?:Q([1-4])\b|Quarter\s*{_QNUM}\b|{_QWORD}\s+quarter\b)", flags)),
        # A month named without its year ('at the end of November'): the year comes from context.
        ("month_only", re.compile(
            r"\b(?i:(?:at\s+)?the\s+end\s+of|as\s+at|as\s+of|in|during|since|by|until|for|from|to|of)\s+"
            rf"({_FULL_MONTH}|Sept?)\b(?![\s,]*(?:19|20)\d\d)(?![\s-]'?\d\d\b)")),
        ("year", re.compile(rf"(?<![\d/.,£$]){_YEAR}(?![\d%])", flags)),
    ]


_PATTERNS = _patterns()
# Only these can match a text without a digit ('second quarter', 'at the end of November'); the rest
# need one, so most sentences of a long document are searched with two patterns, not twenty.
_WORDS_ONLY = [(kind, pattern) for kind, pattern in _PATTERNS
               if kind in ("quarter_only", "month_only", "months_only", "meeting_day", "since_last")]
_DIGIT = re.compile(r"\d")


def _canonical(kind: str, m: re.Match[str]) -> tuple[str | None, str]:
    """Canonical form and final kind of one match."""
    g = m.groups()
    if kind in ("quarter", "quarter_word"):
        fy = _fy(g[1], g[2])
        return (f"{fy} Q{_quarter_number(g[0])}" if fy else None), "quarter"
    if kind == "numeric_date":
        day, month, year = int(g[0]), int(g[2]), int(g[3]) if len(g[3]) == 4 else 2000 + int(g[3])
        try:
            return date(year, month, day).isoformat(), "date"
        except ValueError:
            return None, "date"
    if kind == "quarter_month":
        month, year = MONTHS[g[1].lower().rstrip(".")], int(g[2])
        fy = financial_year(date(year, month, 1))
        return f"{fy}/{(fy + 1) % 100:02d} Q{_quarter_number(g[0])}", "quarter"
    if kind == "half":
        fy = _fy(g[2], g[3])
        if not fy:
            return None, "range"
        start = int(g[2])
        first_half = g[0] == "1" or (g[1] or "").lower() == "first"
        return (f"{start}-04..{start}-09" if first_half else f"{start}-10..{start + 1}-03"), "range"
    if kind == "year_ending":
        end = int(g[0])
        return f"{end - 1}/{end % 100:02d}", "fy"
    if kind == "year_to":
        last = date(int(g[1]), MONTHS[g[0].lower().rstrip(".")], 1)
        if last.month == 12:
            return f"{last.year:04d}", "range"
        return f"{last.year - 1:04d}-{last.month + 1:02d}..{last.year:04d}-{last.month:02d}", "range"
    if kind == "month_list":
        first, last, year = MONTHS[g[0].lower().rstrip(".")], MONTHS[g[1].lower().rstrip(".")], int(g[2])
        return f"{year - (1 if first > last else 0):04d}-{first:02d}..{year:04d}-{last:02d}", "range"
    if kind == "date_range":
        g = g[1:]  # the optional 'between'
        first = date(int(g[2] or g[5]), MONTHS[g[1].lower().rstrip(".")], 1)
        last = date(int(g[5]), MONTHS[g[4].lower().rstrip(".")], 1)
        if (first.month, last.month) == (4, 3) and last.year == first.year + 1:
            return f"{first.year}/{last.year % 100:02d}", "range"
        return f"{first.year:04d}-{first.month:02d}..{last.year:04d}-{last.month:02d}", "range"
    if kind == "month_short":
        return f"{2000 + int(g[1]):04d}-{MONTHS[g[0].lower().rstrip('.')]:02d}", "month"
    if kind == "fy_short":
        fy = _fy("20" + g[0], g[1])
        return (fy, "fy") if fy else (None, "year_range")
    if kind == "quarter_pair":
        fy = _fy(g[2], g[3])
        if fy is None:
            return None, "range"
        first, last = _quarter_number(g[0]), _quarter_number(g[1])
        start, end = bounds(f"{fy} Q{first}")[0], bounds(f"{fy} Q{last}")[1]
        return f"{start.year:04d}-{start.month:02d}..{end.year:04d}-{end.month:02d}", "range"
    if kind == "quarter_compact":
        fy = _fy(g[1], g[2])
        return (f"{fy} Q{_quarter_number(g[0])}" if fy else None), "quarter"
    if kind == "quarter_rev":
        fy = _fy(g[0], g[1])
        return (f"{fy} Q{_quarter_number(g[2])}" if fy else None), "quarter"
    if kind == "quarter_short":
        fy = _fy("20" + g[1], g[2])
        return (f"{fy} Q{g[0]}" if fy else None), "quarter"
    if kind == "range":
        first_month, first_year, last_month, last_year = g
        first_year = first_year or last_year
        a, b = MONTHS[first_month.lower().rstrip(".")], MONTHS[last_month.lower().rstrip(".")]
        if (a, b) == (1, 12) and first_year == last_year:
            return last_year, "range"
        if (a, b) == (4, 3) and int(last_year) == int(first_year) + 1:
            return _fy(first_year, last_year), "range"
        return f"{_month_year(first_month, first_year)}..{_month_year(last_month, last_year)}", "range"
    if kind == "date":
        day, month, year = int(g[0]), MONTHS[g[1].lower().rstrip(".")], int(g[2])
        try:
            return date(year, month, day).isoformat(), "date"
        except ValueError:
            return None, "date"
    if kind == "month":
        return _month_year(g[0], g[1]), "month"
    if kind == "fy":
        fy = _fy(g[0], g[1])
        return (fy, "fy") if fy else (None, "year_range")
    if kind == "year":
        return m.group(0), "year"
    return None, kind


def _part(kind: str, m: re.Match[str]) -> int | None:
    """The quarter or month a partial mention names: 'Quarter three' -> 3, 'the end of May' -> 5."""
    if kind == "quarter_only":
        number = next((x for x in m.groups() if x), None)
        return _quarter_number(number) if number else None
    if kind in ("month_only", "months_only"):
        return MONTHS[m.group(1).lower()]
    return None


def find_periods(text: str) -> list[PeriodMention]:
    """Every period printed in text, longest match first, without overlaps, in text order."""
    # The spans taken so far never overlap, so sorted by start they are sorted by end too: a new match
    # can only overlap its neighbours. (Checking every span taken was quadratic on a long report.)
    starts: list[int] = []
    ends: list[int] = []
    found: list[PeriodMention] = []
    for kind, pattern in _PATTERNS if _DIGIT.search(text) else _WORDS_ONLY:
        for m in pattern.finditer(text):
            at = bisect.bisect_left(starts, m.end())  # spans from here on start at or after this match's end
            if at and ends[at - 1] > m.start():
                continue
            canonical, final_kind = _canonical(kind, m)
            starts.insert(at, m.start())
            ends.insert(at, m.end())
            last = MONTHS[m.group(2).lower()] if kind == "months_only" else None
            found.append(PeriodMention(m.start(), m.end(), canonical, final_kind, _part(kind, m), last))
    return sorted(found, key=lambda p: p.start)


def is_canonical(period: str | None) -> bool:
    """Whether a period string is in records.md's canonical form (None counts as canonical)."""
    if period is None:
        return True
    if not CANONICAL.match(period):
        return False
    try:
        bounds(period)
    except ValueError:
        return False
    return True


def bounds(period: str) -> tuple[date, date]:
    """First and last day a canonical period covers."""
    if ".." in period:
        first, last = period.split("..")
        return bounds(first)[0], bounds(last)[1]
    if " Q" in period:
        fy, quarter = period.split(" Q")
        start_year = int(fy[:4])
        first_month = 4 + (int(quarter) - 1) * 3
        year = start_year + (first_month - 1) // 12
        month = (first_month - 1) % 12 + 1
        end_month = month + 2
        return date(year, month, 1), date(year, end_month, calendar.monthrange(year, end_month)[1])
    if "/" in period:
        start_year = int(period[:4])
        if int(period[5:]) != (start_year + 1) % 100:
            raise ValueError(f"{period!r} is not a financial year")
        return date(start_year, 4, 1), date(start_year + 1, 3, 31)
    parts = [int(p) for p in period.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def financial_year(day: date) -> int:
    """The starting calendar year of the UK financial year holding a day."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_of_range(period: str) -> str | None:
    """The financial quarter a range spans exactly ('2022-07..2022-09' -> '2022/23 Q2'), else None."""
    if ".." not in period:
        return None
    start, end = bounds(period)
    quarter = {4: 1, 7: 2, 10: 3, 1: 4}.get(start.month)
    if quarter is None or start.day != 1:
        return None
    fy = financial_year(start)
    label = f"{fy}/{(fy + 1) % 100:02d} Q{quarter}"
    return label if bounds(label) == (start, end) else None


def comparison_basis(earlier: str, current: str) -> str:
    """previous_period, previous_year or other, for an earlier period against the current one."""
    e_start, e_end = bounds(earlier)
    c_start, c_end = bounds(current)
    length = (c_end - c_start).days
    adjacent = 0 < (c_start - e_end).days <= 31
    if financial_year(e_end) < financial_year(c_start):
        # Last quarter or last month across a year boundary is still the previous period.
        return "previous_period" if adjacent and length < 300 else "previous_year"
    return "previous_period" if adjacent else "other"


def sort_key(period: str) -> tuple[int, int]:
    """Time order of canonical periods: by the last day covered, then the shorter first (2024-03-31, 2024-03,
    2023/24 Q4, 2023/24); ranges by their end."""
    start, end = bounds(period)
    return end.toordinal(), -start.toordinal()
