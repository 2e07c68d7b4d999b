"""The offline rules backend: a deterministic reader of KPI statements in council minutes.

Data flow per document: sentences (passages.py) -> numbers classified as record values,
comparisons or noise -> comparisons, trends and target status attached to the values they
qualify (within the sentence, else the paragraph) -> status-only statements -> de-duplication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..documents import Document
from ..meta import detect_meta
from ..numbers import DIGIT_NUMBER, NumberToken, find_numbers, parse_digits
from ..passages import Passage, segment
from ..periods import PeriodMention, bounds, comparison_basis, find_periods
from ..schema import DocumentMeta, DocumentResult, KPIRecord
from . import cues
from .naming import indicator_name, status_indicator

BACKEND = "rules"
_NUM = DIGIT_NUMBER.pattern
_FRACTION = re.compile(
    rf"(?P<val>{_NUM})\s*(?:%|per\s?cent)?\s*\(\s*(?P<num>{_NUM})\s*(?:/|out\s+of|of)\s*(?P<den>{_NUM})\s*\)"
    rf"|(?P<val2>{_NUM})\s+out\s+of\s+(?:the\s+|a\s+total\s+of\s+)?(?P<den2>{_NUM})(?!\s*%)"
)
_COUNT_WITH_PERCENT = re.compile(rf"(?P<count>{_NUM})\s+(?:[A-Za-z-]+\s+){{0,5}}\(\s*(?P<pct>{_NUM})\s*%\s*\)")
_PERCENT_WITH_COUNT = re.compile(rf"(?P<pct>{_NUM})\s*%\s*\(\s*(?P<count>{_NUM})(?:\s+[a-z-]+){{1,3}}\s*\)")
_COUNT_THEN_PERCENT = re.compile(rf"\s+(?:[A-Za-z-]+\s+){{0,5}}\(\s*(?P<pct>{_NUM})\s*%\s*\)")
_NONE_OF = re.compile(
    r"\b(?P<word>no|none\s+of\s+the)\s+(?:children|child|young\s+people|young\s+person|care\s+leavers?|"
    r"families|foster\s+carers?)\s+(?:were|was|had|have|has)\b",
    re.I,
)
_ANAPHORA = re.compile(r"^\s*(?:this|these|that|it|which|the\s+aim|performance|the\s+target)\b", re.I)
_COMPARISON_FRAME = re.compile(r"^\s*(?:in\s+)?comparison\s+(?:with|to)\s+", re.I)
_WORD_NUMBER_SKIP = {"one", "a", "zero"}


@dataclass
class _Comparison:
    start: int
    basis: str | None  # None: an earlier figure whose basis depends on periods
    value: float | None = None
    change: float | None = None
    period: str | None = None
    percent: bool = False
    relative: bool = False
    context: str = ""


@dataclass
class _Value:
    token: NumberToken
    passage: Passage
    unit: str
    value: float
    numerator: float | None = None
    denominator: float | None = None
    period: str | None = None
    comparisons: list[_Comparison] = field(default_factory=list)
    trend: str | None = None
    target_met: bool | None = None
    indicator: str = ""


@dataclass
class _Sentence:
    passage: Passage
    values: list[_Value]
    comparisons: list[_Comparison]
    periods: list[PeriodMention]


def _as_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _excluded_spans(text: str, periods: list[PeriodMention]) -> list[tuple[int, int]]:
    spans = [(p.start, p.end) for p in periods]
    spans += [m.span() for m in cues.AGE_SPAN.finditer(text)]
    spans += [m.span() for m in cues.RATE_NEAR.finditer(text)]
    spans += [m.span() for m in cues.PHONE.finditer(text)]
    return spans


def _inside(token: NumberToken, spans: list[tuple[int, int]]) -> bool:
    return any(start <= token.start and token.end <= end for start, end in spans)


def _is_noise(text: str, token: NumberToken, percent: bool) -> bool:
    """Numbers that are references, sizes, ages, thresholds, timescales or offers, not measures."""
    before, after = text[: token.start], text[token.end:]
    if token.is_word:
        following = after.lstrip()[:1]
        if token.text.lower() in _WORD_NUMBER_SKIP or following.isupper() or after.lstrip().startswith("of "):
            return True
    if cues.REFERENCE_BEFORE.search(before[-30:]) or cues.FILE_SIZE_AFTER.match(after):
        return True
    if percent:
        return False
    if cues.THRESHOLD_AFTER.match(after) or cues.THRESHOLD_BEFORE.search(before[-30:]):
        return True
    if cues.TIME_AFTER.match(after):
        return not cues.DURATION_MEASURE.search(text)
    return bool(cues.OFFER.search(text))


def _unit(text: str, token: NumberToken, percent: bool) -> str:
    before, after = text[: token.start], text[token.end:]
    if percent:
        return "percent"
    if cues.POUND_BEFORE.search(before):
        return "gbp"
    time = cues.TIME_AFTER.match(after)
    if time:
        word = time.group(0).strip().lower()
        for unit in ("day", "week", "month", "hour"):
            if unit in word:
                return unit + "s"
        return "other"
    if cues.RATE_NEAR.search(after[:30]):
        return "rate_per_10000"
    rate_word = cues.last_match(cues.RATE_WORD, before)
    if rate_word is not None and cues.RATE_NEAR.search(text) and not cues.CLAUSE_END.search(before[rate_word.end():]):
        return "rate_per_10000"
    return "count" if token.is_integer else "other"


def _attached_period(text: str, token: NumberToken, periods: list[PeriodMention]) -> PeriodMention | None:
    """A period printed right beside a number: '84.1% in 2022/23', '2022/23 (1,461)', '2021/22, 75.8%'."""
    for period in periods:
        if period.canonical is None:
            continue
        gap_after = text[token.end:period.start]
        gap_before = text[period.end:token.start]
        if period.start >= token.end and re.fullmatch(
            r"\s*%?\s*(?:\w+\s+){0,3}?(?:in|at|during|for|as\s+at|by)\s+(?:the\s+end\s+of\s+)?", gap_after, re.I
        ):
            return period
        if period.end <= token.start and re.fullmatch(
            r"\s*[(,:]\s*|\s+(?:which\s+|when\s+)?(?:saw|was|had|were)\s+", gap_before
        ):
            return period
    return None


def _current_end(periods: list[PeriodMention], report: str | None) -> tuple | None:
    ends = [bounds(p.canonical) for p in periods if p.canonical]
    if report:
        ends.append(bounds(report))
    return max(ends, key=lambda b: b[1]) if ends else None


def _is_earlier(period: PeriodMention, current: tuple | None) -> bool:
    return bool(current and period.canonical and bounds(period.canonical)[1] < current[0])


def _comparison_for(
    text: str, token: NumberToken, percent: bool, periods: list[PeriodMention], current: tuple | None,
    frame: PeriodMention | None,
) -> _Comparison | None:
    """The comparison a number is, if it is one."""
    before, after = text[: token.start], text[token.end:]
    value = token.value
    if percent and cues.RELATIVE_CHANGE_AFTER.match(after):
        return _Comparison(token.start, None, change=value, percent=True, relative=True)
    change = cues.CHANGE_BEFORE.search(before[-40:]) or cues.CHANGE_AFTER.match(after)
    if change and not cues.TARGET_AFTER.match(after):
        sign = -1 if change.group("word").lower() in cues.NEGATIVE_CHANGE else 1
        return _Comparison(token.start, None, change=sign * value, percent=percent)
    if cues.TARGET_BEFORE.search(before[-45:]) or cues.TARGET_AFTER.match(after):
        return _Comparison(token.start, "target", value=value, percent=percent)
    for basis, pattern in cues.BENCHMARK_BEFORE.items():
        if pattern.search(before[-45:]) or cues.BENCHMARK_AFTER[basis].match(after):
            return _Comparison(token.start, basis, value=value, percent=percent)
    attached = _attached_period(text, token, periods)
    if attached is not None and _is_earlier(attached, current):
        return _Comparison(token.start, None, value=value, period=attached.canonical, percent=percent)
    earlier_period = _clause_period(text, token, periods, current) or (frame.canonical if frame else None)
    clause_before = before[max(before.rfind(","), before.rfind(";"), 0):]
    if cues.FROM_BEFORE.search(before) and (
        cues.TO_AFTER.match(after) or attached is not None or cues.CHANGE_VERB.search(clause_before)
    ):
        return _Comparison(token.start, None, value=value, percent=percent, period=earlier_period)
    cue = cues.last_match(cues.COMPARE_CUE, before)
    strong = cue is not None and not cues.CLAUSE_END.search(before[cue.end():])
    if strong or cues.NEAR_COMPARE_CUE.search(before[-30:]) or _in_earlier_parenthesis(text, token, periods, current):
        return _Comparison(token.start, None, value=value, period=earlier_period, percent=percent)
    if frame is not None and not re.search(r"\bto\s*$", before):
        return _Comparison(token.start, None, value=value, period=frame.canonical, percent=percent)
    return None


def _clause_period(
    text: str, token: NumberToken, periods: list[PeriodMention], current: tuple | None
) -> str | None:
    """The earlier period printed in the same clause as a comparison figure, nearest first."""
    end = cues.CLAUSE_END.search(text, token.end)
    stop = end.start() if end else len(text)
    start = max(text.rfind(",", 0, token.start), text.rfind(";", 0, token.start), 0)
    near = [p for p in periods if p.canonical and start <= p.start < stop and _is_earlier(p, current)]
    if not near:
        return None
    return min(near, key=lambda p: abs(p.start - token.start)).canonical


def _in_earlier_parenthesis(
    text: str, token: NumberToken, periods: list[PeriodMention], current: tuple | None
) -> bool:
    """Inside brackets that name only earlier periods: '(2022/23, 84.6% ... with 59.1% ...)'."""
    open_at = text.rfind("(", 0, token.start)
    if open_at < 0 or ")" in text[open_at:token.start]:
        return False
    close_at = text.find(")", token.end)
    close_at = len(text) if close_at < 0 else close_at
    inside = [p for p in periods if open_at < p.start < close_at and p.canonical]
    return bool(inside) and all(_is_earlier(p, current) for p in inside)


def _fractions(text: str) -> tuple[dict[int, tuple[float, float]], dict[int, float], set[int]]:
    """Numerator/denominator pairs by value position, count-with-percent pairs, and consumed positions."""
    parts: dict[int, tuple[float, float]] = {}
    percent_counts: dict[int, float] = {}
    consumed: set[int] = set()
    for m in _FRACTION.finditer(text):
        if m.group("val") is not None:
            parts[m.start("val")] = (parse_digits(m.group("num")), parse_digits(m.group("den")))
            consumed |= {m.start("num"), m.start("den")}
        else:
            parts[m.start("val2")] = (parse_digits(m.group("val2")), parse_digits(m.group("den2")))
            consumed.add(m.start("den2"))
    for m in _COUNT_WITH_PERCENT.finditer(text):
        if m.start("count") not in consumed and m.start("count") not in parts:
            percent_counts[m.start("pct")] = parse_digits(m.group("count"))
            consumed.add(m.start("count"))
    for m in _PERCENT_WITH_COUNT.finditer(text):
        if m.start("count") not in consumed:
            percent_counts[m.start("pct")] = parse_digits(m.group("count"))
            consumed.add(m.start("count"))
    return parts, percent_counts, consumed


def _read_sentence(
    passage: Passage, periods: list[PeriodMention], report: str | None, block_periods: list[PeriodMention]
) -> _Sentence:
    text = passage.text
    current = _current_end(block_periods, report)
    frame = None
    frame_match = _COMPARISON_FRAME.match(text)
    if frame_match:
        frame = next((p for p in periods if p.start <= frame_match.end() + 2 and p.canonical), None)
    excluded = _excluded_spans(text, periods)
    parts, percent_counts, consumed = _fractions(text)
    values: list[_Value] = []
    comparisons: list[_Comparison] = []
    zeros = [NumberToken(m.start(), m.start() + len(m.group("word")), m.group("word"), 0.0, True)
             for m in _NONE_OF.finditer(text)]
    for token in sorted(find_numbers(text) + zeros, key=lambda t: t.start):
        if token.value == 0 and token in zeros:
            values.append(_Value(token, passage, "count", 0.0))
            continue
        if token.start in consumed or _inside(token, excluded):
            continue
        percent = bool(cues.PERCENT_AFTER.match(text[token.end:]))
        if _is_noise(text, token, percent):
            continue
        comparison = _comparison_for(text, token, percent, periods, current, frame)
        if comparison is not None:
            comparison.context = text
            comparisons.append(comparison)
            continue
        if cues.POUND_BEFORE.search(text[: token.start]) and not cues.MONEY_MEASURE.search(text):
            continue
        counted = _COUNT_THEN_PERCENT.match(text, token.end)
        if counted and not percent:
            percent_counts[token.end + counted.start("pct") - token.end] = token.value
            continue
        value = _Value(token, passage, _unit(text, token, percent), token.value)
        if token.start in parts:
            value.numerator, value.denominator = parts[token.start]
        if token.start in percent_counts:
            value.numerator = percent_counts[token.start]
        values.append(value)
    return _Sentence(passage, values, comparisons, periods)


def _compatible(comparison: _Comparison, value: _Value) -> bool:
    if comparison.relative:
        return value.unit == "percent"
    return not comparison.percent or value.unit == "percent"


def _attach_comparisons(sentence: _Sentence, previous: list[_Value]) -> None:
    """Give each comparison to the value it qualifies: in its sentence, else the paragraph's last values."""
    orphans: list[_Comparison] = []
    for comparison in sentence.comparisons:
        fits = [v for v in sentence.values if _compatible(comparison, v)]
        before = [v for v in fits if v.token.start < comparison.start]
        if before:
            before[-1].comparisons.append(comparison)
        elif fits and comparison.basis in ("target", "national", "statistical_neighbours", "regional"):
            for value in fits:
                value.comparisons.append(comparison)
        elif fits:
            fits[0].comparisons.append(comparison)
        else:
            orphans.append(comparison)
    if not orphans or not previous:
        return
    earlier = [c for c in orphans if c.basis is None and not c.relative]
    others = [c for c in orphans if c not in earlier and not c.relative]
    for comparison in others:
        for value in previous:
            if _compatible(comparison, value):
                value.comparisons.append(comparison)
                break
    fits = [v for v in previous if all(_compatible(c, v) for c in earlier)]
    if not earlier or not fits:
        return
    if len(fits) > 1 and len(earlier) % len(fits) == 0:
        for index, comparison in enumerate(earlier):
            fits[index % len(fits)].comparisons.append(comparison)
    else:
        fits[-1].comparisons.extend(earlier)


