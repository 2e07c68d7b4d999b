"""Read one sentence: every number becomes a value, a comparison, or nothing, by the cue table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ...numbers import DIGIT_NUMBER, NumberToken, find_numbers, parse_digits
from ...passages import Passage
from ...periods import PeriodMention, bounds
from . import cues
from .cue_tests import RATE_NEAR, TIME_AFTER
from .reading import (
    CLAUSE_END,
    PERCENT_AFTER,
    Match,
    Reading,
    attached_period,
    frame_of,
    named_outside_brackets,
)

_I = re.IGNORECASE
_NUM = DIGIT_NUMBER.pattern
_FRACTION = re.compile(
    rf"(?P<val>{_NUM})\s*(?:%|per\s?cent)?\s*\(\s*(?P<num>{_NUM})\s*(?:/|out\s+of|of)\s*(?P<den>{_NUM})\s*\)"
    rf"|(?P<num3>{_NUM})\s+(?:out\s+)?of\s+(?:the\s+)?(?P<den3>{_NUM})\s+(?:[\w'-]+\s+){{0,5}}?\(\s*(?P<val3>{_NUM})\s*%\s*\)"
    rf"|(?P<val2>{_NUM})\s+out\s+of\s+(?:the\s+|a\s+total\s+of\s+)?(?P<den2>{_NUM})(?!\s*%)"
    # '86.2% of assessments (612/710) were ...', '44.7% of the cohort (21 of 47 pupils)': the parts after
    # the measure's name, taken when they make the percentage
    rf"|(?P<val4>{_NUM})\s*%\s+(?:[\w'\u2019-]+,?\s+){{1,24}}?\(\s*(?P<num4>{_NUM})\s*(?:/|out\s+of|of)\s*(?P<den4>{_NUM})"
    r"(?:\s+[a-z'-]+){0,3}\s*\)"
    # '22 had an assessment (22/27, 81%)': the fraction and its percentage in one bracket
    rf"|\(\s*(?P<num5>{_NUM})\s*/\s*(?P<den5>{_NUM})\s*[,;]\s*(?P<val5>{_NUM})\s*%\s*\)"
)
_COUNT_WITH_PERCENT = re.compile(rf"(?P<count>{_NUM})\s+(?:[A-Za-z-]+\s+){{0,5}}\(\s*(?P<pct>{_NUM})\s*%\s*\)")
_PERCENT_WITH_COUNT = re.compile(rf"(?P<pct>{_NUM})\s*%\s*\(\s*(?P<count>{_NUM})(?:\s+[a-z-]+){{1,3}}\s*\)")
_COUNT_THEN_PERCENT = re.compile(rf"\s+(?:[A-Za-z-]+\s+){{0,5}}\(\s*(?P<pct>{_NUM})\s*%\s*\)")
_PERSON = (r"(?:child(?:ren)?|young\s+(?:people|persons?)|care\s+leavers?|families|family|(?:foster\s+)?carers?|"
           r"pupils?|babies|baby|adoptions?|placements?|referrals?|households?)")
# 'No child in our care was permanently excluded', 'none of our fostering households transferred': a count of 0.
_NONE_OF = re.compile(
    rf"\b(?P<word>no|none\s+of\s+the)\s+(?:[\w-]+\s+)?{_PERSON}\s+(?:(?!(?:and|or|but|who|which|that)\b)[\w-]+\s+){{0,5}}?"
    r"(?:were|was|had|have|has|waited|\w+ed)\b"
    rf"|\b(?P<word3>none)\s+of\s+(?:the|our|these|those)\s+(?:[\w-]+\s+)?{_PERSON}\s+(?:[\w-]+\s+){{0,4}}?"
    r"(?:waited|were|was|had|have|has|did|\w+ed)\b"
    rf"|\bthere\s+(?:were|was|had\s+been|have\s+been|has\s+been)\s+(?P<word2>no)\s+(?:[\w-]+\s+)?{_PERSON}\b",
    _I,
)
_AGE_SPAN = re.compile(
    r"\b(?:aged|ages?|age\s+of)\s+(?:between\s+|under\s+|over\s+)?\d+"
    r"(?:\s*(?:-|\u2013|to|and)\s*\d+)?(?:\s*(?:years?|yrs)(?:\s+old)?)?"
    r"|\b\d+\s*(?:-|\u2013|to)\s*\d+\s*(?:years?|yrs)[\s-]*old"
    r"|\bat\s+\d{1,2}\s+(?:and\s+\d+\s+months|years)",
    _I,
)
_RATE_BASE = re.compile(r"\bper\s+(?:\d{1,3}(?:,\d{3})+|\d+)\b|\bper\s+10k\b", _I)
_PHONE = re.compile(r"(?<!\d)(?:\+44\s?(?:\(0\))?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_WORD_NUMBER_SKIP = {"one", "a", "zero"}
_POUND_BEFORE = re.compile(r"\u00a3\s*$")
_CLAUSE_STOP = re.compile(r"[.;]|\s(?:while|whereas|but|although|however)\s", _I)


@dataclass
class Comparison:
    """A number that qualifies a value: a target, benchmark, earlier figure or change."""

    start: int
    basis: str | None  # None: an earlier figure whose basis depends on periods
    value: float | None = None
    change: float | None = None
    period: str | None = None
    percent: bool = False
    relative: bool = False
    context: str = ""


@dataclass
class Value:
    """A number that is a record's value, with what the sentence and its paragraph say of it."""

    token: NumberToken
    passage: Passage
    unit: str
    value: float
    numerator: float | None = None
    denominator: float | None = None
    period: str | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    trend: str | None = None
    target_met: bool | None = None


