"""Status-only records of a paragraph (records.md include 4): what a paragraph printing no value says
of how a measure moved or stands against its target, a status beside another measure's value, and
the period each status takes from its own sentence.

The wordings themselves are status.py's and wording.py's; this module decides which statements are
records of their own and which are the direction of a value already read.
"""

from __future__ import annotations

import re

from ...grounding import (
    OTHER_MEASURE_BELOW,
    SAME_MEASURE_ACROSS_CHUNKS,
    SAME_MEASURE_RESTATED,
    SAME_STATUS_RESTATED,
    same_name,
)
from ...passages import Passage
from ...periods import bounds
from .attach import REPORT_RELATIVE, as_number
from .lexicon import SERVICE_NOUN
from .naming import status_indicator
from .reading import compared_periods, named_outside_brackets
from .sentence import Comparison, Sentence
from .status import (
    NOT_STATUS,
    STATUS_SPEC_WORDS,
    Statement,
    listed_status,
    rag_rating,
    statements,
    target_status,
    trend_word,
)
from .trimming import CAUSE

_STATUS_SPEC = re.compile(r"^(?P<lead>[A-Z][^\n]{3,140}?)\s+[\u2013\u2014-]\s+(?P<rest>\S.*)$", re.S)
_STATUS_SPEC_COLON = re.compile(r"^(?P<lead>[A-Z][^\n:]{3,140}?):\s+(?P<rest>\S.*)$", re.S)
_LIST_INTRO_MISSED = re.compile(r"\bnot\s+(?:been\s+)?(?:achieved|met)|below\s+target|off\s+target|\bred\b", re.I)
_LIST_INTRO_MET = re.compile(r"\b(?:been\s+)?(?:achieved|met|exceeded|on\s+target)\b", re.I)


def list_intro(block: list[Passage]) -> tuple[bool | None, str | None] | None:
    """A paragraph ending 'the indicators that had not been achieved were:' or 'The following areas had
    improved:' gives the bullets after it a status: (target_met, trend)."""
    last = block[-1].text.rstrip()
    if not last.endswith((":", ": -", ":-")):
        return None
    if _LIST_INTRO_MISSED.search(last):
        return False, None
    if _LIST_INTRO_MET.search(last):
        return True, None
    return listed_status(last)


def _status_raw(statement: Statement, passage: Passage, period: str | None,
                comparisons: list[dict] | None = None, whole: bool = False) -> dict:
    start = passage.start if whole else passage.start + statement.start
    end = passage.end if whole else passage.start + statement.end
    indicator = status_indicator(statement.indicator, passage.text[: statement.start])
    return {"indicator": indicator, "value": None, "unit": None, "period": period,
            "numerator": None, "denominator": None, "comparisons": comparisons or [],
            "target_met": statement.target_met, "trend": statement.trend, "suspect": False,
            "start": start, "end": end}


def _orphan_comparisons(orphans: list[Comparison]) -> tuple[list[dict], str | None]:
    """A change printed with no value to take it: kept as a comparison when it is in the measure's own
    units ('a drop of 10 percentage points', 'an increase of 5 individuals'); its sign is the trend."""
    out: list[dict] = []
    trend = None
    for comparison in orphans:
        if comparison.change is None:
            continue
        trend = trend or ("up" if comparison.change > 0 else "down")
        own_units = not comparison.percent or re.search(r"percentage\s+points?|\bpp\b", comparison.context, re.I)
        if own_units and not comparison.relative:
            basis = "previous_year" if re.search(r"\blast\s+year|previous\s+year", comparison.context, re.I) \
                else "previous_period"
            out.append({"basis": basis, "value": None, "change": as_number(comparison.change), "period": None})
    return out, trend


