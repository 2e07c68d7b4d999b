"""Gold that grows with every batch: a person's corrections written as kpi-records/1 gold files, and
gold drafted from what the store holds, for labelling in the review page.

Every file is checked with the gold check (goldcheck.check_data: evidence grounded, value printed
in it, fields valid) before anything is written; a problem in any document writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .corrections import CorrectedDocument, Corrections, Resolved, record_key, resolve
from .documents import Document, load_document
from .errors import CorrectionsError, InputError, fix_hint
from .exports import kpi_record
from .goldcheck import check_data
from .schema import RECORD_FIELDS, DocumentResult, KPIRecord
from .store import Store


@dataclass
class Written:
    """What was written for one document: the file, its records and how they were decided."""

    document: str
    path: Path
    records: int
    complete: bool
    accepted: int = 0
    edited: int = 0
    rejected: int = 0
    added: int = 0
    kept: int = 0  # records of an earlier gold file no decision touched
    drafted: int = 0  # records drafted from the store
    left_out: int = 0  # drafted records that fail the gold check

    def line(self) -> str:
        """One line a person reads: the file and what went into it."""
        parts = [f"{n} {what}" for n, what in ((self.accepted, "accepted"), (self.edited, "edited"),
                                              (self.added, "added"), (self.rejected, "rejected (left out)"),
                                              (self.kept, "kept from the earlier file"),
                                              (self.drafted, "drafted from the store, to judge")) if n]
        if self.left_out:
            parts.append(f"{self.left_out} left out (they fail the gold check)")
        state = "complete" if self.complete else 'partly judged: "complete": false'
        return f"{self.document}: wrote {self.path} ({self.records} records; {', '.join(parts) or 'none'}; {state})"


def gold_record(record: KPIRecord) -> dict[str, Any]:
    """A record as a gold file holds it: the kpi-records/1 fields, in their order."""
    return {key: record.to_kpi_json()[key] for key in RECORD_FIELDS}


def existing_gold(gold_dir: Path) -> dict[str, Path]:
    """The gold files of a folder by the document they name."""
    found: dict[str, Path] = {}
    for path in sorted(gold_dir.glob("*.json")) if gold_dir.is_dir() else []:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("document"), str):
            found.setdefault(data["document"], path)
    return found


def text_source(docs_dir: Path | None, store: Store | None) -> Any:
    """How a corrected document's text is found: in docs_dir by name, at the path the page showed, or in the
    store by content hash; the content must have the hash the corrections were made on."""
    def text_of(document: CorrectedDocument) -> str:
        changed = None
        for candidate in ([docs_dir / document.document] if docs_dir else []) + (
                [Path(document.path)] if document.path else []):
            if candidate.is_file():
                try:
                    loaded = load_document(candidate)
                except InputError as exc:
                    raise CorrectionsError(str(exc)) from exc
                if loaded.sha256 == document.sha256:
                    return loaded.text
                changed = candidate
        if store is not None:
            rows = store.db.execute("select text from documents where id = ?", [document.sha256]).fetchall()
            if rows:
                return rows[0][0]
        if changed is not None:
            raise CorrectionsError(fix_hint(f"{changed} changed since the corrections were made (its content "
                                            f"hash is not {document.sha256[:12]}...)",
                                            "review the document's new version and save corrections again"))
        raise CorrectionsError(fix_hint("the document is not found", "give --docs DIR (the folder holding it) or "
                                        "--db (the database the review page was made from)"))
    return text_of


def apply_to_gold(corrections: Corrections, source: str, gold_dir: Path, *, docs_dir: Path | None = None,
                  store: Store | None = None) -> list[Written]:
    """Write or update one gold file per corrected document: accepted records as stored, edited ones as
    edited, added ones, rejected ones left out; records of an earlier file no decision touched are kept.
    A document partly judged is written with "complete": false. Nothing is written if any check fails."""
    resolved = resolve(corrections, source, text_source(docs_dir, store))
    known = existing_gold(gold_dir)
    planned: list[tuple[Path, dict[str, Any], Written]] = []
    problems: list[str] = []
    for done in resolved:
        name = done.document.document
        path = known.get(name) or gold_dir / f"{Path(name).stem}.json"
        earlier = json.loads(path.read_text("utf-8")) if path.is_file() else {}
        records, kept = _merged(done, earlier.get("records") or [])
        complete = done.complete
        payload: dict[str, Any] = {"format": "kpi-records/1", "document": name,
                                   "meta": earlier.get("meta") or _stored_meta(store, done.document.sha256)}
        if not complete:
            payload["complete"] = False
        payload["records"] = records
        problems += check_data(payload, path, done.text)
        planned.append((path, payload, Written(name, path, len(records), complete, len(done.accepted),
                                               len(done.edited), len(done.rejected), len(done.added), kept)))
    if problems:
        raise CorrectionsError("\n".join(["the gold files would fail the gold check; nothing was written:",
                                          *problems]))
    _write_all(gold_dir, planned)
    return [written for _, _, written in planned]


def _merged(done: Resolved, earlier: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The person's records, then an earlier file's records no decision touched (by key: the judged, the
    rejected and the outcome's own), in text order; and how many of those were kept."""
    outcome = done.outcome()
    touched = {key for key, _ in done.accepted} | {key for key, _, _ in done.edited} | {
        key for key, _ in done.rejected} | {record_key(record.model_dump()) for record in outcome}
    kept = [record for record in earlier if isinstance(record, dict) and record_key(record) not in touched]
    placed = [(r.start, gold_record(r)) for r in outcome]
    where = {id(record): done.text.find(record.get("evidence") or "\0") for record in kept}
    merged = sorted(placed + [(where[id(r)], r) for r in kept], key=lambda p: (p[0] is None or p[0] < 0, p[0] or 0))
    return [record for _, record in merged], len(kept)