@dataclass
class Sentence:
    """One sentence's values and comparisons, with the periods it prints."""

    passage: Passage
    values: list[Value]
    comparisons: list[Comparison]
    periods: list[PeriodMention]


def current_period(passages: list[Passage], periods: list[list[PeriodMention]], report: str | None
                   ) -> tuple[date, date] | None:
    """The latest period a paragraph reports (else the report's): figures of earlier periods are comparisons.

    The paragraph's own periods come first ('reduced from 20% in 2006 to 5.4% in 2016' in a 2017 report
    states 5.4 for 2016), but not those that date its comparisons ('compared to 23 in March 2022'),
    found by reading the paragraph once without any current period."""
    dated = {c.period for passage, found in zip(passages, periods, strict=True) if found
             for c in read_sentence(passage, found, None).comparisons if c.period}
    ends = [bounds(p.canonical) for passage, found in zip(passages, periods, strict=True)
            for p in named_outside_brackets(passage.text, found) if p.canonical and p.canonical not in dated]
    if not ends and report:
        ends.append(bounds(report))
    return max(ends, key=lambda b: b[1]) if ends else None


def _excluded(text: str, periods: list[PeriodMention]) -> list[tuple[int, int]]:
    spans = [(p.start, p.end) for p in periods]
    for pattern in (_AGE_SPAN, _RATE_BASE, _PHONE, _POSTCODE):
        spans += [m.span() for m in pattern.finditer(text)]
    return spans


def _inside(token: NumberToken, spans: list[tuple[int, int]]) -> bool:
    return any(start <= token.start and token.end <= end for start, end in spans)


def _word_is_noise(text: str, token: NumberToken) -> bool:
    """Number words that are articles or pronouns: 'one of the', 'a', 'One Council'. 'One child' and
    'zero children' still count people."""
    after = text[token.end:].lstrip()
    if re.match(rf"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)?\s+{_PERSON}\b", after):
        return False  # 'three Hollinsmoor children': a council's name before whom it counts
    if after[:1].isupper() or after.startswith("of "):
        return True
    return token.text.lower() in _WORD_NUMBER_SKIP and not re.match(rf"(?:[\w-]+\s+){{0,2}}?{_PERSON}\b", after, _I)


def unit_of(text: str, token: NumberToken, percent: bool) -> str:
    """records.md's unit for a value from what is printed around it."""
    before, after = text[: token.start], text[token.end:]
    if percent:
        return "percent"
    if _POUND_BEFORE.search(before):
        return "gbp"
    time = TIME_AFTER.match(after)
    if time:
        word = time.group(0).strip().lower()
        for unit in ("day", "week", "month", "hour"):
            if unit in word:
                return unit + "s"
        return "other"
    if re.match(r"\s*(?:[a-z]+\s+){0,2}?(?:per\s+10,?000|per\s+10k\b|per\s+ten\s+thousand)", after, _I):
        return "rate_per_10000"
    if re.match(r"\s*per\s+(?:\d|hundred|thousand)", after, _I):
        return "other"
    rate_word = re.search(r"\brate\b(?!.*\brate\b)", before, _I)
    if rate_word and RATE_NEAR.search(text) and not CLAUSE_END.search(before[rate_word.end():]):
        return "rate_per_10000"
    return "count" if token.is_integer else "other"


def _fractions(text: str) -> tuple[dict[int, tuple[float, float]], dict[int, float], set[int]]:
    """Numerator/denominator pairs by value position, count-with-percent pairs, and consumed positions."""
    parts: dict[int, tuple[float, float]] = {}
    percent_counts: dict[int, float] = {}
    consumed: set[int] = set()
    for m in _FRACTION.finditer(text):
        if m.group("val") is not None:
            parts[m.start("val")] = (parse_digits(m.group("num")), parse_digits(m.group("den")))
            consumed |= {m.start("num"), m.start("den")}
        elif m.group("val3") is not None:  # '18 of 23 children (78%)': one record, 78 of 18/23
            parts[m.start("val3")] = (parse_digits(m.group("num3")), parse_digits(m.group("den3")))
            consumed |= {m.start("num3"), m.start("den3")}
        elif m.group("val5") is not None:
            parts[m.start("val5")] = (parse_digits(m.group("num5")), parse_digits(m.group("den5")))
            consumed |= {m.start("num5"), m.start("den5")}
            said = list(re.finditer(rf"(?<![\d.,]){re.escape(m.group('num5'))}(?![\d.,]\d)", text[:m.start()]))
            if said:  # the count printed before the bracket is the fraction's numerator, said twice
                consumed.add(said[-1].start())
        elif m.group("val4") is not None:
            numerator, denominator = parse_digits(m.group("num4")), parse_digits(m.group("den4"))
            if denominator and abs(100 * numerator / denominator - parse_digits(m.group("val4"))) <= 0.6:
                parts[m.start("val4")] = (numerator, denominator)
                consumed |= {m.start("num4"), m.start("den4")}
        else:
            parts[m.start("val2")] = (parse_digits(m.group("val2")), parse_digits(m.group("den2")))
            consumed.add(m.start("den2"))
    for m in _COUNT_WITH_PERCENT.finditer(text):
        if m.start("count") not in consumed and m.start("count") not in parts and m.start("pct") not in parts:
            percent_counts[m.start("pct")] = parse_digits(m.group("count"))
            consumed.add(m.start("count"))
    for m in _PERCENT_WITH_COUNT.finditer(text):
        if m.start("count") not in consumed:
            percent_counts[m.start("pct")] = parse_digits(m.group("count"))
            consumed.add(m.start("count"))
    return parts, percent_counts, consumed


