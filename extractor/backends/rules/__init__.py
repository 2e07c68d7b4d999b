"""The offline rules backend: a deterministic reader of KPI statements in council minutes.

Per document: sentences (passages.py, page furniture set aside) -> every number classified by
the cue table (cues.py) as a value, a comparison or noise (sentence.py) -> comparisons, trends
and target status attached to the values they qualify, in the sentence or else the paragraph
(attach.py) -> periods resolved against the report's (timing.py) -> status-only records, from
paragraphs that print no value and beside other measures' values (statuses.py, its wordings in
status.py and wording.py) -> numbers whose clause names no service dropped -> one record per measure.
"""

from __future__ import annotations

import asyncio
import functools
import re
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ...documents import Document
from ...grounding import SAME_MEASURE_RESTATED, SAME_STATUS_RESTATED, alike_names, is_instruction
from ...meta import detect_meta
from ...passages import Passage, segment
from ...schema import DocumentMeta, DocumentResult, KPIRecord
from ..base import BackendSpec, Extraction, Identity
from .attach import (
    apply_status,
    as_number,
    attach_comparisons,
    finish_comparisons,
    finish_trend,
    record_period,
)
from .lexicon import SERVICE_SUBJECT
from .naming import indicator_name
from .scorecard import read_tables
from .sentence import Comparison, Sentence, Value, current_period, read_sentence
from .statuses import block_period, list_intro, names_a_service, other_statuses, statement_periods, status_records
from .timing import Timeline

if TYPE_CHECKING:
    from ...store import Store

BACKEND = "rules"
T = TypeVar("T")
def _blocks(passages: list[Passage]) -> list[list[Passage]]:
    grouped: dict[int, list[Passage]] = {}
    for passage in passages:
        if not passage.furniture:
            grouped.setdefault(passage.block, []).append(passage)
    return list(grouped.values())


def _counts_a_service(value: dict, text: str) -> bool:
    """A number is a service's measure only where its name or its clause (before and after it) names a
    service's people or work (lexicon.SERVICE_SUBJECT), or it is a rate per 10,000 children: 'the scheme
    provides 30% affordable housing', '71% of the affected staff are women' and '5 are currently vacant'
    are not; '18% were moved into permanence' and 'with Northshire at 480 per 10,000' are."""
    after = text[value["said_at"]:min(value["end"], value["said_at"] + 120)]
    clause = text[value["start"]:value["said_at"]] + re.split(r"[,;:]|\.(?:\s|$)|\s(?:but|while|compared)\s", after)[0]
    return bool(SERVICE_SUBJECT.search(value["indicator"]) or SERVICE_SUBJECT.search(clause)
                or value["unit"] == "rate_per_10000")


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
        topic = next((p.heading for p in block if p.heading and names_a_service(p.heading)), topic)
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
            intro = list_intro(block)
        if not values:
            raw += statement_periods(status_records(sentences, orphans, intro if block[0].bullet else None,
                                                      block_period(sentence_periods, report)), sentences, report)
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
        raw += statement_periods(other_statuses(sentences, named_values, block_period(sentence_periods, report)),
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
