"""The one mapper from a record to its canonical indicator id (indicators.md), for every backend.

It runs after extraction, on every record of every backend (the pipeline calls it), and decides
from the record's indicator, evidence and unit alone; a backend may suggest an id, but the
mapper has the last word. How it decided is kept beside the id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .indicators import Indicator, catalogue
from .textnorm import normalise

if TYPE_CHECKING:
    from .schema import DocumentResult, KPIRecord

# How an id was decided, stored beside it.
SYNONYM = "synonym"  # a catalogue wording of the row is in the indicator
FUZZY = "fuzzy"  # the indicator reads close enough to one row's wordings, and to no other
SUGGESTED = "suggested"  # a backend's suggestion the rules confirm
UNMAPPED = "unmapped"  # no row is the measure, or it is not certain which

FUZZY_RATIO = 90


@dataclass(frozen=True)
class IdDecision:
    """A record's canonical id (None: no row is its measure) and how it was decided."""

    indicator_id: str | None
    method: str


def _words(text: str) -> str:
    text = normalise(text).lower().replace("&", " and ")
    return " ".join(re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text))


@cache
def _wordings() -> list[tuple[str, Indicator]]:
    """Every row's name and synonyms as words, longest first (the narrower wording wins)."""
    found = [(_words(w), row) for row in catalogue().values() for w in (row.name, *row.synonyms)]
    return sorted(found, key=lambda pair: -len(pair[0]))


def decide_indicator_id(indicator: str, *, evidence: str = "", unit: str | None = None,
                        suggested: str | None = None) -> IdDecision:
    """The catalogue id of the measure a record reports, by the rules of indicators.md, and how it was decided."""
    words = f" {_words(indicator)} "
    for wording, row in _wordings():
        if wording and f" {wording} " in words and row.takes_unit(unit):
            return IdDecision(row.id, SYNONYM)
    scored = sorted(((fuzz.token_set_ratio(words, wording), row.id) for wording, row in _wordings()
                     if row.takes_unit(unit)), reverse=True)
    if scored and scored[0][0] >= FUZZY_RATIO:
        best = scored[0][1]
        if all(rid == best for ratio, rid in scored if ratio >= FUZZY_RATIO):
            return IdDecision(best, FUZZY)
    if suggested in catalogue() and catalogue()[suggested].takes_unit(unit):
        return IdDecision(suggested, SUGGESTED)
    return IdDecision(None, UNMAPPED)


def decide_for(record: KPIRecord) -> IdDecision:
    """decide_indicator_id for a record, its own indicator_id taken as a backend's suggestion."""
    return decide_indicator_id(record.indicator, evidence=record.evidence, unit=record.unit,
                               suggested=record.indicator_id)


def with_indicator_ids(result: DocumentResult) -> DocumentResult:
    """The result with every record's indicator_id (and how it was decided) set by the mapper."""
    records = []
    for record in result.records:
        decision = decide_for(record)
        records.append(record.model_copy(update={"indicator_id": decision.indicator_id,
                                                 "indicator_id_method": decision.method}))
    return result.model_copy(update={"records": records})
