"""Metadata that makes a kpi-extract database useful in Datasette: what each table and column holds,
facets on the columns analysts slice by, a query for one indicator across documents (by the council's
wording) and one for a canonical indicator across authorities (by its catalogue id).

    kpi-extract datasette-metadata --db kpis.db --output metadata.json
    datasette kpis.db -m metadata.json        (pip install 'kpi-extract[datasette]')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_KPI_COLUMNS = {
    "record_id": "The record's id in the records table.",
    "document": "The source file's name.",
    "path": "The source file's path when it was read.",
    "authority": "The council, short name (from the text, or a manifest / --authority).",
    "committee": "The committee, as printed (from the text, or a manifest / --committee).",
    "meeting_date": "The meeting's date, YYYY-MM-DD.",
    "report_period": "The period the report covers, canonical (2023/24 Q2, 2024-03, ...).",
    "url": "Where the document was published (from a manifest).",
    "page": "The PDF page holding the evidence.",
    "indicator": "What was measured, in a few words from the text (the council's wording).",
    "indicator_id": "The canonical measure's id in the indicator catalogue (see indicators); empty when no "
                    "catalogue row is that measure. The same id is the same measure in every council.",
    "indicator_name": "The canonical measure's name in the catalogue.",
    "polarity": "Which way is better for the canonical measure: higher_is_better, lower_is_better or neutral.",
    "indicator_id_method": "How indicator_id was decided: wording (a catalogue wording is in the indicator), "
                           "evidence (the evidence names exactly one row), suggested (a backend's id that breaks no "
                           "rule) or unmapped.",
    "value": "The number as printed; empty for a status-only record.",
    "unit": "percent, count, rate_per_10000, days, weeks, months, hours, gbp or other.",
    "period": "The period the value describes, canonical.",
    "numerator": "The printed fraction's numerator (7 of 196: 7).",
    "denominator": "The printed fraction's denominator (7 of 196: 196).",
    "comparisons": "JSON list of {basis, value, change, period}: targets, earlier values, benchmarks.",
    "target_met": "1 met, 0 missed, empty when the text does not say.",
    "trend": "up, down or same, when the text states the direction.",
    "suspect": "1 when the value is impossible on its face (a share of a group above 100%).",
    "evidence": "The sentence the value was read from, verbatim.",
    "start": "Character offset of the evidence in the document's text.",
    "end": "End offset (exclusive) of the evidence.",
    "backend": "What extracted it: rules, or a model backend.",
    "model": "The model, for a model backend.",
    "prompt_version": "The prompt's name@version, for a model backend.",
    "run_id": "The run that stored it (see runs).",
}

_TABLES = {
    "kpis": "Every KPI record with where it comes from: one row per record (the view exports read).",
    "records": "KPI records, one per statement of an indicator's level; comparisons as JSON.",
    "documents": "Source documents: content id (sha256), name, path, URL, meta (JSON) and the full text.",
    "runs": "Batches run: status, backend, model, counts, tokens and cost.",
    "failures": "Documents that failed, with the stage and the full reason.",
    "extractions": "Which backend, model and prompt produced each document's current records.",
    "calls": "One row per HTTP request a model backend made.",
    "responses": "Cached model answers (a rerun asks nothing twice).",
    "server_modes": "The structured-output mode each endpoint and model accepted.",
    "eval_runs": "Accuracy evaluations against gold files, with their full reports.",
    "indicators": "The canonical indicator catalogue: one row per measure, the ids records' indicator_id names.",
    "_migrations": "Schema migrations applied to this file.",
}

_INDICATOR_COLUMNS = {
    "id": "The measure's stable id (records.indicator_id).",
    "name": "The measure's name.",
    "unit": "The unit its records report: percent, count, rate_per_10000 or days.",
    "polarity": "higher_is_better, lower_is_better or neutral.",
    "lait": "The same measure's Measure_short in DfE's Local Authority Interactive Tool, where DfE publishes it.",
    "definition": "What the measure counts.",
    "synonyms": "Wordings seen in minutes, ' | '-separated (examples, not a closed list).",
    "catalogue": "Which version of the catalogue this copy is (a hash of its text).",
}

INDICATOR_QUERY = (
    "select document, authority, committee, meeting_date, indicator, period, value, unit, target_met, trend, evidence "
    "from kpis where indicator like '%' || :indicator || '%' "
    "order by coalesce(meeting_date, period), document"
)
CANONICAL_QUERY = (
    "select authority, period, value, unit, indicator, document, evidence "
    "from kpis where indicator_id = :indicator_id "
    "order by authority, period"
)


def datasette_metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette's metadata for a kpi-extract database file (its name is the file's stem)."""
    tables: dict[str, Any] = {name: {"description": text} for name, text in _TABLES.items()}
    tables["kpis"].update({
        "columns": _KPI_COLUMNS,
        "facets": ["authority", "unit", "period", "indicator_id", "indicator"],
        "sort_desc": "meeting_date",
        "label_column": "indicator",
    })
    tables["records"]["columns"] = {k: v for k, v in _KPI_COLUMNS.items() if k not in (
        "record_id", "document", "path", "authority", "committee", "meeting_date", "report_period", "url",
        "indicator_name", "polarity")}
    tables["records"]["facets"] = ["unit", "period", "indicator_id"]
    tables["indicators"].update({"columns": _INDICATOR_COLUMNS, "facets": ["unit", "polarity"],
                                 "label_column": "name"})
    tables["documents"]["hidden"] = False
    tables["responses"]["hidden"] = True
    tables["_migrations"]["hidden"] = True
    return {
        "title": "kpi-extract: children's-services KPIs from council minutes",
        "description": "Records read from committee minutes by kpi-extract; start with the kpis view, the "
                       "query of one indicator across documents, or of one canonical indicator across "
                       "authorities.",
        "databases": {
            Path(db_path).stem: {
                "tables": tables,
                "queries": {
                    "indicator_across_documents": {
                        "title": "One indicator across documents",
                        "description": "Every record whose indicator contains the words given, by meeting date.",
                        "sql": INDICATOR_QUERY,
                    },
                    "indicator_across_authorities": {
                        "title": "One indicator across authorities",
                        "description": "Every record of one canonical indicator (its id, e.g. cla_count; the "
                                       "indicators table lists them), by authority then period, with each "
                                       "council's own wording and the sentence it was read from.",
                        "sql": CANONICAL_QUERY,
                    },
                },
            },
        },
    }
