"""The SQLite store (sqlite-utils): documents, records, runs, failures, eval runs; the schema's migrations
are in migrations.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils
from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_random

from .documents import Document
from .errors import StoreError, fix_hint
from .migrations import MIGRATIONS
from .redact import scrub

if TYPE_CHECKING:  # the schema's pydantic models are slow to import; the store only needs the name
    from .schema import DocumentResult


def now() -> str:
    """The current UTC time as ISO 8601, the timestamp format of every table."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# What an export reads of the kpis view (its ids stay inside the database).
EXPORTED = ("document", "path", "authority", "committee", "meeting_date", "report_period", "url", "page", "ocr",
            "indicator",
            "indicator_id", "indicator_name", "polarity", "indicator_id_method", "value", "unit", "period",
            "numerator", "denominator", "target_met", "trend", "suspect", "comparisons", "evidence", "start", "end",
            "backend", "model", "prompt_version", "run_id", "reviewed", "reviewed_by", "reviewed_at")


BUSY_TIMEOUT = 60.0  # seconds a writer waits for another process's transaction before giving up


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class Store:
    """A kpi-extract database: opened (and migrated) once, written one document per transaction.

    Several processes may write one database at once: it runs in WAL mode, a writer waits up to
    BUSY_TIMEOUT for another's transaction, and every document is written in one explicit
    BEGIN IMMEDIATE transaction, inside which the decision to skip it is made again."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            # Autocommit (isolation_level None): no transaction opens unless we open one, so ours are
            # explicit. check_same_thread off: one writer at a time, but not always the opening
            # thread (a batch started inside a running event loop runs on a worker thread).
            connection = sqlite3.connect(self.path, check_same_thread=False, timeout=BUSY_TIMEOUT,
                                         isolation_level=None)
            self.db = sqlite_utils.Database(connection)
            self._tables: dict[str, sqlite_utils.db.Table] = {}
            self.db.execute("pragma foreign_keys = on")
            # Two processes opening one new file may both try to switch it to WAL; SQLite refuses one at
            # once (a lock upgrade it will not wait for), so opening is tried again until BUSY_TIMEOUT.
            for attempt in Retrying(retry=retry_if_exception(_locked), stop=stop_after_delay(BUSY_TIMEOUT),
                                    wait=wait_random(0.05, 0.5), reraise=True):
                with attempt:
                    self.abandon_transaction()
                    self.db.execute("pragma journal_mode = wal")
                    self._migrate()
                    self._sync_catalogue()
            # In WAL mode, NORMAL syncs at checkpoints, not at every commit: a commit still survives the
            # process being killed, and the file is never corrupted; only a power cut or OS crash may
            # lose the last commits (those documents are extracted again on the next run). FULL waited
            # on the disk for every document and every cached answer, on the event loop (2-4 ms each).
            self.db.execute("pragma synchronous = normal")
        except sqlite3.DatabaseError as exc:
            raise StoreError(fix_hint(
                f"{self.path}: cannot open as a kpi-extract database ({exc})",
                "point --db at a new file or an existing kpi-extract database",
            )) from exc

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One explicit write transaction; BEGIN IMMEDIATE takes the write lock first, so what is
        decided inside it (skip a document, apply a migration) still holds when it commits."""
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    def _table(self, name: str) -> sqlite_utils.db.Table:
        """A table, made once: db[name] asks SQLite for every view's name on each use (four
        queries a stored document)."""
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = self.db.table(name)
        return table

    def abandon_transaction(self) -> None:
        """Roll back a transaction left open by an interruption between BEGIN and the end of a write."""
        if self.db.conn.in_transaction:
            self.db.conn.execute("ROLLBACK")

    def _applied(self) -> set[str]:
        if "_migrations" not in self.db.table_names():
            return set()
        return {row["name"] for row in self.db["_migrations"].rows}

    def _migrate(self) -> None:
        if {name for name, _ in MIGRATIONS} <= self._applied():
            return
        with self.transaction():  # two processes opening a new file: the second waits, then finds them done
            done = self._applied()
            for name, step in MIGRATIONS:
                if name not in done:
                    step(self.db)
                    self.db["_migrations"].insert({"name": name, "applied_at": now()}, pk="name")

    def _sync_catalogue(self) -> None:
        """Keep the database's copy of the indicator catalogue equal to the package's (rows are only
        ever added or reworded, so replacing them all keeps every stored id valid)."""
        from .indicators import catalogue, catalogue_digest

        digest = catalogue_digest()
        held = self.db.execute("select distinct catalogue from indicators").fetchall()
        if held == [(digest,)]:
            return
        with self.transaction():
            self.db.execute("delete from indicators")
            self._table("indicators").insert_all(
                ({"id": row.id, "name": row.name, "unit": row.unit, "polarity": row.polarity, "lait": row.lait,
                  "definition": row.definition, "synonyms": " | ".join(row.synonyms), "catalogue": digest}
                 for row in catalogue().values()), pk="id")

    def indicator_counts(self) -> dict[str, int]:
        """How many stored records each canonical indicator id has (ids with none are absent)."""
        return dict(self.db.execute(
            "select indicator_id, count(*) from records where indicator_id is not null group by indicator_id"
        ).fetchall())

    def start_run(self, run_id: str, *, backend: str, model: str | None, prompt_version: str | None,
                  prompt_hash: str | None = None) -> None:
        """Record that a run began."""
        with self.transaction():
            self._insert_run(run_id, backend=backend, model=model, prompt_version=prompt_version,
                             prompt_hash=prompt_hash)

    def _insert_run(self, run_id: str, *, backend: str, model: str | None, prompt_version: str | None,
                    prompt_hash: str | None) -> None:
        self._table("runs").insert({
            "id": run_id, "started_at": now(), "backend": backend, "model": model,
            "prompt_version": prompt_version, "prompt_hash": prompt_hash, "documents": 0, "extracted": 0,
            "skipped": 0, "failed": 0, "records": 0, "dropped": 0, "prompt_tokens": 0,
            "completion_tokens": 0, "calls": 0, "cache_hits": 0,
        })

    def finish_run(self, run_id: str, *, status: str = "completed", **counts: Any) -> None:
        """Close a run with its status ('completed', 'interrupted', 'aborted') and its final counts."""
        with self.transaction():
            self._table("runs").update(run_id, {"ended_at": now(), "status": status, **counts})

    def is_current(self, document: Document, *, backend: str, model: str | None, prompt_hash: str | None) -> bool:
        """Whether this exact content was already extracted with this backend, model and prompt."""
        rows = list(self._table("extractions").rows_where("document_id = ?", [document.sha256]))
        return bool(rows) and (rows[0]["backend"], rows[0]["model"], rows[0]["prompt_hash"]) == (
            backend, model, prompt_hash,
        )

    def save_result(
        self, document: Document, result: DocumentResult, *, run_id: str, backend: str,
        model: str | None = None, prompt_version: str | None = None, prompt_hash: str | None = None,
        calls: Sequence[dict[str, Any]] = (), replace: bool = True, dropped: int = 0,
        rejected: Sequence[dict[str, Any]] = (),
    ) -> int | None:
        """Write a document, its records, its extraction row and the model calls it made, in one
        transaction; return the records stored, or None when another process stored this content
        with the same backend, model and prompt meanwhile and replace is False (then only the calls
        are logged)."""
        with self.transaction():
            self._log_calls(run_id, document.sha256, calls, model=model)
            if not replace and self.is_current(document, backend=backend, model=model, prompt_hash=prompt_hash):
                return None
            earlier = [row["id"] for row in self._table("documents").rows_where(
                "path = ? and id != ?", [document.path, document.sha256])] if document.path else []
            earlier += [row["id"] for row in self._table("documents").rows_where(  # versions kept before those
                f"superseded_by in ({', '.join('?' * len(earlier))})", earlier)] if earlier else []
            self._table("documents").upsert({
                "id": document.sha256, "name": document.name, "path": document.path,
                "meta": json.dumps(result.meta.model_dump()), "text": document.text,
                "encoding": document.encoding, "loaded_at": now(), "url": document.url,
                "ocr_pages": json.dumps(list(document.ocr_pages)) if document.ocr_pages else None,
                "glyphs": document.glyphs,
            }, pk="id")
            # Changed content at the same path: the earlier version's extracted records go; a person's
            # corrections move to the new version, or keep the earlier one when its text no longer holds them.
            from .corrections_store import carry_corrections, keep_corrections

            for earlier_id in earlier:
                if carry_corrections(self, earlier_id, document.text, document.sha256):
                    self._supersede(earlier_id, document.sha256)
                else:
                    self._delete_document(earlier_id)
            rows = [self._record_row(document, record, run_id, backend, model, prompt_version, prompt_hash)
                    for record in result.records]
            # A person's corrections stay: only unreviewed records are replaced, and a fresh record a
            # person already judged (or rejected) is not stored again (corrections_store.py).
            rows, kept = keep_corrections(self, document.sha256, rows)
            if rows:
                self._table("records").insert_all(rows)
            self._table("extractions").upsert({
                "document_id": document.sha256, "backend": backend, "model": model,
                "prompt_hash": prompt_hash, "run_id": run_id, "records": len(rows) + kept, "at": now(),
                "dropped": dropped, "rejected": json.dumps(list(rejected)) if rejected else None,
            }, pk="document_id")
        return len(rows) + kept

    def update_provenance(self, document: Document) -> None:
        """Write what the user now says about a stored document (its url, the meta given over the text's)."""
        if not (document.url or document.given):
            return
        with self.transaction():
            rows = list(self._table("documents").rows_where("id = ?", [document.sha256]))
            if rows:
                meta = {**json.loads(rows[0]["meta"] or "{}"), **document.given}
                self._table("documents").update(document.sha256, {"meta": json.dumps(meta),
                                                              "url": document.url or rows[0]["url"]})

    def _supersede(self, document_id: str, by: str) -> None:
        """Keep an earlier version only for the corrected records its successor's text no longer holds."""
        self.db.execute("delete from records where document_id = ? and review is null", [document_id])
        self._table("extractions").delete_where("document_id = ?", [document_id])
        self._table("documents").update(document_id, {"path": None, "superseded_by": by})

    def superseded_corrections(self, document_id: str) -> int:
        """Corrected records kept with earlier versions of a document because its new text no longer holds them."""
        return self.db.execute(
            "select count(*) from records r join documents d on r.document_id = d.id where d.superseded_by = ?",
            [document_id]).fetchone()[0]

    def _delete_document(self, document_id: str) -> None:
        self._table("records").delete_where("document_id = ?", [document_id])
        self._table("rejections").delete_where("document_id = ?", [document_id])
        self._table("extractions").delete_where("document_id = ?", [document_id])
        self._table("documents").delete(document_id)

    @staticmethod
    def _record_row(document: Document, record: Any, run_id: str, backend: str, model: str | None,
                    prompt_version: str | None, prompt_hash: str | None) -> dict[str, Any]:
        data = record.model_dump()
        return {
            "document_id": document.sha256, "run_id": run_id,
            "start": data.get("start"), "end": data.get("end"), "page": data.get("page"),
            "indicator": record.indicator, "indicator_id": record.indicator_id,
            "indicator_id_method": data.get("indicator_id_method"), "value": record.value, "unit": record.unit,
            "period": record.period, "numerator": record.numerator, "denominator": record.denominator,
            "comparisons": json.dumps([c.model_dump() for c in record.comparisons]),
            "target_met": record.target_met, "trend": record.trend, "suspect": record.suspect,
            "evidence": record.evidence, "backend": backend, "model": model,
            "prompt_version": prompt_version, "prompt_hash": prompt_hash,
            "ocr": int(data.get("page") in document.ocr_pages) if document.ocr_pages else 0,
        }

    def record_failure(self, run_id: str, document: str, stage: str, error: str, *, document_id: str | None = None,
                       calls: Sequence[dict[str, Any]] = (), model: str | None = None) -> None:
        """Log a document that failed at a stage, with the model calls it made, so the batch can go on."""
        with self.transaction():
            if document_id:
                self._log_calls(run_id, document_id, calls, model=model)
            self._table("failures").insert({"run_id": run_id, "document": document, "stage": stage,
                                            "error": scrub(error), "at": now()})

    def cached_response(self, key: str) -> dict[str, Any] | None:
        """A stored model response by cache key, or None."""
        rows = list(self._table("responses").rows_where("key = ?", [key]))
        return json.loads(rows[0]["response"]) if rows else None

    def save_response(self, key: str, response: dict[str, Any], *, model: str, mode: str, prompt_version: str,
                      prompt_hash: str, prompt_tokens: int, completion_tokens: int) -> None:
        """Cache a model response (already validated) under its key."""
        with self.transaction():
            self._table("responses").upsert({
                "key": key, "model": model, "mode": mode, "prompt_version": prompt_version,
                "prompt_hash": prompt_hash, "response": json.dumps(response, ensure_ascii=False),
                "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "created_at": now(),
            }, pk="key")

    def server_mode(self, endpoint: str, model: str) -> str | None:
        """The mode --mode auto decided for this endpoint and model on an earlier run, or None."""
        rows = list(self._table("server_modes").rows_where("endpoint = ? and model = ?", [endpoint, model]))
        return rows[0]["mode"] if rows else None

    def save_server_mode(self, endpoint: str, model: str, mode: str, note: str) -> None:
        """Remember the mode a server accepted (replacing an older decision)."""
        with self.transaction():
            self._table("server_modes").upsert({"endpoint": endpoint, "model": model, "mode": mode, "note": note,
                                            "decided_at": now()}, pk=("endpoint", "model"))

    def _log_calls(self, run_id: str, document_id: str, calls: Sequence[dict[str, Any]], *,
                   model: str | None) -> None:
        """Record each HTTP call a document's extraction made (inside the caller's transaction)."""
        if calls:
            self._table("calls").insert_all(
                [{"run_id": run_id, "document_id": document_id, "model": model, "at": now(), **c} for c in calls])

    def run(self, run_id: str) -> dict[str, Any]:
        """One run's row."""
        return self._table("runs").get(run_id)

    def export_rows(self, *, authority: str | None = None, indicator: str | None = None,
                    indicator_id: str | None = None, since: str | None = None, document: str | None = None,
                    columns: Sequence[str] = EXPORTED) -> Iterator[dict[str, Any]]:
        """Every stored record with where it comes from (the kpis view), streamed in document then
        offset order; filtered by authority (any case), indicator (substring of the council's wording),
        indicator_id (a catalogue id, exactly), meeting date on or after since (YYYY-MM-DD), and
        document (its name or path). Each row has columns in their order; a column the view lacks is
        None (for the caller to fill)."""
        where, args = [], []
        if authority:
            where.append("lower(authority) = lower(?)")
            args.append(authority)
        if indicator:
            where.append("indicator like ?")
            args.append(f"%{indicator}%")
        if indicator_id:
            where.append("indicator_id = ?")
            args.append(indicator_id)
        if since:
            where.append("meeting_date >= ?")
            args.append(since)
        if document:
            where.append("(document = ? or path = ?)")
            args += [document, document]
        selected = ", ".join(f'"{c}"' if c in EXPORTED else f'null as "{c}"' for c in columns)
        sql = f"select {selected} from kpis" + (" where " + " and ".join(where) if where else "")
        cursor = self.db.conn.execute(sql + " order by document, path, start, record_id", args)
        names = tuple(columns)
        for row in cursor:  # streamed: one row at a time, whatever the table's size
            yield dict(zip(names, row, strict=True))

    def stored_documents(self, name: str | None = None) -> list[dict[str, Any]]:
        """Stored documents with their text, meta, and the records offered that were dropped (a model's
        count, and the gate's rejections with their reasons); all, or those whose name or path is name."""
        sql = ("select d.id, d.name, d.path, d.url, d.meta, d.text, d.ocr_pages, d.glyphs, e.dropped, e.rejected, "
               "e.backend, e.model from documents d left join extractions e on e.document_id = d.id")
        args = []
        if name:
            sql += " where d.name = ? or d.path = ?"
            args = [name, name]
        return list(self.db.query(sql + " order by d.name, d.path", args))

    def reviewed_count(self, document_id: str) -> int:
        """How many of a document's stored records a person reviewed (accepted, edited or added)."""
        return self.db.execute("select count(*) from records where document_id = ? and review is not null",
                               [document_id]).fetchone()[0]

    def records_of(self, document_id: str) -> list[dict[str, Any]]:
        """One document's stored records in text order."""
        return list(self.db.query("select * from records where document_id = ? order by start, id", [document_id]))

    def failures(self, run_id: str | None = None) -> list[dict[str, Any]]:
        """Failed documents, newest first: all runs' or one run's (an id or its prefix)."""
        if run_id:
            return list(self.db.query("select * from failures where run_id like ? order by id desc", [f"{run_id}%"]))
        return list(self.db.query("select * from failures order by id desc"))

    def runs(self) -> list[dict[str, Any]]:
        """Past runs, newest first."""
        return list(self.db.query(
            "select r.*, (select count(*) from extractions e where e.run_id = r.id and e.records = 0 "
            "and e.dropped > 0) as all_dropped from runs r order by r.started_at desc, r.rowid desc"))

    def documents(self) -> list[dict[str, Any]]:
        """The stored documents (without their text)."""
        return list(self.db.query(
            "select d.id, d.name, d.path, d.meta, d.ocr_pages, d.glyphs, e.records, e.dropped from documents d "
            "left join extractions e on e.document_id = d.id order by d.name"))

    def save_eval(self, report: dict[str, Any], *, backend: str, model: str | None,
                  prompt_version: str | None, gold: str) -> int:
        """Store an eval report so later runs can be listed and compared; return its id."""
        table = self._table("eval_runs")
        table.insert({
            "at": now(), "backend": backend, "model": model, "prompt_version": prompt_version,
            "gold": gold, "documents": report["documents"], "record_f1": report["records"]["f1"],
            "strict_f1": report["strict"]["f1"], "report": json.dumps(report),
        })
        return int(table.last_pk)

    def eval_runs(self) -> list[dict[str, Any]]:
        """Past eval runs, newest first, without their full reports."""
        return list(self.db.query(
            "select id, at, backend, model, prompt_version, gold, documents, record_f1, strict_f1 "
            "from eval_runs order by id desc"
        ))

    def eval_report(self, eval_id: int) -> dict[str, Any]:
        """One stored eval report by id."""
        rows = list(self._table("eval_runs").rows_where("id = ?", [eval_id]))
        if not rows:
            raise StoreError(f"{self.path}: no eval run with id {eval_id}; list them with 'kpi-extract eval-history'")
        return json.loads(rows[0]["report"])
