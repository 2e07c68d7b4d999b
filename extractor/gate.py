"""The one gate before the store: every record of every backend (rules, a model, a plugin's) is checked
against its document the same way, and what fails is dropped and counted with its reason.

A model's records were already validated while it was asked (and re-asked); a backend that builds
records itself (the rules, a third-party plugin) is held to the same contract here: the evidence is
in the document, it prints the value (scoring.md's number reading), and every field is valid
(records.md). Offsets are always ours: a record whose offsets do not hold its evidence is placed again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .grounding import grounding_problem, place
from .textnorm import NormalisedText, normalise

if TYPE_CHECKING:
    from .documents import Document
    from .schema import DocumentResult, KPIRecord


@dataclass(frozen=True)
class Rejected:
    """A record the gate kept out of the store, and why."""

    indicator: str
    value: float | None
    evidence: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The rejection as a JSON-ready dict (stored with the document's extraction row)."""
        return asdict(self)


def _field_problem(record: KPIRecord) -> str | None:
    """A record made without validation (model_construct, or edited after) checked against records.md."""
    from .schema import KPIRecord

    try:
        KPIRecord.model_validate(record.model_dump())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "record"
        return f"{where}: {first['msg']}"
    return None


def _offsets_hold(record: KPIRecord, text: str) -> bool:
    if record.start is None or record.end is None or not 0 <= record.start < record.end <= len(text):
        return False
    return normalise(text[record.start:record.end]) == normalise(record.evidence)


def admit(result: DocumentResult, document: Document) -> tuple[DocumentResult, list[Rejected]]:
    """The result with only the records that pass the gate (placed by us), and those rejected with the reason."""
    whole = NormalisedText(document.text)
    kept: list[KPIRecord] = []
    rejected: list[Rejected] = []
    for record in result.records:
        problem = _field_problem(record) or grounding_problem(record.evidence, record.value, whole)
        if problem is None and not _offsets_hold(record, document.text):
            placed = place(record, document.text, whole=whole)
            if placed is None:
                problem = "its evidence could not be placed in the document"
            else:
                record = placed
        if problem is None:
            kept.append(record)
        else:
            rejected.append(Rejected(record.indicator, record.value, record.evidence, problem))
    if not rejected and all(a is b for a, b in zip(kept, result.records, strict=True)):
        return result, []
    return result.model_copy(update={"records": kept}), rejected
