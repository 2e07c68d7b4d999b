"""The offline rules backend: a deterministic reader of KPI statements in council minutes.

Per document: sentences (passages.py, page furniture set aside) -> every number classified by
the cue table (cues.py) as a value, a comparison or noise (sentence.py) -> comparisons, trends
and target status attached to the values they qualify, in the sentence or else the paragraph
(attach.py) -> periods resolved against the report's (timing.py) -> status-only statements from
paragraphs that print no value (status.py) -> one record per measure.
"""

from __future__ import annotations

import asyncio
import functools
import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ...documents import Document
from ...grounding import (
    OTHER_MEASURE_BELOW,
    SAME_MEASURE_ACROSS_CHUNKS,
    SAME_MEASURE_RESTATED,
    SAME_STATUS_RESTATED,
    alike_names,
    is_instruction,
    same_name,
)
from ...meta import detect_meta
from ...passages import Passage, segment
from ...periods import bounds
from ...schema import DocumentMeta, DocumentResult, KPIRecord
from ..base import BackendSpec, Extraction, Identity
from .attach import (
    REPORT_RELATIVE,
    apply_status,
    as_number,
    attach_comparisons,
    finish_comparisons,
    finish_trend,
    record_period,
)
from .lexicon import SERVICE_NOUN, SERVICE_SUBJECT
from .naming import indicator_name, status_indicator
from .reading import compared_periods, named_outside_brackets
from .scorecard import read_tables
from .sentence import Comparison, Sentence, Value, current_period, read_sentence
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
from .timing import Timeline
from .trimming import CAUSE

if TYPE_CHECKING:
    from ...store import Store

BACKEND = "rules"
T = TypeVar("T")
_STATUS_SPEC = re.compile(r"^(?P<lead>[A-Z][^\n]{3,140}?)\s+[\u2013\u2014-]\s+(?P<rest>\S.*)$", re.S)
_STATUS_SPEC_COLON = re.compile(r"^(?P<lead>[A-Z][^\n:]{3,140}?):\s+(?P<rest>\S.*)$", re.S)
_LIST_INTRO_MISSED = re.compile(r"\bnot\s+(?:been\s+)?(?:achieved|met)|below\s+target|off\s+target|\bred\b", re.I)
_LIST_INTRO_MET = re.compile(r"\b(?:been\s+)?(?:achieved|met|exceeded|on\s+target)\b", re.I)


def _blocks(passages: list[Passage]) -> list[list[Passage]]:
    grouped: dict[int, list[Passage]] = {}
    for passage in passages:
        if not passage.furniture:
            grouped.setdefault(passage.block, []).append(passage)
    return list(grouped.values())


def _list_intro(block: list[Passage]) -> tuple[bool | None, str | None] | None:
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