def _trend_in(text: str, values: list[_Value]) -> tuple[str, int] | None:
    stated = re.search(r"\b(?:reduc|increas|decreas|lower|higher)", text.replace("up to date", ""))
    if cues.NOT_A_TREND.search(text) and not stated:
        return None
    cleaned = re.sub(r"\bup\s+to\s+date\b|\bto\s+(?:increase|reduce|lower|improve|decrease)\b", " ", text, flags=re.I)
    for trend, pattern in cues.TREND_WORDS:
        m = pattern.search(cleaned)
        if m and not cues.PERFORMANCE_CHANGE.search(cleaned[max(0, m.start() - 2): m.end() + 20]):
            return trend, m.start()
    evaluative_ok = values and all(
        v.unit == "percent" and cues.HIGHER_IS_BETTER.search(v.passage.text) for v in values
    )
    if evaluative_ok:
        for trend, pattern in cues.EVALUATIVE:
            m = pattern.search(cleaned)
            if m:
                return trend, m.start()
        m = cues.PERFORMANCE_CHANGE.search(cleaned)
        if m:
            return ("down" if m.group(0).lower().startswith(("decrease", "reduction", "decline")) else "up"), m.start()
    return None


def _target_status(text: str) -> bool | None:
    if cues.TARGET_MET.search(text):
        return True
    if cues.TARGET_MISSED.search(text):
        return False
    return None