def _stored_meta(store: Store | None, sha256: str) -> dict[str, Any]:
    """The document's meta as the store holds it, or every field null."""
    empty = {"authority": None, "committee": None, "meeting_date": None, "report_period": None}
    if store is None:
        return empty
    rows = store.db.execute("select meta from documents where id = ?", [sha256]).fetchall()
    meta = json.loads(rows[0][0] or "{}") if rows else {}
    return {key: meta.get(key) for key in empty}


def _write_all(gold_dir: Path, planned: Sequence[tuple[Path, dict[str, Any], Written]]) -> None:
    gold_dir.mkdir(parents=True, exist_ok=True)
    for path, payload, _ in planned:
        part = path.with_suffix(".json.part")  # never a half-written gold file under the real name
        part.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
        part.replace(path)


def draft_gold(store: Store, documents: Sequence[str], gold_dir: Path, *, overwrite: bool = False) -> list[Written]:
    """Start gold from what the store holds: one file per document (by name or path), its stored records and
    meta, "complete": false until a person has judged it in the review page. Records that fail the gold
    check are left out and counted. An existing gold file is kept unless overwrite."""
    known = existing_gold(gold_dir)
    planned: list[tuple[Path, dict[str, Any], Written]] = []
    problems: list[str] = []
    for wanted in documents:
        stored = store.stored_documents(wanted)
        if len(stored) != 1:
            problems.append(fix_hint(f"{wanted}: {'no' if not stored else len(stored)} stored document(s) of that "
                                     "name or path", "give a name or path 'kpi-extract runs' or the review page "
                                     "shows (a path where two documents share a name)"))
            continue
        name = stored[0]["name"]
        path = known.get(name) or gold_dir / f"{Path(name).stem}.json"
        if path.exists() and not overwrite:
            problems.append(fix_hint(f"{wanted}: {path} already exists", "label it in the review page and apply "
                                     "the corrections ('kpi-extract gold apply'), or give --overwrite"))
            continue
        records, left_out = [], 0
        for row in store.records_of(stored[0]["id"]):
            record = {key: kpi_record(row)[key] for key in RECORD_FIELDS}
            if check_data({"format": "kpi-records/1", "records": [record]}, path, stored[0]["text"]):
                left_out += 1
            else:
                records.append(record)
        payload = {"format": "kpi-records/1", "document": name, "meta": _stored_meta(store, stored[0]["id"]),
                   "complete": False, "records": records}
        problems += check_data(payload, path, stored[0]["text"])
        planned.append((path, payload, Written(name, path, len(records), False, drafted=len(records),
                                               left_out=left_out)))
    if problems:
        raise CorrectionsError("\n".join(problems))
    _write_all(gold_dir, planned)
    return [written for _, _, written in planned]


def gold_from_db(store: Store) -> list[tuple[DocumentResult, Document]]:
    """Gold from the corrected records of a database (eval --gold-from-db): per document a person reviewed,
    its accepted, edited and added records, "complete": false while any stored record is unjudged; with
    the document to extract from (its file when unchanged, else the stored text)."""
    from .documents import document_from_text

    golds = []
    for stored in store.stored_documents():
        rows = store.records_of(stored["id"])
        if not store.reviewed_count(stored["id"]):
            continue
        records = [KPIRecord.model_validate(kpi_record(row)) for row in rows if row.get("review")]
        gold = DocumentResult(document=stored["name"], meta=_stored_meta(store, stored["id"]), records=records)
        if any(not row.get("review") for row in rows):
            gold = DocumentResult.model_validate({**gold.model_dump(), "complete": False})
        path = Path(stored["path"] or "")
        document = None
        if stored["path"] and path.is_file():
            try:
                loaded = load_document(path)
                document = loaded if loaded.sha256 == stored["id"] else None
            except InputError:
                document = None
        golds.append((gold, document or document_from_text(stored["text"], name=stored["name"])))
    if not golds:
        raise CorrectionsError(fix_hint(f"{store.path}: no document has corrected records",
                                        "apply a review's corrections first ('kpi-extract corrections apply')"))
    return golds