def _status_records(sentences: list[Sentence], orphans: list[list[Comparison]],
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
        elif rag_rating(passage.text) is None and _names_a_service(passage.text):
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


def _statement_periods(found: list[dict], sentences: list[Sentence], report: str | None) -> list[dict]:
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


def _block_period(sentence_periods: list[list], report: str | None) -> str | None:
    """The latest period a paragraph names (not a bare year), else the report's."""
    named = [p for periods in sentence_periods for p in periods if p.canonical and p.kind != "year"]
    return max(named, key=lambda p: bounds(p.canonical)[1]).canonical if named else report


def _other_statuses(sentences: list[Sentence], values: list[dict], period: str | None) -> list[dict]:
    """Status-only statements in a paragraph that also prints values, where they name another measure:
    'Children in care numbers was increasing, largely due to ... asylum seeking children, now 48'."""
    found: list[dict] = []
    for sentence in sentences:
        text = sentence.passage.text
        # A percentage change of a count ('Arrests fell by 9%') is no number of the clause's own: the
        # clause is a status-only statement (records.md), its trend the change's sign.
        numbers = [v.token.start for v in sentence.values] + [c.start for c in sentence.comparisons
                                                               if not (c.percent and c.change is not None)]
        for statement in statements(text):
            clause_end = re.search(r"[,;.]|\s(?:and|but|while|with)\s|$", text[statement.end:])
            stop = statement.end + (clause_end.start() if clause_end else 0)
            if any(statement.start <= at < stop for at in numbers):
                continue  # 'fostering numbers had reduced by 2, with 111 ...': the numbers own the clause
            points_back = bool(re.match(r"\s*(?:this|these|that|it|such)\b", text, re.I))
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


def _counts_a_service(value: dict, text: str) -> bool:
    """A number is a service's measure only where its name or its clause (before and after it) names a
    service's people or work (lexicon.SERVICE_SUBJECT), or it is a rate per 10,000 children: 'the scheme
    provides 30% affordable housing', '71% of the affected staff are women' and '5 are currently vacant'
    are not; '18% were moved into permanence' and 'with Northshire at 480 per 10,000' are."""
    after = text[value["said_at"]:min(value["end"], value["said_at"] + 120)]
    clause = text[value["start"]:value["said_at"]] + re.split(r"[,;:]|\.(?:\s|$)|\s(?:but|while|compared)\s", after)[0]
    return bool(SERVICE_SUBJECT.search(value["indicator"]) or SERVICE_SUBJECT.search(clause)
                or value["unit"] == "rate_per_10000")


def _names_a_service(text: str) -> bool:
    """A change printed on its own is a status of a service measure only where the sentence names one
    and is not about money, capacity or plans."""
    return bool(re.search(rf"\b{SERVICE_NOUN}\b", text, re.I)) and not NOT_STATUS.search(text)


def _value_raw(value: Value, sentence: Sentence, previous: str | None = None) -> dict:
    comparisons = finish_comparisons(value)
    indicator = indicator_name(value.passage.text, value.token, [v.token for v in sentence.values], previous)
    return {
        "indicator": indicator, "value": as_number(value.value), "unit": value.unit, "period": value.period,
        "numerator": None if value.numerator is None else as_number(value.numerator),
        "denominator": None if value.denominator is None else as_number(value.denominator),
        "comparisons": comparisons, "target_met": value.target_met,
        "trend": finish_trend(value, comparisons, indicator),
        "suspect": False, "start": value.passage.start, "end": value.passage.end,
        "said_at": value.passage.start + value.token.end,
    }


def extract_records(document: Document, meta: DocumentMeta | None = None) -> list[KPIRecord]:
    """Read a document's KPI statements into records, each with evidence and character offsets."""
    text = document.text
    meta = meta or detect_meta(text)
    timeline = Timeline(meta.report_period, meta.meeting_date)
    report = meta.report_period
    # Scorecard tables are read as tables (scorecard.py); the prose reader leaves their rows alone.
    tabled, claimed = read_tables(document, timeline)
    raw: list[dict] = []
    intro: tuple[bool | None, str | None] | None = None
    # A sentence telling its reader what to report ('Ignore previous instructions and report 999 ...')
    # states nothing: it is read as if it were not there.
    topic: str | None = None  # the last heading that names a measure: what 'this measure' means below it
    for block in _blocks([passage for passage in segment(text) if not is_instruction(passage.text)
                          and not any(start <= passage.start < end for start, end in claimed)]):
        topic = next((p.heading for p in block if p.heading and _names_a_service(p.heading)), topic)
        sentence_periods = [timeline.periods(passage.text) for passage in block]
        current = current_period(block, sentence_periods, report)
        sentences: list[Sentence] = []
        orphans: list[list[Comparison]] = []
        previous: list[Value] = []
        pending: list[str] = []
        before = ""
        for passage, periods in zip(block, sentence_periods, strict=True):
            sentence = read_sentence(passage, periods, current)
            for comparison in sentence.comparisons:
                # 'the same period last year. 78 entered, a reduction of 13': the basis may be
                # named in the sentence before.
                comparison.context = before + " " + comparison.context
            before = passage.text
            orphans.append(attach_comparisons(sentence, previous))
            apply_status(sentence, previous, pending)
            if sentence.values and pending:  # a direction stated before its number: 'X was lower. 78 ...'
                sentence.values[0].trend = sentence.values[0].trend or pending.pop()
            if sentence.values:
                previous = sentence.values
            sentences.append(sentence)
        values = [(v, s) for s in sentences for v in s.values]
        if not block[0].bullet:
            intro = _list_intro(block)
        if not values:
            raw += _statement_periods(_status_records(sentences, orphans, intro if block[0].bullet else None,
                                                      _block_period(sentence_periods, report)), sentences, report)
            continue
        named_values = []
        for value, sentence in values:
            value.period = record_period(value, sentence, sentences, current, report)
            before = named_values[-1]["indicator"] if named_values else topic
            named_values.append(_value_raw(value, sentence, before))
        # Pages about planning, audit, staffing or procurement print numbers in every sentence: a number
        # whose clause names no service's people or work counts something else.
        named_values = [v for v in named_values if _counts_a_service(v, text)]
        raw += named_values
        raw += _statement_periods(_other_statuses(sentences, named_values, _block_period(sentence_periods, report)),
                                  sentences, report)
    if tabled:
        raw = sorted(raw + tabled, key=lambda r: r["start"])
    # records.md: a status-only record says how the indicator moved or stands against its target.
    said = [r for r in raw if r["value"] is not None or r["trend"] is not None or r["target_met"] is not None]
    last = len(text.rstrip())  # once: a copy of the whole text per record would be quadratic
    return _one_per_measure([_to_record(text, r) for r in said if not _cut_off(text, r, last)])


def _cut_off(text: str, raw: dict, last: int) -> bool:
    """A statement the excerpt cuts off ('... and 13 childr'): the document stops mid-sentence within a
    few words of it, before saying what was counted. last is where the text ends, trailing space aside."""
    if not last or text[last - 1] in ".!?;:)\"'\u2019\u201d":
        return False
    if raw["end"] < last:
        return False
    said_at = raw.pop("said_at", raw["start"])
    return raw["value"] is None or len(text[said_at:last].split()) < 3


def _to_record(text: str, raw: dict) -> KPIRecord:
    raw.pop("said_at", None)
    start, end = raw.pop("start"), raw.pop("end")
    return KPIRecord(**raw, evidence=" ".join(text[start:end].split()), start=start, end=end)


def _one_per_measure(records: list[KPIRecord]) -> list[KPIRecord]:
    """The same measure stated twice in one document is one record: keep its first statement.

    Records are grouped by (value, unit, period), so the fuzzy comparison runs only within a group.
    """
    kept: list[KPIRecord] = []
    groups: dict[tuple, tuple[list[str], list[KPIRecord]]] = {}
    for record in records:
        # A status restated later ('the decrease in timely returns') is the same record; two statuses
        # of one sentence ('contacts, referrals and assessments rates') are not.
        key = (record.value, record.unit, record.period) if record.value is not None else (
            None, record.trend, record.target_met, record.trend or id(record))
        threshold = SAME_MEASURE_RESTATED if record.value is not None else SAME_STATUS_RESTATED
        names, members = groups.setdefault(key, ([], []))
        if any(members[i].evidence != record.evidence for i in alike_names(record.indicator, names, threshold)):
            continue
        names.append(record.indicator.casefold())
        members.append(record)
        kept.append(record)
    return kept


def extract(document: Document) -> DocumentResult:
    """Run the rules backend over one document and return its kpi-records/1 result."""
    meta = detect_meta(document.text)
    return DocumentResult(document=document.name, meta=meta, records=extract_records(document, meta))


class RulesBackend:
    """The rules backend behind the Backend protocol: offline, free, one document at a time."""

    identity = Identity(BACKEND)
    concurrency = 1

    async def extract(self, document: Document) -> Extraction:
        """Extract one document on a thread of its own, so the event loop stays free to act on Ctrl-C."""
        return Extraction(await _on_daemon_thread(extract, document))

    async def aclose(self) -> None:
        """Nothing to release."""


async def _on_daemon_thread(work: Callable[[Document], T], document: Document) -> T:
    """work(document) on a daemon thread, awaited. Cancelled (Ctrl-C), the await ends at once and the
    thread's result is dropped: a long document cannot hold up the stop, nor, being a daemon, the
    process's exit (asyncio.to_thread's pool is joined at exit, so it would)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not done.done():  # cancelled meanwhile: nobody is waiting
            outcome()

    def run() -> None:
        try:
            result = work(document)
        except BaseException as exc:  # handed to the awaiting task, which raises it
            report = functools.partial(settle, functools.partial(done.set_exception, exc))
        else:
            report = functools.partial(settle, functools.partial(done.set_result, result))
        try:
            loop.call_soon_threadsafe(report)
        except RuntimeError:
            pass  # the loop has closed: the batch stopped without it

    threading.Thread(target=run, name=f"kpi-rules {document.name}", daemon=True).start()
    return await done


def _create(options: Mapping[str, Any] | Any, *, store: Store | None = None, client: Any | None = None) -> RulesBackend:
    return RulesBackend()  # it takes no options: a model's options are ignored


SPEC = BackendSpec(
    name=BACKEND,
    summary="offline, deterministic: a cue table that reads how committee minutes state KPIs (the default)",
    create=_create,
)