def _apply_status(sentence: _Sentence, previous: list[_Value], pending: list[str]) -> None:
    """Trend and target status words: to the sentence's own values, else the paragraph's last values."""
    text = sentence.passage.text
    own = sentence.values
    targets = [v for v in own if any(c.basis == "target" for c in v.comparisons)]
    met = _target_status(text)
    if met is not None:
        for value in targets or own or previous:
            if value.target_met is None:
                value.target_met = met
    found = _trend_in(text, own or previous)
    if found is None:
        return
    trend, at = found
    if own:
        nearest = min(own, key=lambda v: min(abs(v.token.start - at), abs(at - v.token.end)))
        nearest.trend = nearest.trend or trend
    elif previous:
        for value in previous:
            value.trend = value.trend or trend
    else:
        pending.append(trend)


def _record_period(value: _Value, sentence: _Sentence, block: list[_Sentence], report: str | None) -> str | None:
    text = sentence.passage.text
    current = _current_end([p for s in block for p in s.periods], report)
    own = [p for p in sentence.periods if p.canonical and not _is_earlier(p, current)]
    claimed = {c.period for c in value.comparisons}
    own = [p for p in own if p.canonical not in claimed or p.kind in ("month", "date")]
    if own:
        nearest = min(own, key=lambda p: min(abs(p.start - value.token.end), abs(value.token.start - p.end)))
        return nearest.canonical
    for other in block:
        for period in other.periods:
            if period.canonical and not _is_earlier(period, current) and period.kind != "year":
                return period.canonical
    if cues.REPORT_RELATIVE.search(text) or report:
        return report
    return None