def status_records(sentences: list[Sentence], orphans: list[list[Comparison]],
                    intro: tuple[bool | None, str | None] | None, period: str | None) -> list[dict]:
    """Status-only records from a paragraph that prints no value of its own."""
    found: list[dict] = []
    first = sentences[0].passage
    intro_met, intro_trend = intro or (None, None)
    spec = (_STATUS_SPEC.match(first.text) or _STATUS_SPEC_COLON.match(first.text)) if first.bullet else None
    spec = spec if spec and len(spec.group("lead").split()) <= 14 and (
        STATUS_SPEC_WORDS.search(spec.group("rest")) or intro is not None) else None
    if spec:
        rest = spec.group("rest")
        met = target_status(rest)
        said = trend_word(rest)
        trend = said[0] if said and said[0] in ("up", "down", "same") else intro_trend
        statement = Statement(spec.group("lead"), trend, met if met is not None else intro_met, 0, len(first.text))
        found.append(_status_raw(statement, first, period, whole=True))
    elif intro is not None and first.bullet and len(sentences) == 1 and len(first.text.split()) <= 16:
        # A bare item under 'The following areas had improved:' names an indicator with that status.
        found.append(_status_raw(Statement(first.text.rstrip(" .;"), intro_trend, intro_met, 0, len(first.text)),
                                 first, period, whole=True))
        return found
    for sentence, left in zip(sentences, orphans, strict=True):
        passage = sentence.passage
        changes, changed = _orphan_comparisons(left)
        said = statements(passage.text)
        for statement in said:
            # A bullet 'Indicator - comment' opens with its lead indicator's comment; a statement that
            # names the same measure again is the same record.
            # 'a decrease in timely completion of return interviews ... the decrease in timely returns'
            into = found[0] if spec and (passage is first or _similar(found[0], statement)) else next(
                (f for f in found if f["start"] < passage.start and f["trend"] == statement.trend
                 and _similar(f, statement, SAME_STATUS_RESTATED)),
                found[-1] if found and _similar(found[-1], statement, SAME_MEASURE_ACROSS_CHUNKS) else None)
            if into is not None:
                into["trend"] = into["trend"] or statement.trend
                continue
            whole = statement.start == 0 and statement.end == len(passage.text)
            found.append(_status_raw(statement, passage, period, changes if len(said) == 1 else [], whole))
        if said or not changed:
            continue
        if found:  # 'an increase in first-time entrants. However, the data represented an increase of 5'
            found[-1]["comparisons"] = found[-1]["comparisons"] or changes
            found[-1]["trend"] = found[-1]["trend"] or changed
        elif rag_rating(passage.text) is None and names_a_service(passage.text):
            name = passage.heading or passage.text
            found.append(_status_raw(Statement(name, changed, None, 0, len(passage.text)), passage, period,
                                     changes, whole=True))
    return found


def _similar(record: dict, statement: Statement, threshold: int = SAME_MEASURE_RESTATED) -> bool:
    return same_name(record["indicator"], statement.indicator, threshold)


# A period in a clause giving a cause dates the cause: 'had reduced over the quarter, following the
# recruitment of 14 social workers in September'.
_CAUSE_BEFORE = re.compile(
    r"\b(?:following|after|because\s+of|due\s+to|since|reflecting|as\s+a\s+result\s+of)\b[^,;.]*$", re.I)
# Over the report's own span: 'over the quarter', 'through the year' (in a year's report).
_OVER_THE_REPORT = re.compile(
    r"\b(?:through(?:out)?|during|over|across|in)\s+the\s+(?:quarter|year|reporting\s+period)\b", re.I)


def statement_periods(found: list[dict], sentences: list[Sentence], report: str | None) -> list[dict]:
    """Each status-only record's period from its own sentence: a period it names (not one that dates a
    comparison or a cause), else the report's when it speaks of the report's span ('this quarter',
    'through the year' in a year's report), else the paragraph's."""
    for record in found:
        sentence = next((s for s in sentences if s.passage.start <= record["start"] < s.passage.end), None)
        if sentence is None:
            continue
        text = sentence.passage.text
        dated = compared_periods(text, sentence.periods)
        own = [p for p in named_outside_brackets(text, sentence.periods) if p.canonical and p.kind != "year"
               and p.canonical not in dated and not _CAUSE_BEFORE.search(text[:p.start])]
        over = _OVER_THE_REPORT.search(text)
        if own:
            record["period"] = own[0].canonical
        elif report and (REPORT_RELATIVE.search(text) or (over and ("quarter" in over.group(0).lower())
                                                          == (" Q" in report))):
            record["period"] = report
    return found


