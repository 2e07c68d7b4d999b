"""A person's corrections in the store: applied from a kpi-corrections/1 file, and kept through re-runs.

Applying: one transaction per document. An accepted record is marked reviewed; an edited one takes the
person's fields (offsets found again); a rejected one leaves `records` for `rejections`; an added one
is stored with backend 'person'. Each carries who (`--reviewer`) and when, and the key of the record
as extracted that was judged (`original_key`).

Re-runs (Store.save_result): only unreviewed records are replaced. A fresh record that is one a person
judged (its key is a reviewed record's original key or own key, or it has the same value and evidence)
or rejected is not stored again: a person's correction is never overwritten.

Changed content at the same path (carry_corrections): the new version takes the earlier one's rejections
and each corrected record whose evidence and value its text still holds, placed again. A corrected record
the new text no longer holds stays with the earlier version, which is then kept (superseded_by the new
one, its path cleared) and the run says so: a person's work is never deleted by a re-run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .corrections import CorrectedDocument, Corrections, Resolved, record_key, resolve
from .errors import CorrectionsError, fix_hint
from .store import now
from .textnorm import normalise

if TYPE_CHECKING:
    from .schema import KPIRecord
    from .store import Store


def _same(row: dict[str, Any]) -> tuple[float | None, str]:
    value = row.get("value")
    return (None if value is None else round(float(value), 3), normalise(row.get("evidence") or ""))


def keep_corrections(store: Store, document_id: str, fresh: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]],
                                                                                                 int]:
    """Inside save_result's transaction: delete the document's unreviewed records, and return the fresh rows
    a person has not already judged or rejected, with how many reviewed records stay."""
    store.db.execute("delete from records where document_id = ? and review is null", [document_id])
    reviewed = list(store.db.query("select * from records where document_id = ?", [document_id]))
    rejected = list(store.db.query("select key, value, evidence from rejections where document_id = ?",
                                   [document_id]))
    if not reviewed and not rejected:
        return list(fresh), 0
    keys = {row["original_key"] for row in reviewed} | {record_key(row) for row in reviewed} | {
        row["key"] for row in rejected}
    said = {_same(row) for row in reviewed + rejected}
    return [row for row in fresh if record_key(row) not in keys and _same(row) not in said], len(reviewed)


def carry_corrections(store: Store, earlier_id: str, text: str, document_id: str) -> int:
    """Inside save_result's transaction, when a path's content changed: move the earlier version's
    rejections, and its corrected records the new text still holds (placed again), to the new version;
    return how many corrected records it does not hold (they stay with the earlier version)."""
    from .grounding import grounding_problem, locate
    from .textnorm import NormalisedText

    store.db.execute("update rejections set document_id = ? where document_id = ?", [document_id, earlier_id])
    left = 0
    normalised = NormalisedText(text)  # once, not twice for every corrected record
    for row in store.db.query("select id, evidence, value from records where document_id = ? and review is not null",
                              [earlier_id]):
        span = locate(row["evidence"] or "", normalised)
        if span is None or grounding_problem(row["evidence"], row["value"], normalised) is not None:
            left += 1
            continue
        store.db.execute("update records set document_id = ?, start = ?, \"end\" = ?, page = null where id = ?",
                         [document_id, span.start, span.end, row["id"]])
    return left


@dataclass
class Applied:
    """What applying corrections did to one document."""

    document: str
    accepted: int
    edited: int
    rejected: int
    added: int
    unchanged: int  # decisions already applied before (a second apply of the same file)

    def line(self) -> str:
        """One line a person reads."""
        return (f"{self.document}: {self.accepted} accepted, {self.edited} edited, {self.rejected} rejected, "
                f"{self.added} added" + (f" ({self.unchanged} already applied)" if self.unchanged else ""))


def _text_in_store(store: Store) -> Any:
    def text_of(document: CorrectedDocument) -> str:
        rows = store.db.execute("select text from documents where id = ?", [document.sha256]).fetchall()
        if rows:
            return rows[0][0]
        now_there = store.db.execute("select id from documents where name = ? or path = ?",
                                     [document.document, document.path or document.document]).fetchall()
        if now_there:
            raise CorrectionsError(fix_hint(
                f"the document changed since the corrections were made (stored content hash {now_there[0][0][:12]}..., "
                f"the corrections were made on {document.sha256[:12]}...)",
                "review its new version in a fresh review page and save corrections again"))
        raise CorrectionsError(fix_hint(f"unknown document: no stored document has content hash "
                                        f"{document.sha256[:12]}...", "apply the corrections to the database the "
                                        "review page was made from (--db)"))
    return text_of


def apply_to_store(store: Store, corrections: Corrections, source: str, *, reviewer: str) -> list[Applied]:
    """Apply a file's decisions to the stored records, one transaction per document, marking each changed
    record as reviewed by reviewer now. Every problem (a changed or unknown document, a record no longer
    stored, evidence not in the document, a value not printed in it) is found before anything is written."""
    resolved = resolve(corrections, source, _text_in_store(store))
    plans, problems = [], []
    for at, done in enumerate(resolved):
        rows = list(store.db.query("select * from records where document_id = ?", [done.document.sha256]))
        by_key: dict[str, dict[str, Any]] = {}
        for row in rows:
            by_key.setdefault(record_key(row), row)
            if row["original_key"]:
                by_key.setdefault(row["original_key"], row)
        gone = {row[0] for row in store.db.execute("select key from rejections where document_id = ?",
                                                   [done.document.sha256])}
        keys = [key for key, _ in done.accepted] + [key for key, _, _ in done.edited]
        for key in keys:
            if key not in by_key:
                problems.append(fix_hint(f"{source}: documents[{at}] ({done.document.document!r}): record {key} is "
                                         "not stored (re-extracted or rejected since?)",
                                         "make a fresh review page, judge it again and save corrections"))
        plans.append((done, by_key, gone))
    if problems:
        raise CorrectionsError("\n".join(problems))
    return [_apply_one(store, done, by_key, gone, reviewer) for done, by_key, gone in plans]


def _apply_one(store: Store, done: Resolved, by_key: dict[str, dict[str, Any]], gone: set[str],
               reviewer: str) -> Applied:
    stamp = {"reviewed_by": reviewer, "reviewed_at": now()}
    document_id = done.document.sha256
    records = store.db["records"]
    unchanged = 0
    with store.transaction():
        for key, judged in done.accepted:
            row = by_key[key]
            if row["review"] == "accepted" and record_key(row) == record_key(judged.model_dump()):
                unchanged += 1
                continue
            records.update(row["id"], {"review": row["review"] or "accepted", **stamp,
                                       "original_key": row["original_key"] or key})
        for key, _, edited in done.edited:
            row = by_key[key]
            if row["review"] == "edited" and record_key(row) == record_key(edited.model_dump()):
                unchanged += 1
                continue
            records.update(row["id"], {**_fields(edited, row), "review": "edited", **stamp,
                                       "original_key": row["original_key"] or key})
        for key, judged in done.rejected:
            if key in gone:
                unchanged += 1
                continue
            row = by_key.get(key)
            if row is not None:
                records.delete(row["id"])
            store.db["rejections"].insert({"document_id": document_id, "key": key, "indicator": judged.get("indicator"),
                                           "value": judged.get("value"), "evidence": judged.get("evidence"),
                                           "record": json.dumps(judged, ensure_ascii=False), **stamp})
        stored_keys = set(by_key)
        for added in done.added:
            key = record_key(added.model_dump())
            if key in stored_keys:
                unchanged += 1
                continue
            records.insert({"document_id": document_id, "run_id": None, "backend": "person", "model": None,
                            "prompt_version": None, "prompt_hash": None, "ocr": 0, **_fields(added, None),
                            "review": "added", **stamp, "original_key": key})
            stored_keys.add(key)
        total = store.db.execute("select count(*) from records where document_id = ?", [document_id]).fetchone()[0]
        store.db.execute("update extractions set records = ? where document_id = ?", [total, document_id])
    return Applied(done.document.document, len(done.accepted), len(done.edited), len(done.rejected),
                   len(done.added), unchanged)


def _fields(record: KPIRecord, row: dict[str, Any] | None) -> dict[str, Any]:
    """A record's fields as the records table holds them; a changed canonical id is the person's."""
    id_changed = row is None or row["indicator_id"] != record.indicator_id
    return {"indicator": record.indicator, "indicator_id": record.indicator_id,
            "indicator_id_method": "person" if id_changed else row["indicator_id_method"],
            "value": record.value, "unit": record.unit, "period": record.period, "numerator": record.numerator,
            "denominator": record.denominator, "comparisons": json.dumps([c.model_dump() for c in record.comparisons]),
            "target_met": record.target_met, "trend": record.trend, "suspect": record.suspect,
            "evidence": record.evidence, "start": record.start, "end": record.end,
            "page": record.page if row is None or record.start == row["start"] else None}