def _finish_comparisons(value: _Value) -> list[dict]:
    out = []
    for comparison in value.comparisons:
        if comparison.relative and value.unit != "percent":
            continue
        basis = comparison.basis
        if basis is None:
            context = comparison.context
            if comparison.period and value.period:
                basis = comparison_basis(comparison.period, value.period)
            elif cues.PREVIOUS_YEAR.search(context):
                basis = "previous_year"
            elif cues.PREVIOUS_PERIOD.search(context):
                basis = "previous_period"
            elif comparison.period:
                basis = "previous_year"
            else:
                basis = "previous_period"
        out.append({
            "basis": basis,
            "value": None if comparison.value is None else _as_number(comparison.value),
            "change": None if comparison.change is None else _as_number(comparison.change),
            "period": comparison.period,
        })
    return out


def _status_records(block: list[_Sentence], intro_met: bool | None, report: str | None) -> list[dict]:
    """Status-only records from a paragraph that prints no value of its own."""
    found: list[dict] = []
    first = block[0].passage
    if first.bullet:
        spec = cues.STATUS_SPEC.match(first.text)
        said = spec and (cues.STATUS_WORDS.search(spec.group("rest")) or intro_met is not None)
        if said and len(spec.group("lead").split()) <= 14:
            rest = spec.group("rest")
            found.append({
                "indicator": status_indicator(spec.group("lead")),
                "trend": _status_trend(rest),
                "target_met": _target_status(rest) if _target_status(rest) is not None else intro_met,
                "start": first.start, "end": first.end,
            })
    for sentence in block:
        text = sentence.passage.text
        matches = [(m, m.group("noun")) for m in cues.STATUS_CHANGE_IN.finditer(text)]
        matches += [(m, m.group("verb")) for m in cues.STATUS_NUMBER_OF.finditer(text)]
        for m, word in matches:
            np = m.group("np")
            window = text[max(0, m.start() - 40): m.end()]
            if cues.NOT_STATUS.search(window) or re.match(r"\s*performance\b", np, re.I):
                continue
            if _ANAPHORA.match(text) and not m.group(0).lower().startswith(("there", "the number")):
                continue
            trend = _status_trend(word)
            start = sentence.passage.start + m.start()
            record = {"indicator": status_indicator(np), "trend": trend, "target_met": None,
                      "start": start, "end": sentence.passage.start + m.end()}
            if found and _similar(found[0]["indicator"], record["indicator"]):
                found[0]["trend"] = found[0]["trend"] or trend
                continue
            found.append(record)
    period = _block_period(block, report)
    for record in found:
        record["period"] = period
    return found