def block_period(sentence_periods: list[list], report: str | None) -> str | None:
    """The latest period a paragraph names (not a bare year), else the report's."""
    named = [p for periods in sentence_periods for p in periods if p.canonical and p.kind != "year"]
    return max(named, key=lambda p: bounds(p.canonical)[1]).canonical if named else report


def other_statuses(sentences: list[Sentence], values: list[dict], period: str | None) -> list[dict]:
    """Status-only statements in a paragraph that also prints values, where they name another measure:
    'Children in care numbers was increasing, largely due to ... asylum seeking children, now 48'."""
    found: list[dict] = []
    for sentence in sentences:
        text = sentence.passage.text
        # A percentage change of a count ('Arrests fell by 9%') is no number of the clause's own: the
        # clause is a status-only statement (records.md), its trend the change's sign.
        numbers = [v.token.start for v in sentence.values] + [c.start for c in sentence.comparisons
                                                               if not (c.percent and c.change is not None)]
        points_back = bool(re.match(r"\s*(?:this|these|that|it|such)\b", text, re.I))  # 'This is a rise in X'
        for statement in statements(text):
            clause_end = re.search(r"[,;.]|\s(?:and|but|while|with)\s|$", text[statement.end:])
            stop = statement.end + (clause_end.start() if clause_end else 0)
            if any(statement.start <= at < stop for at in numbers):
                continue  # 'fostering numbers had reduced by 2, with 111 ...': the numbers own the clause
            # The same measure: a name alike in its own sentence, or where the direction went to it ('X was
            # lower. 78 entered' gives 78 the trend); elsewhere in the paragraph, all but the same name.
            alike = [v for v in values + found if same_name(v["indicator"], statement.indicator, OTHER_MEASURE_BELOW)
                     and ((v["start"] == sentence.passage.start and not _another_clause(v, statement, sentence.passage))
                          or (v["trend"] is not None and (points_back or same_name(
                              v["indicator"], statement.indicator, SAME_MEASURE_RESTATED)))
                          or same_name(v["indicator"], statement.indicator, SAME_MEASURE_ACROSS_CHUNKS))]
            if any(not _a_cause(v, statement, sentence.passage) for v in alike):
                continue  # the same measure: its direction went to the value as a trend
            found.append(_status_raw(statement, sentence.passage, period))
    return found


def _another_clause(value: dict, statement: Statement, passage: Passage) -> bool:
    """A status in a clause of its own beside the value's: '167 step-downs ..., and the proportion of cases
    stepped up fell'; 'The proportion of plans ending after two years remained low, and the number of
    children on a plan was 356'."""
    if "said_at" not in value:
        return False
    said = value["said_at"] - passage.start
    between = passage.text[said:statement.start] if statement.start >= said else passage.text[statement.end:said]
    return bool(re.search(r";|,\s+(?:and|but|while|whereas)\s", between))


def _a_cause(value: dict, statement: Statement, passage: Passage) -> bool:
    """A value its sentence gives as the cause of the status ('X was increasing, largely due to Y, now
    48') measures something else, however alike the names."""
    if value["value"] is None or value["start"] != passage.start:
        return False
    return bool(CAUSE.search(passage.text[statement.end: value["said_at"] - passage.start]))


def names_a_service(text: str) -> bool:
    """A change printed on its own is a status of a service measure only where the sentence names one
    and is not about money, capacity or plans."""
    return bool(re.search(rf"\b{SERVICE_NOUN}\b", text, re.I)) and not NOT_STATUS.search(text)
