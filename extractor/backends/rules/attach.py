"""Give comparisons, trends and target status to the values they qualify, and finish their bases."""

from __future__ import annotations

import re
from datetime import date

from ...periods import PeriodMention, bounds, comparison_basis, quarter_of_range
from .reading import compared_periods, named_outside_brackets
from .sentence import Comparison, Sentence, Value
from .status import evaluative_direction, statements, target_status, trend_word
from .timing import MEETING_RELATIVE

_I = re.IGNORECASE
PREVIOUS_YEAR = re.compile(
    r"\b(?:last\s+year|previous\s+year|prior\s+year|year\s+before|same\s+(?:period|time|quarter|point)\s+"
    r"(?:last|the\s+previous|in\s+the\s+previous)\s+year|previous\s+(?:financial\s+)?years?|last\s+\d+\s+years|"
    r"year[\s-]on[\s-]year|this\s+time\s+last\s+year|(?:a|one|12\s+months|twelve\s+months)\s+(?:year\s+)?(?:earlier|ago|before))\b",
    _I,
)
PREVIOUS_PERIOD = re.compile(
    r"\b(?:last|previous|prior|preceding)\s+(?:quarter|month|period|reporting\s+period|qtr|reports?|update|meeting)\b",
    _I,
)


# A sentence of minutes reporting what someone said in the meeting, not what a report states.
DISCUSSED = re.compile(
    r"\b(?:members|councillors?|cllr|the\s+(?:panel|committee|board|chair(?:man)?|meeting))\s+(?:was\s+|were\s+|had\s+been\s+)?"
    r"(?:also\s+)?(?:heard|told|informed|advised|asked|queried|questioned)\b"
    r"|\bit\s+was\s+(?:also\s+|further\s+)?(?:noted|reported|heard|explained|confirmed|stated)\s+that\b"
    r"|\b(?:in\s+(?:response|answer|reply)\s+to\s+(?:a\s+|the\s+)?(?:question|query|queries|questions)|"
    r"responding\s+to\s+(?:a\s+|the\s+)?(?:question|query))\b"
    r"|\b(?:he|she|they|the\s+(?:director|head\s+of\s+service|service\s+manager|officer|lead\s+member|cabinet\s+member|"
    r"portfolio\s+holder)|officers?)\s+(?:also\s+)?(?:said|stated|explained|commented|added|responded|replied|"
    r"advised|informed|told)\b", _I)
REPORT_RELATIVE = re.compile(
    r"\b(?:this\s+(?:quarter|year|month|period|reporting\s+year|reporting\s+period)|year\s+to\s+date|ytd|"
    r"(?:in|during|at\s+the\s+end\s+of|for|over|within)\s+the\s+(?:quarter|reporting\s+period))\b", _I)


def _compatible(comparison: Comparison, value: Value) -> bool:
    if comparison.relative:
        return value.unit == "percent"
    return not comparison.percent or value.unit == "percent"


def attach_comparisons(sentence: Sentence, previous: list[Value]) -> list[Comparison]:
    """Give each comparison to the value it qualifies: in its sentence, else the paragraph's last values.

    Returns the comparisons no value could take (a change printed on its own, a lone benchmark).
    """
    orphans: list[Comparison] = []
    for comparison in sentence.comparisons:
        fits = [v for v in sentence.values if _compatible(comparison, v)]
        before = [v for v in fits if v.token.start < comparison.start]
        if before:
            before[-1].comparisons.append(comparison)
        elif fits and comparison.basis in ("target", "national", "statistical_neighbours", "regional", "other"):
            for value in fits:
                value.comparisons.append(comparison)
        elif fits:
            fits[0].comparisons.append(comparison)
        else:
            orphans.append(comparison)
    if not orphans or not previous:
        return orphans
    left: list[Comparison] = []
    earlier = [c for c in orphans if c.basis is None and c.change is None]
    for comparison in orphans:
        if comparison in earlier:
            continue
        target = next((v for v in reversed(previous) if _compatible(comparison, v)), None)
        if target is None:
            left.append(comparison)
        else:
            target.comparisons.append(comparison)
    fits = [v for v in previous if all(_compatible(c, v) for c in earlier)]
    if earlier and not fits:
        return left + earlier
    if len(fits) > 1 and earlier and len(earlier) % len(fits) == 0:
        for index, comparison in enumerate(earlier):
            fits[index % len(fits)].comparisons.append(comparison)
    elif earlier:
        fits[-1].comparisons.extend(earlier)
    return left


def apply_status(sentence: Sentence, previous: list[Value], pending: list[str]) -> None:
    """Trend and target words: to the sentence's own values, else the paragraph's last values, else the
    next value of the paragraph (a status stated before its number)."""
    text = sentence.passage.text
    own = sentence.values
    targets = [v for v in own if any(c.basis == "target" for c in v.comparisons)]
    met = target_status(text)
    if met is not None:
        for value in targets or own or previous:
            if value.target_met is None:
                value.target_met = met
    for value in own:  # each value's own clause first: 'X had increased to 37.9%, and Y had reduced to 17'
        start, end = _clause_of(text, value.token.start)
        said = trend_word(text[start:end])
        if said and value.trend is None:
            value.trend = said[0]
    found = trend_word(text)
    if found is None:
        return
    trend, at = found
    if own:
        if any(v.trend for v in own):
            return
        start, end = _clause_of(text, at)
        if not any(start <= v.token.start < end for v in own) and any(
                s.start <= at < s.end for s in statements(text)):
            return  # ', and the proportion of cases stepped up fell': a status of its own clause
        nearest = min(own, key=lambda v: min(abs(v.token.start - at), abs(at - v.token.end)))
        nearest.trend = trend
    elif previous:
        for value in previous:
            value.trend = value.trend or trend
    else:
        pending.append(trend)


