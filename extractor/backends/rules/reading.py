"""What a cue sees of a number (a Reading) and what a cue is (a Cue): the machinery of the cue table."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ...numbers import NumberToken, find_numbers
from ...periods import PeriodMention, bounds, find_periods

_I = re.IGNORECASE
Role = Literal[
    "noise", "value", "target", "earlier", "national", "statistical_neighbours", "regional", "other", "change",
    "relative_change",
]

PERCENT_AFTER = re.compile(r"^\s*(?:%|per\s?cent\b|percent\b|pc\b)", _I)
CLAUSE_END = re.compile(r"[.;]|\s(?:while|whereas|but|although|however)\s", _I)
_CLAUSE_START = re.compile(r"[;:,(]|\s[-\u2013]\s|\b(?:but|while|whereas|although|however|which|and|with)\b", _I)
_COMPARISON_FRAME = re.compile(r"^\s*(?:in\s+)?comparison\s+(?:with|to)\s+", _I)


@dataclass(frozen=True)
class Reading:
    """One number in its sentence, as the cues see it."""

    text: str
    token: NumberToken
    percent: bool
    periods: tuple[PeriodMention, ...] = ()
    current: tuple[date, date] | None = None  # the latest period the number's paragraph reports
    frame: PeriodMention | None = None  # 'In comparison with 2022/23, ...' opens the sentence

    @property
    def before(self) -> str:
        """The sentence before the number."""
        return self.text[: self.token.start]

    @property
    def before_undated(self) -> str:
        """The sentence before the number with the periods it names blanked (same length): what is left
        of its figures once its dates and years are set aside."""
        chars = list(self.before)
        for period in self.periods:
            chars[period.start:min(period.end, len(chars))] = " " * max(0, min(period.end, len(chars)) - period.start)
        return "".join(chars)

    @property
    def after(self) -> str:
        """The sentence after the number."""
        return self.text[self.token.end:]

    @property
    def clause_before(self) -> str:
        """The sentence from the start of the number's clause up to the number."""
        cut = 0
        for m in _CLAUSE_START.finditer(self.before):
            cut = m.end()
        return self.before[cut:]

    def is_earlier(self, period: PeriodMention) -> bool:
        """Whether a period ends before the paragraph's current period begins."""
        return bool(self.current and period.canonical and bounds(period.canonical)[1] < self.current[0])


Match = re.Match[str] | bool | None


@dataclass(frozen=True)
class Cue:
    """One row of the table: a pattern (or a test of the context) and what it marks."""

    name: str
    marks: Role
    side: Literal["before", "after", "token", "clause", "sentence", "context"]
    window: int
    examples: tuple[str, ...]
    pattern: re.Pattern[str] | None = None
    test: Callable[[Reading], Match] | None = None
    counts_only: bool = False  # never decides a percentage

    def fires(self, reading: Reading) -> Match:
        """The match (or True) when this cue claims the number, else None/False."""
        if self.counts_only and reading.percent:
            return None
        if self.test is not None:
            return self.test(reading)
        assert self.pattern is not None
        if self.side == "before":
            return self.pattern.search(reading.before[-self.window:])
        if self.side == "after":
            return self.pattern.match(reading.after[: self.window])
        if self.side == "clause":
            return self.pattern.search(reading.clause_before[-self.window:])
        return self.pattern.search(reading.text)


def attached_period(text: str, token: NumberToken, periods: tuple[PeriodMention, ...] | list[PeriodMention]
                    ) -> PeriodMention | None:
    """A period printed right beside a number: '84.1% in 2022/23', '2022/23 (1,461)', '2021/22, 75.8%'."""
    for period in periods:
        if period.canonical is None:
            continue
        gap_after = text[token.end:period.start]
        gap_before = text[period.end:token.start]
        if period.start >= token.end and re.fullmatch(
            r"\s*%?\s*(?:\w+\s+){0,3}?(?:in|at|during|for|as\s+at|by)\s+(?:the\s+end\s+of\s+)?", gap_after, _I
        ):
            return period
        if period.end <= token.start and re.fullmatch(
            r"\s*[(,:]\s*|\s+(?:which\s+|when\s+)?(?:saw|was|had|were)\s+"
            r"|\s*,?\s+(?:when|where)\s+(?:[\w'-]+\s+){0,4}?(?:was|were|had\s+been|stood\s+at)\s+"
            r"(?:at\s+|around\s+|about\s+|approximately\s+|nearly\s+)?", gap_before
        ):
            return period
    return None


def named_outside_brackets(text: str, periods: list[PeriodMention]) -> list[PeriodMention]:
    """The periods a sentence names in its clauses, where it also names some in brackets: a bracketed date
    is a note on the data ('In March 2023 ... (figures run 04.04.23)'), not the period a clause states."""
    def bracketed(period: PeriodMention) -> bool:
        open_at = text.rfind("(", 0, period.start)
        return open_at >= 0 and ")" not in text[open_at:period.start] and ")" in text[period.end:]
    named = [p for p in periods if not bracketed(p)]
    return named or periods


# A period after a comparison's words dates what the figure is compared with: '12% fewer than in Quarter 3
# 2022/23', 'compared with 8 in the first half of 2023/24', 'up from 148 in 2022'.
_COMPARED_BEFORE = re.compile(r"\b(?:(?:than|compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|against|versus)"
                              r"(?P<between>(?:\s+(?:[\d.,]+\s*%?|[A-Za-z'\u2019-]+)){0,7}?)"
                              r"|from\s+[\d.,]+\s*%?(?P<after>(?:\s+[A-Za-z'\u2019-]+){0,4}?))\s+$", re.I)


def compared_periods(text: str, periods: list[PeriodMention]) -> set[str]:
    """The canonical periods a sentence names only to date a comparison: after the comparison's words and
    at most its figure ('than in Quarter 3 2022/23', 'compared with 8 in the first half of 2023/24'), never
    past a 'to' ('from 11% in 2022 to 16% in 2023': 2023 is the value's)."""
    dated = set()
    for period in periods:
        m = _COMPARED_BEFORE.search(text[max(0, period.start - 60):period.start])
        between = (m.group("between") or m.group("after") or "") if m else ""
        if (period.canonical and m and not re.search(r"\bto\b|\band\b|[;,]", between, re.I)
                and len(re.findall(r"\d[\d.,]*", between)) <= 1):
            dated.add(period.canonical)
    return dated


def frame_of(text: str, periods: tuple[PeriodMention, ...] | list[PeriodMention]) -> PeriodMention | None:
    """The period a sentence opening 'In comparison with 2022/23,' puts its figures in, else None."""
    frame_match = _COMPARISON_FRAME.match(text)
    if not frame_match:
        return None
    return next((p for p in periods if p.start <= frame_match.end() + 2 and p.canonical), None)


def example_reading(example: str) -> Reading:
    """The Reading of the number that '[[...]]' brackets in a worked example."""
    at = example.index("[[")
    text = example.replace("[[", "").replace("]]", "")
    end = example.index("]]") - 2
    token = next(t for t in find_numbers(text) if t.start == at and t.end == end)
    periods = tuple(find_periods(text))
    ends = [bounds(p.canonical) for p in periods if p.canonical]
    current = max(ends, key=lambda b: b[1]) if ends else None
    return Reading(text, token, bool(PERCENT_AFTER.match(text[token.end:])), periods, current, frame_of(text, periods))
