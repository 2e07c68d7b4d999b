"""Ground model records in their document: find the evidence, set offsets, merge repeated statements."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from .schema import KPIRecord
from .textnorm import NormalisedText, normalise

SAME_INDICATOR = 90  # rapidfuzz token-set score at which two indicator names are one measure


def locate(evidence: str, text: str, spans: Sequence[tuple[int, int]] = (),
           whole: NormalisedText | None = None) -> tuple[int, int] | None:
    """[start, end) of evidence in text, white space ignored: first inside the given spans, else anywhere."""
    whole = whole or NormalisedText(text)
    for start, end in [*spans, (0, None)]:
        found = whole.find(evidence, start, end)
        if found:
            return whole.to_original(*found)
    return None


def place(record: KPIRecord, text: str, spans: Sequence[tuple[int, int]] = (),
          whole: NormalisedText | None = None) -> KPIRecord | None:
    """The record with offsets set by us and evidence copied from the document, or None if not found."""
    span = locate(record.evidence, text, spans, whole)
    if span is None:
        return None
    start, end = span
    data = record.model_dump()
    data.update(evidence=" ".join(text[start:end].split()), start=start, end=end)
    return KPIRecord.model_validate(data)


def _same_measure(a: KPIRecord, b: KPIRecord) -> bool:
    if (a.value, a.unit, a.period) != (b.value, b.unit, b.period):
        return False
    if a.value is None and normalise(a.evidence) != normalise(b.evidence):
        return False
    return fuzz.token_set_ratio(a.indicator.casefold(), b.indicator.casefold()) >= SAME_INDICATOR


def merge(records: Sequence[KPIRecord]) -> list[KPIRecord]:
    """One record per measure: repeats (across chunks or restatements) fold into the first statement.

    A repeat may still carry what the first lacked: its trend, target status or comparisons.
    """
    kept: list[KPIRecord] = []
    for record in sorted(records, key=lambda r: (getattr(r, "start", 0) or 0)):
        first = next((k for k in kept if _same_measure(k, record)), None)
        if first is None:
            kept.append(record)
            continue
        first.trend = first.trend or record.trend
        first.target_met = first.target_met if first.target_met is not None else record.target_met
        if not first.comparisons:
            first.comparisons = record.comparisons
    return kept