def _status_trend(text: str) -> str | None:
    for trend, pattern in cues.TREND_WORDS:
        if pattern.search(text) and not cues.PERFORMANCE_CHANGE.search(text):
            return trend
    for trend, pattern in cues.EVALUATIVE:
        if pattern.search(text) and not cues.PERFORMANCE_CHANGE.search(text):
            return trend
    return None


def _block_period(block: list[_Sentence], report: str | None) -> str | None:
    for sentence in block:
        for period in sentence.periods:
            if period.canonical and period.kind != "year":
                return period.canonical
    return report


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(a.lower(), b.lower()) >= 70


def _blocks(passages: list[Passage]) -> list[list[Passage]]:
    grouped: dict[int, list[Passage]] = {}
    for passage in passages:
        grouped.setdefault(passage.block, []).append(passage)
    return list(grouped.values())


def extract_records(document: Document, meta: DocumentMeta | None = None) -> list[KPIRecord]:
    """Read a document's KPI statements into records, each with evidence and character offsets."""
    text = document.text
    meta = meta or detect_meta(text)
    report = meta.report_period
    raw: list[dict] = []
    intro_met: bool | None = None
    for block_passages in _blocks(segment(text)):
        # Periods are found once per sentence: the paragraph's set decides what counts as earlier.
        sentence_periods = [find_periods(passage.text) for passage in block_passages]
        block_periods = [p for periods in sentence_periods for p in periods]
        sentences: list[_Sentence] = []
        previous: list[_Value] = []
        pending: list[str] = []
        before = ""
        for passage, periods in zip(block_passages, sentence_periods, strict=True):
            sentence = _read_sentence(passage, periods, report, block_periods)
            for comparison in sentence.comparisons:
                # 'the same period last year. 78 entered, a reduction of 13': the basis may be
                # named in the sentence before.
                comparison.context = before + " " + comparison.context
            before = passage.text
            _attach_comparisons(sentence, previous)
            if sentence.values and pending:
                sentence.values[0].trend = pending.pop()
            _apply_status(sentence, previous, pending)
            if sentence.values:
                previous = sentence.values
            sentences.append(sentence)
        values = [v for s in sentences for v in s.values]
        if not block_passages[0].bullet:
            last = block_passages[-1].text.rstrip()
            if last.endswith(":") or last.endswith(": -") or last.endswith(":-"):
                intro_met = (False if cues.LIST_INTRO_MISSED.search(last)
                             else True if cues.LIST_INTRO_MET.search(last) else None)
            else:
                intro_met = None
        if not values:
            for status in _status_records(sentences, intro_met if block_passages[0].bullet else None, report):
                raw.append({**status, "value": None, "unit": None, "numerator": None,
                            "denominator": None, "comparisons": [], "suspect": False})
            continue
        by_sentence = {id(s.passage): s for s in sentences}
        for value in values:
            sentence = by_sentence[id(value.passage)]
            value.period = _record_period(value, sentence, sentences, report)
            comparisons = _finish_comparisons(value)
            if value.trend is None:
                changes = [c["change"] for c in comparisons if c["change"]]
                if changes:
                    value.trend = "up" if changes[0] > 0 else "down"
            raw.append({
                "indicator": indicator_name(value.passage.text, value.token, [v.token for v in sentence.values]),
                "value": _as_number(value.value), "unit": value.unit, "period": value.period,
                "numerator": None if value.numerator is None else _as_number(value.numerator),
                "denominator": None if value.denominator is None else _as_number(value.denominator),
                "comparisons": comparisons, "target_met": value.target_met, "trend": value.trend,
                "suspect": False, "start": value.passage.start, "end": value.passage.end,
            })
    return _deduplicate([_to_record(text, r) for r in raw])


def _to_record(text: str, raw: dict) -> KPIRecord:
    start, end = raw.pop("start"), raw.pop("end")
    return KPIRecord(**raw, evidence=" ".join(text[start:end].split()), start=start, end=end)


def _deduplicate(records: list[KPIRecord]) -> list[KPIRecord]:
    """The same measure stated twice in one document is one record: keep its first statement."""
    kept: list[KPIRecord] = []
    for record in records:
        duplicate = any(
            other.value is not None and other.value == record.value and other.unit == record.unit
            and other.period == record.period and _similar(other.indicator, record.indicator)
            and other.evidence != record.evidence
            for other in kept
        )
        if not duplicate:
            kept.append(record)
    return kept


def extract(document: Document) -> DocumentResult:
    """Run the rules backend over one document and return its kpi-records/1 result."""
    meta = detect_meta(document.text)
    return DocumentResult(document=document.name, meta=meta, records=extract_records(document, meta))
