"""Exports analysts open: CSV, JSON, JSON lines and Excel, one row per record, streamed; and
kpi-records/1 files, one per document, that the eval harness scores."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from .store import Store

FORMATS = ("csv", "json", "jsonl", "xlsx", "kpi-records")
# The comparisons most analyses need, flattened into columns (the first of each basis); every
# comparison stays whole in the 'comparisons' column (JSON text in CSV and Excel).
FLATTENED = (("previous_year", "value"), ("previous_year", "change"), ("previous_period", "value"),
             ("previous_period", "change"), ("target", "value"), ("national", "value"),
             ("statistical_neighbours", "value"), ("regional", "value"))
# The council's wording (indicator) sits beside the catalogue's measure (indicators.md): its id, name and
# polarity, and how the mapper decided the id, for auditing it. 'ocr': the record was read from a page OCR
# read (a scan), so its figures may carry OCR's misreadings. Last, DfE's published figures beside the record
# (official.OFFICIAL_COLUMNS): always present, empty where none is loaded or none meets the record.
OFFICIAL = ("official_year", "official_measure", "official_value", "official_mark", "official_england",
            "official_region", "official_neighbours", "official_neighbours_with_figure", "official_mismatch",
            "official_snapshot")
COLUMNS = ("document", "path", "authority", "committee", "meeting_date", "report_period", "url", "page", "ocr",
           "indicator", "indicator_id", "indicator_name", "polarity", "indicator_id_method", "value", "unit", "period",
           "numerator", "denominator", "target_met", "trend", "suspect",
           *(f"{basis}_{part}" for basis, part in FLATTENED), "comparisons", "evidence", "start", "end",
           "backend", "model", "prompt_version", "run_id", "reviewed", "reviewed_by", "reviewed_at", *OFFICIAL)
_NUMBERS = ("value", "numerator", "denominator")


def number(value: Any) -> Any:
    """A stored number as printed: 78, not 78.0 (SQLite keeps every value as REAL)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


_FLAT_KEYS = frozenset(f"{basis}_{part}" for basis, part in FLATTENED)


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    """A stored record's values as the format has them, in place: numbers as printed (78, not 78.0),
    flags as booleans, comparisons parsed."""
    for key in _NUMBERS:  # number(), inlined: this runs three times a row of a 100,000-row export
        value = values[key]
        if value.__class__ is float and value.is_integer():
            values[key] = int(value)
    values["target_met"] = None if values["target_met"] is None else bool(values["target_met"])
    values["suspect"] = bool(values["suspect"])
    if "ocr" in values:
        values["ocr"] = bool(values["ocr"])
    text = values.get("comparisons")
    values["comparisons"] = [] if not text or text == "[]" else [
        {k: number(v) for k, v in comparison.items()} for comparison in json.loads(text)]
    return values


def export_row(out: dict[str, Any]) -> dict[str, Any]:
    """One record as exported, in place (a row with every column, in COLUMNS' order): typed values,
    comparisons parsed and the common bases flattened."""
    _typed(out)
    for comparison in out["comparisons"]:  # the first of each basis fills its columns
        for part in ("value", "change"):
            key = f"{comparison['basis']}_{part}"
            if key in _FLAT_KEYS and out[key] is None:
                out[key] = comparison[part]
    return out


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, stream: IO[str]) -> int:
    """Write records as csv, json or jsonl to a text stream, one at a time; return how many."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        encode = json.JSONEncoder(ensure_ascii=False).encode
        for row in rows:
            row["comparisons"] = encode(row["comparisons"])
            writer.writerow([row[column] for column in COLUMNS])  # DictWriter checks every row's keys: slower
            count += 1
    elif fmt == "jsonl":
        encode = json.JSONEncoder(ensure_ascii=False).encode
        for row in rows:
            stream.write(encode(row) + "\n")
            count += 1
    elif fmt == "json":
        encode = json.JSONEncoder(ensure_ascii=False).encode
        stream.write("[")
        for count, row in enumerate(rows, start=1):
            stream.write(("\n  " if count == 1 else ",\n  ") + encode(row))
        stream.write("\n]\n" if count else "]\n")
    else:
        raise ValueError(f"not a text format: {fmt}")
    return count


def write_xlsx(rows: Iterable[dict[str, Any]], path: Path) -> int:
    """Write records to an Excel workbook (openpyxl, write-only so memory stays flat): numbers as
    numbers, meeting dates as dates, a frozen header row with filters; return how many."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("records")
    sheet.freeze_panes = "A2"
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        count += 1
        cells = []
        for column in COLUMNS:
            value = row[column]
            if column == "comparisons":
                value = json.dumps(value, ensure_ascii=False)
            elif column == "meeting_date" and value:
                value = date.fromisoformat(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    book.save(path)
    return count


def write_kpi_records(store: Store, folder: Path, *, document: str | None = None,
                      on_empty: Callable[[str, str], None] | None = None) -> int:
    """One kpi-records/1 file per stored document (records in text order, offsets and page kept),
    named after the document (a second document of the same name gets its number); return how many.
    on_empty is told each document written without records, and why: none found, or all offered dropped."""
    folder.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    for stored in store.documents():
        if document and document not in (stored["name"], stored["path"]):
            continue
        records = [kpi_record(row) for row in store.records_of(stored["id"])]
        stem, number_ = stored["name"], 1
        while stem in written:
            number_ += 1
            stem = f"{stored['name']}.{number_}"
        written.add(stem)
        if not records and on_empty is not None:
            dropped = stored.get("dropped") or 0
            on_empty(stem, f"all {dropped} offered records dropped" if dropped else "no records found")
        payload = {"format": "kpi-records/1", "document": stored["name"], "meta": json.loads(stored["meta"]),
                   "records": records}
        (folder / f"{stem}.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return len(written)


def kpi_record(row: dict[str, Any]) -> dict[str, Any]:
    """One stored record as a kpi-records/1 object: typed fields, offsets and page, the OCR mark."""
    from .schema import RECORD_FIELDS  # here, not above: the schema's pydantic models are slow to import

    record = _typed({field: row[field] for field in RECORD_FIELDS})
    record.update({key: row[key] for key in ("start", "end", "page") if row.get(key) is not None})
    if row.get("ocr"):
        record["ocr"] = True
    if row.get("review"):
        record["reviewed"] = row["review"]
    return record


def rows_for_export(store: Store, **filters: str | None) -> Iterator[dict[str, Any]]:
    """The store's records as export rows, streamed, filtered (see Store.export_rows), with the official
    figures beside each where some are loaded (one lookup for the whole export)."""
    rows = map(export_row, store.export_rows(**filters, columns=COLUMNS))
    from .official import OfficialLookup  # here: light commands need not import it

    lookup = OfficialLookup(store)
    if not lookup.loaded:
        return rows  # the official columns stay empty (export_rows fills what the view lacks with None)
    return _with_official(rows, lookup)


def _with_official(rows: Iterator[dict[str, Any]], lookup: Any) -> Iterator[dict[str, Any]]:
    ids, columns = lookup.ids, lookup.columns  # a record whose id has no loaded measure costs one set lookup
    for row in rows:
        if row["indicator_id"] in ids:
            row.update(columns(row["indicator_id"], row["authority"], row["period"], row["value"]))
        yield row