def _earlier_period(reading: Reading) -> str | None:
    """The period an earlier figure belongs to: beside it, else in its clause, else the sentence's frame."""
    attached = attached_period(reading.text, reading.token, reading.periods)
    if attached is not None and (reading.current is None or reading.is_earlier(attached)):
        return attached.canonical
    text, token = reading.text, reading.token
    end = _CLAUSE_STOP.search(text, token.end)
    stop = end.start() if end else len(text)
    start = max(text.rfind(",", 0, token.start), text.rfind(";", 0, token.start), 0)
    near = [p for p in reading.periods if p.canonical and start <= p.start < stop and reading.is_earlier(p)]
    if near:
        return min(near, key=lambda p: abs(p.start - token.start)).canonical
    before = [p for p in reading.periods if p.canonical and p.end <= token.start and reading.is_earlier(p)]
    if cues.BY_NAME["earlier_when"].fires(reading) and before:
        return before[-1].canonical
    return reading.frame.canonical if reading.frame else None


def _comparison(reading: Reading, role: str, match: Match) -> Comparison:
    token, percent = reading.token, reading.percent
    if role == "relative_change":
        return Comparison(token.start, None, change=cues.change_sign(match) * token.value, percent=True, relative=True)
    if role == "change":
        return Comparison(token.start, None, change=cues.change_sign(match) * token.value, percent=percent)
    if role == "earlier":
        return Comparison(token.start, None, value=token.value, period=_earlier_period(reading), percent=percent)
    return Comparison(token.start, role, value=token.value, percent=percent)  # target, benchmarks, 'other'


def read_sentence(passage: Passage, periods: list[PeriodMention], current: tuple[date, date] | None) -> Sentence:
    """Classify every number of a sentence through the cue table into values and comparisons."""
    text = passage.text
    values: list[Value] = []
    comparisons: list[Comparison] = []
    zeros = [NumberToken(m.start(), m.start() + len(m.group("word") or m.group("word2") or m.group("word3")), "no",
                         0.0, True) for m in _NONE_OF.finditer(text)]
    zeros = [NumberToken(z.start, z.end, text[z.start:z.end], 0.0, True) for z in zeros]
    tokens = sorted(find_numbers(text) + zeros, key=lambda t: t.start)
    if not tokens:  # most sentences print no number: nothing below could find anything
        return Sentence(passage, values, comparisons, periods)
    frame = frame_of(text, periods)
    excluded = _excluded(text, periods)
    parts, percent_counts, consumed = _fractions(text)
    partner: tuple[NumberToken, str, Match] | None = None
    for token in tokens:
        if token in zeros:
            values.append(Value(token, passage, "count", 0.0))
            continue
        if token.start in consumed or _inside(token, excluded) or (token.is_word and _word_is_noise(text, token)):
            continue
        percent = bool(PERCENT_AFTER.match(text[token.end:]))
        reading = Reading(text, token, percent, tuple(periods), current, frame)
        cue, match = cues.classify(reading)
        role = cue.marks if cue else "value"
        joint = text[partner[0].end:token.start] if partner is not None else ""
        if partner is not None and (re.fullmatch(r"\s*%?\s*[-\u2013]\s*", joint)
                                    or (partner[1] == "noise" and re.fullmatch(r"\s*%?\s*to\s+", joint))):
            role, match = partner[1], partner[2]  # '18-22%': the second end of a range is what the first is
        partner = (token, role, match)
        if role == "noise":
            continue
        if role != "value":
            comparison = _comparison(reading, role, match)
            comparison.context = text
            comparisons.append(comparison)
            continue
        counted = _COUNT_THEN_PERCENT.match(text, token.end)
        if counted and not percent:
            percent_counts[counted.start("pct")] = token.value
            continue
        value = Value(token, passage, unit_of(text, token, percent), token.value)
        if token.start in parts:
            value.numerator, value.denominator = parts[token.start]
        if token.start in percent_counts:
            value.numerator = percent_counts[token.start]
        values.append(value)
    return Sentence(passage, values, comparisons, periods)
