"""The store's schema, and how it changed: numbered migrations, each applied once per database, in order,
inside one locked transaction when the database is opened (Store._migrate)."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _m001_initial(db: sqlite_utils.Database) -> None:
    db["documents"].create(
        {"id": str, "name": str, "path": str, "meta": str, "text": str, "encoding": str, "loaded_at": str},
        pk="id",
    )
    db["runs"].create(
        {"id": str, "started_at": str, "ended_at": str, "backend": str, "model": str,
         "prompt_version": str, "documents": int, "extracted": int, "skipped": int, "failed": int,
         "records": int, "dropped": int, "prompt_tokens": int, "completion_tokens": int},
        pk="id",
    )
    db["records"].create(
        {"id": int, "document_id": str, "run_id": str, "start": int, "end": int, "indicator": str,
         "value": float, "unit": str, "period": str, "numerator": float, "denominator": float,
         "comparisons": str, "target_met": int, "trend": str, "suspect": int, "evidence": str,
         "backend": str, "model": str, "prompt_version": str, "prompt_hash": str},
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("run_id", "runs", "id")],
    )
    db["records"].create_index(["document_id"])
    db["extractions"].create(
        {"document_id": str, "backend": str, "model": str, "prompt_hash": str, "run_id": str,
         "records": int, "at": str},
        pk="document_id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["failures"].create(
        {"id": int, "run_id": str, "document": str, "stage": str, "error": str, "at": str},
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["eval_runs"].create(
        {"id": int, "at": str, "backend": str, "model": str, "prompt_version": str, "gold": str,
         "documents": int, "record_f1": float, "strict_f1": float, "report": str},
        pk="id",
    )


def _m002_model_calls(db: sqlite_utils.Database) -> None:
    # The LLM backend: a response cache, one row per HTTP call, and per-run totals.
    db["responses"].create(
        {"key": str, "model": str, "mode": str, "prompt_version": str, "prompt_hash": str,
         "response": str, "prompt_tokens": int, "completion_tokens": int, "created_at": str},
        pk="key",
    )
    db["calls"].create(
        {"id": int, "run_id": str, "document_id": str, "chunk": int, "response_id": str,
         "model": str, "finish_reason": str, "prompt_tokens": int, "completion_tokens": int, "at": str},
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["calls"].create_index(["run_id"])
    runs = db["runs"]
    runs.add_column("prompt_hash", str)
    runs.add_column("calls", int)
    runs.add_column("cache_hits", int)
    runs.add_column("cost", float)


def _m003_offered_and_mode(db: sqlite_utils.Database) -> None:
    # Honest accounting: the records a model offered (kept + dropped) and the mode a run used; and the
    # structured-output mode --mode auto found a server to accept, so a later run need not ask again.
    db["runs"].add_column("offered", int)
    db["runs"].add_column("mode", str)
    db["server_modes"].create({"endpoint": str, "model": str, "mode": str, "note": str, "decided_at": str},
                              pk=("endpoint", "model"))


def _m004_run_status(db: sqlite_utils.Database) -> None:
    # A run ends 'completed', 'interrupted' (Ctrl-C) or 'aborted' (a fault that stops the batch);
    # a run killed outright keeps no status and no end time.
    db["runs"].add_column("status", str)


def _m005_retries_and_reasks(db: sqlite_utils.Database) -> None:
    # A run counts the requests it sent again (rate limits, server errors, timeouts, dropped
    # connections) and the answers it re-asked, so a flaky endpoint shows in the run.
    db["runs"].add_column("retries", int)
    db["runs"].add_column("reasks", int)


def _m006_documents_by_path(db: sqlite_utils.Database) -> None:
    # Storing a document looks up older versions at its path: an index keeps a batch of thousands
    # linear instead of scanning every stored document per document.
    db["documents"].create_index(["path"])


def _m007_sources(db: sqlite_utils.Database) -> None:
    # Where each number comes from: a document's published URL (a manifest's), the PDF page of a
    # record, and how many files a run's folders held of types it does not read.
    db["documents"].add_column("url", str)
    db["records"].add_column("page", int)
    db["runs"].add_column("unsupported", int)


KPIS_VIEW = """
create view kpis as
select r.id as record_id, d.id as document_id, d.name as document, d.path,
       json_extract(d.meta, '$.authority') as authority, json_extract(d.meta, '$.committee') as committee,
       json_extract(d.meta, '$.meeting_date') as meeting_date,
       json_extract(d.meta, '$.report_period') as report_period, d.url, r.page,
       r.indicator, r.indicator_id, i.name as indicator_name, i.polarity, r.indicator_id_method,
       r.value, r.unit, r.period, r.numerator, r.denominator, r.comparisons, r.target_met,
       r.trend, r.suspect, r.evidence, r.start, r."end", r.backend, r.model, r.prompt_version, r.run_id, r.ocr,
       r.review as reviewed, r.reviewed_by, r.reviewed_at
