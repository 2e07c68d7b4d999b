"""The kpi-corrections/1 format: a person's decisions on a document's records, made in the review page.

One file holds, per document, its content hash, how many records the page showed, and per judged
record the decision (accepted, rejected, edited) with the record as it was judged and, for an edit,
the fields changed; and the records the person added, each with its evidence. Nothing else of the
page. `resolve` checks a file against the documents' texts (every problem named, nothing written
until none is left); gold_apply.py and corrections_store.py write what it resolves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import CorrectionsError, fix_hint
from .grounding import grounding_problem, place
from .schema import RECORD_FIELDS, KPIRecord
from .textnorm import NormalisedText, normalise

FORMAT = "kpi-corrections/1"
DECISIONS = ("accepted", "rejected", "edited")
EDITABLE = tuple(f for f in RECORD_FIELDS if f != "evidence") + ("evidence",)


class Decision(BaseModel):
    """A person's decision on one record the page showed."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, description="The record's key (record_key) when the page was made.")
    decision: Literal["accepted", "rejected", "edited"]
    record: dict[str, Any] = Field(description="The record as it was judged (kpi-records/1 fields).")
    fields: dict[str, Any] = Field(default_factory=dict, description="For an edit: the fields changed.")


class CorrectedDocument(BaseModel):
    """One document's decisions and added records."""

    model_config = ConfigDict(extra="forbid")

    document: str = Field(min_length=1)
    path: str | None = None
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="The content hash the page showed.")
    records: int = Field(ge=0, description="How many records the page showed for the document.")
    decisions: list[Decision] = Field(default_factory=list)
    added: list[dict[str, Any]] = Field(default_factory=list)


class Corrections(BaseModel):
    """A whole kpi-corrections/1 file."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["kpi-corrections/1"]
    database: str | None = None
    saved_at: str | None = None
    documents: list[CorrectedDocument]


def record_key(record: Mapping[str, Any]) -> str:
    """A record's stable key: its wording, value, unit, period and evidence (not its row id, which a
    re-extraction changes); the page, the store and the gold writer all compute it here."""
    value = record.get("value")
    said = [record.get("indicator"), None if value is None else repr(float(value)), record.get("unit"),
            record.get("period"), normalise(record.get("evidence") or "")]
    return hashlib.sha256(json.dumps(said).encode("utf-8")).hexdigest()[:16]


def load_corrections(path: Path) -> Corrections:
    """Read a kpi-corrections/1 file; CorrectionsError names the file, the field and the fix."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CorrectionsError(fix_hint(f"{path}: not readable JSON ({exc})",
                                        "save the corrections again from the review page")) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise CorrectionsError(fix_hint(f"{path}: format: must be {FORMAT!r}, found {found!r}",
                                        "give the corrections.json the review page's 'Save corrections' wrote"))
    try:
        return Corrections.model_validate(data)
    except ValidationError as exc:
        raise CorrectionsError("\n".join(
            f"{path}: {'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors())) from exc


@dataclass
class Resolved:
    """One document's decisions, checked against its text: ready to write."""

    document: CorrectedDocument
    text: str
    accepted: list[tuple[str, KPIRecord]] = field(default_factory=list)
    edited: list[tuple[str, KPIRecord, KPIRecord]] = field(default_factory=list)  # key, as judged, as edited
    rejected: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    added: list[KPIRecord] = field(default_factory=list)

    @property
    def judged(self) -> int:
        """How many of the records the page showed were judged."""
        return len({d.key for d in self.document.decisions})

    @property
    def complete(self) -> bool:
        """Whether every record the page showed was judged."""
        return self.judged >= self.document.records

    def outcome(self) -> list[KPIRecord]:
        """The document's records as the person decided them: accepted, edited and added (not rejected)."""
        kept = [r for _, r in self.accepted] + [r for _, _, r in self.edited] + self.added
        return sorted(kept, key=lambda r: (r.start is None, r.start or 0))


def grounded_record(data: Mapping[str, Any], text: NormalisedText, where: str) -> tuple[KPIRecord | None, list[str]]:
    """A record valid by records.md and grounded in the text (its evidence found and printing its value),
    with offsets found by us; or the problems, each naming where, the field and the fix."""
    fields = {k: v for k, v in data.items() if k in (*RECORD_FIELDS, "start", "end", "page")}
    try:
        record = KPIRecord.model_validate(fields)
    except ValidationError as exc:
        return None, [f"{where}: {'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}" for e in exc.errors()]
    problem = grounding_problem(record.evidence, record.value, text)
    if problem:
        return None, [fix_hint(f"{where}: evidence: {problem}",
                               "select the sentence that prints the value in the document, as printed")]
    placed = place(record, text.original, whole=text)
    if placed is None:  # grounding_problem found it; place never fails then, but say so if it does
        return None, [f"{where}: evidence: not found in the document"]
    if record.page is not None and placed.start == record.start:
        placed.page = record.page
    return placed, []


def resolve(corrections: Corrections, source: str, text_of: Callable[[CorrectedDocument], str]) -> list[Resolved]:
    """Check every decision against its document's text (text_of raises CorrectionsError naming a document
    it cannot find or that changed); raise one CorrectionsError listing every problem, or return them all."""
    problems: list[str] = []
    resolved: list[Resolved] = []
    for at, document in enumerate(corrections.documents):
        name = f"{source}: documents[{at}] ({document.document!r})"
        try:
            text = text_of(document)
        except CorrectionsError as exc:
            problems.append(f"{name}: {exc}")
            continue
        whole = NormalisedText(text)
        done = Resolved(document, text)
        seen: set[str] = set()
        for number, decision in enumerate(document.decisions):
            where = f"{name}: decisions[{number}] ({str(decision.record.get('indicator'))[:50]!r})"
            if decision.key in seen:
                problems.append(fix_hint(f"{where}: key: record {decision.key} is judged twice",
                                         "keep one decision per record"))
                continue
            seen.add(decision.key)
            if decision.decision == "rejected":
                done.rejected.append((decision.key, decision.record))
                continue
            judged, found = grounded_record(decision.record, whole, f"{where}: record")
            problems += found
            if judged is None:
                continue
            if decision.decision == "accepted":
                done.accepted.append((decision.key, judged))
                continue
            unknown = sorted(set(decision.fields) - set(EDITABLE))
            if unknown:
                problems.append(fix_hint(f"{where}: fields: {', '.join(unknown)} cannot be edited",
                                         f"edit only {', '.join(EDITABLE)}"))
                continue
            edited, found = grounded_record({**judged.model_dump(), **decision.fields}, whole, f"{where}: edited")
            problems += found
            if edited is not None:
                done.edited.append((decision.key, judged, edited))
        for number, added in enumerate(document.added):
            record, found = grounded_record(added, whole, f"{name}: added[{number}] "
                                            f"({str(added.get('indicator'))[:50]!r})")
            problems += found
            if record is not None:
                done.added.append(record)
        resolved.append(done)
    if not corrections.documents:
        problems.append(fix_hint(f"{source}: documents: no document was judged", "judge records in the page first"))
    if problems:
        raise CorrectionsError("\n".join(problems))
    return resolved