_CLAUSE_SPLIT = re.compile(r";|,\s+(?:and|but|while|whereas|although|however)\s|\s(?:but|while|whereas|although)\s", _I)


def _clause_of(text: str, at: int) -> tuple[int, int]:
    """[start, end) of the clause of text holding position at."""
    start, end = 0, len(text)
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return start, end


def finish_trend(value: Value, comparisons: list[dict], indicator: str) -> str | None:
    """The value's direction: stated 'same' wins; otherwise printed earlier figures or changes decide,
    then direction words, then evaluative words where the indicator says which way is better."""
    if value.trend == "same":
        return "same"
    earlier = [c["value"] for c in comparisons
               if c["value"] is not None and c["basis"] in ("previous_period", "previous_year", "other")]
    changes = [c["change"] for c in comparisons if c["change"]]
    if value.trend in ("better", "worse") and earlier:
        return "up" if value.value > earlier[0] else "down" if value.value < earlier[0] else "same"
    if value.trend in ("up", "down"):
        return value.trend
    if changes:
        return "up" if changes[0] > 0 else "down"
    if value.trend in ("better", "worse"):
        return evaluative_direction(value.trend, indicator + " " + value.passage.text)
    return None


def finish_comparisons(value: Value) -> list[dict]:
    """The value's comparisons in kpi-records/1 form, each earlier figure with its basis decided."""
    out = []
    for comparison in value.comparisons:
        if comparison.relative and value.unit != "percent":
            continue  # a relative change on a count is neither its value nor a change (records.md)
        basis = comparison.basis
        if basis is None:
            context = comparison.context
            if comparison.period and value.period and bounds(comparison.period)[1] < bounds(value.period)[0]:
                basis = comparison_basis(comparison.period, value.period)
            elif PREVIOUS_YEAR.search(context):
                basis = "previous_year"
            elif PREVIOUS_PERIOD.search(context):
                basis = "previous_period"
            elif comparison.period:
                basis = "previous_year"
            else:
                basis = "previous_period"
        out.append({
            "basis": basis,
            "value": None if comparison.value is None else as_number(comparison.value),
            "change": None if comparison.change is None else as_number(comparison.change),
            "period": comparison.period,
        })
    return out


def record_period(value: Value, sentence: Sentence, block: list[Sentence], current: tuple[date, date] | None,
                  report: str | None) -> str | None:
    """The value's own period in its sentence, else one its paragraph names, else the report's."""

    def is_earlier(period: PeriodMention) -> bool:
        return bool(current and period.canonical and bounds(period.canonical)[1] < current[0])

    # A period that dates a comparison in the paragraph ('compared to 23 in March 2022') is not the value's.
    claimed = {c.period for s in block for v in s.values for c in v.comparisons if c.period}
    claimed |= compared_periods(sentence.passage.text, sentence.periods)
    own = [p for p in sentence.periods if p.canonical and not is_earlier(p) and p.canonical not in claimed]
    text = sentence.passage.text
    # A date in brackets is a note on the data ('(figures run 04.04.23)'), not the period a clause names.
    own = named_outside_brackets(text, own)
    def distance(period: PeriodMention) -> int:
        return min(abs(period.start - value.token.end), abs(value.token.start - period.end))

    undetermined = [p for p in sentence.periods if p.kind in MEETING_RELATIVE and p.canonical is None]
    if undetermined and (not own or min(map(distance, undetermined)) < min(map(distance, own))):
        # 'since the panel last met', or 'as at today' without a meeting date, nearer the value than any
        # period ('Since the Board last met, 9 children had been adopted, and ... in February'): not determined
        return None
    if own:
        return _in_report_terms(min(own, key=distance).canonical, report)
    if report and REPORT_RELATIVE.search(sentence.passage.text):
        return report  # 'this quarter', 'year to date': the report's own period (records.md)
    named = [p for other in block for p in other.periods if p.canonical and p.kind != "year"]
    # A figure someone states in the discussion ('Members heard that 31% ...') is not the report's: it takes
    # no period the paragraph does not name.
    inherited = None if DISCUSSED.search(sentence.passage.text) else report
    return _in_report_terms(next((p.canonical for p in named if not is_earlier(p) and p.canonical not in claimed),
                                 inherited), report)


def _in_report_terms(period: str | None, report: str | None) -> str | None:
    """The months of the report's quarter, spelt out, are the report's quarter."""
    return report if period and report and quarter_of_range(period) == report else period


def as_number(value: float) -> int | float:
    """1554.0 -> 1554; 93.4 stays."""
    return int(value) if float(value).is_integer() else value