from documents d cross join records r on r.document_id = d.id
left join indicators i on i.id = r.indicator_id
"""
# The view m012 made (before a person's review of m015).
_KPIS_VIEW_M012 = KPIS_VIEW.replace(",\n       r.review as reviewed, r.reviewed_by, r.reviewed_at\n", "\n")
# The view m010 made (before the OCR mark of m012).
_KPIS_VIEW_M010 = _KPIS_VIEW_M012.replace(", r.ocr\n", "\n")
# The view before m010 (no canonical ids), as m008 and m009 made it.
_KPIS_VIEW_M008 = """
create view kpis as
select r.id as record_id, d.id as document_id, d.name as document, d.path,
       json_extract(d.meta, '$.authority') as authority, json_extract(d.meta, '$.committee') as committee,
       json_extract(d.meta, '$.meeting_date') as meeting_date,
       json_extract(d.meta, '$.report_period') as report_period, d.url, r.page,
       r.indicator, r.value, r.unit, r.period, r.numerator, r.denominator, r.comparisons, r.target_met,
       r.trend, r.suspect, r.evidence, r.start, r."end", r.backend, r.model, r.prompt_version, r.run_id
from documents d cross join records r on r.document_id = d.id
"""
# 'cross join' keeps SQLite's loop order (documents outside, their records inside): with the two
# indexes of m009 an export in document then offset order reads rows already in that order instead
# of sorting every record in a temporary B-tree (100,000 records: 0.35 s instead of 0.87 s).


def _m008_review(db: sqlite_utils.Database) -> None:
    # The review page and the exports: how many records a model offered that validation dropped, per
    # document; and one view of every record with where it comes from (exports, Datasette).
    db["extractions"].add_column("dropped", int)
    db.execute(_KPIS_VIEW_M008)


def _m009_export_order(db: sqlite_utils.Database) -> None:
    # Exports and the review page read records in document name, path, then offset order.
    db.execute("create index if not exists idx_documents_name_path on documents (name, path)")
    db.execute("create index if not exists idx_records_document_start on records (document_id, start, id)")
    db.execute("drop view if exists kpis")
    db.execute(_KPIS_VIEW_M008)


def _m010_canonical_indicators(db: sqlite_utils.Database) -> None:
    # Canonical indicators (indicators.md): each record's catalogue id and how the mapper decided it, a
    # copy of the catalogue so SQL and Datasette can name and group the measures (Store keeps it
    # current), and the kpis view with the id, its name and polarity.
    db["records"].add_column("indicator_id", str)
    db["records"].add_column("indicator_id_method", str)
    db.execute("create index if not exists idx_records_indicator_id on records (indicator_id)")
    db["indicators"].create({"id": str, "name": str, "unit": str, "polarity": str, "lait": str,
                             "definition": str, "synonyms": str, "catalogue": str}, pk="id")
    db.execute("drop view if exists kpis")
    db.execute(_KPIS_VIEW_M010)


def _m011_official(db: sqlite_utils.Database) -> None:
    # Official figures (DfE's LAIT, extractor/official_load.py): the measures of its data dictionary,
    # every published value typed (a number in value, or the suppression mark in mark, never a 0),
    # the statistical neighbours, the authorities, regions and England by LA number, and which
    # snapshot was loaded from where. `official load` replaces all five in one transaction.
    db.execute("create table official_snapshot (id integer primary key, source text, snapshot_date text, "
               "snapshot_commit text, loaded_at text, measures_filter text, measures integer, "
               "\"values\" integer, authorities integer)")
    db.execute("create table official_measures (measure text primary key, topic text, name text, polarity text, "
               "unit text, year_type text, dps integer, description text)")
    db.execute("create table official_authorities (la_number integer primary key, name text, area_type text, "
               "region text, region_number integer, type text)")
    db.execute("create table official_values (measure text not null, la_number integer not null, year text not null, "
               "value real, mark text, primary key (measure, la_number, year)) without rowid")
    db.execute("create table official_neighbours (la_number integer not null, rank integer not null, "
               "neighbour integer not null, closeness text, primary key (la_number, rank)) without rowid")


def _m012_ocr(db: sqlite_utils.Database) -> None:
    # Scans read by OCR and glyphs guessed (documents.py): a record read from a page OCR read is marked
    # (exports and the review page show it); a document keeps its OCR'd pages and how many glyphs
    # without a Unicode mapping were read as bullets or dropped.
    db["records"].add_column("ocr", int)
    db["documents"].add_column("ocr_pages", str)
    db["documents"].add_column("glyphs", int)
    db.execute("drop view if exists kpis")
    db.execute(_KPIS_VIEW_M012)


def _m013_gate(db: sqlite_utils.Database) -> None:
    # One gate before the store (gate.py): the records it kept out of a document, each with its reason.
    db["extractions"].add_column("rejected", str)


def _m014_batches(db: sqlite_utils.Database) -> None:
    # Batch runs (batch.py): each batch sent to a provider's Batch API and the settings to read it back;
    # which of its requests belongs to which document and chunk, with what it answered and cost; the
    # documents it stores once every request of theirs is settled; and which batch a run collected.
    db.execute("create table batches (id text primary key, provider_id text, parent text, status text, "
               "reason text, endpoint text, model text, mode text, prompt_version text, prompt_hash text, "
               "settings text, options text, input_file_id text, output_file_id text, error_file_id text, "
               "requests integer, completed integer, failed integer, documents integer, run_id text, "
               "created_at text, checked_at text, closed_at text)")
    # A request that packs several documents (--pack-tokens) has a row per passage, each with its id in the
    # request (part); an unpacked request has one row, part null.
    db.execute("create table batch_requests (id integer primary key, custom_id text not null, part text, "
               "batch_id text not null references batches(id), document_id text not null, "
               "chunk integer, key text, passages text, "
               "context text, state text, prompt_tokens integer, completion_tokens integer, response_id text, "
               "finish_reason text, live text, error text)")
    db.execute("create index idx_batch_requests_batch on batch_requests (batch_id, state)")
    db.execute("create index idx_batch_requests_custom_id on batch_requests (custom_id)")
    db.execute("create index idx_batch_requests_key on batch_requests (key, state)")
    db.execute("create table batch_documents (batch_id text not null references batches(id), document_id text "
               "not null, path text, name text, source text, state text, primary key (batch_id, document_id))")
    db["runs"].add_column("batch", str)


def _m015_corrections(db: sqlite_utils.Database) -> None:
    # A person's corrections (corrections_store.py): how a record was reviewed (accepted, edited, added), by
    # whom and when, and the key of the record as extracted that was judged, so a re-extraction never
    # overwrites it; the records a person rejected, so a re-extraction never brings them back; the kpis
    # view with the review.
    for column in ("review", "reviewed_by", "reviewed_at", "original_key"):
        db["records"].add_column(column, str)
    db["rejections"].create({"id": int, "document_id": str, "key": str, "indicator": str, "value": float,
                             "evidence": str, "record": str, "reviewed_by": str, "reviewed_at": str}, pk="id")
    db["rejections"].create_index(["document_id"])
    db.execute("drop view if exists kpis")
    db.execute(KPIS_VIEW)


def _m016_superseded(db: sqlite_utils.Database) -> None:
    # A document version kept after its file changed, for a person's corrections its successor's text no
    # longer holds (corrections_store.carry_corrections): the id of the version that replaced it.
    db["documents"].add_column("superseded_by", str)
    # Every stored document asks how many corrections its earlier versions keep: an index, not a scan.
    db["documents"].create_index(["superseded_by"])


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("m001_initial", _m001_initial),
    ("m002_model_calls", _m002_model_calls),
    ("m003_offered_and_mode", _m003_offered_and_mode),
    ("m004_run_status", _m004_run_status),
    ("m005_retries_and_reasks", _m005_retries_and_reasks),
    ("m006_documents_by_path", _m006_documents_by_path),
    ("m007_sources", _m007_sources),
    ("m008_review", _m008_review),
    ("m009_export_order", _m009_export_order),
    ("m010_canonical_indicators", _m010_canonical_indicators),
    ("m011_official", _m011_official),
    ("m012_ocr", _m012_ocr),
    ("m013_gate", _m013_gate),
    ("m014_batches", _m014_batches),
    ("m015_corrections", _m015_corrections),
    ("m016_superseded", _m016_superseded),
]
