"""Check kpi-records/1 files (gold or predictions) against records.md and their source documents."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from .documents import load_document
from .errors import GoldError, InputError
from .grounding import grounding_problem
from .schema import DocumentMeta, DocumentResult, KPIRecord, impossible_reason
from .textnorm import NormalisedText


def _where(path: Path, index: int | None, record: dict | None) -> str:
    if index is None:
        return path.name
    name = (record or {}).get("indicator") or "?"
    return f"{path.name}: record {index} ({str(name)[:50]!r})"


def _pydantic_errors(where: str, exc: ValidationError) -> list[str]:
    out = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "record"
        out.append(f"{where}: {field}: {error['msg']}")
    return out


def load_result_file(path: Path) -> DocumentResult:
    """Read one kpi-records/1 file; GoldError names the file and what is wrong."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: not readable JSON ({exc})") from exc
    try:
        return DocumentResult.model_validate(data)
    except ValidationError as exc:
        raise GoldError("\n".join(_pydantic_errors(str(path), exc))) from exc


def check_file(path: Path, docs_dir: Path) -> list[str]:
    """Every problem in one kpi-records/1 file, each naming file, record and field."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"{path.name}: not readable JSON ({exc})"]
    if not isinstance(data, dict):
        return [f"{path.name}: top level must be a JSON object"]
    problems = []
    document = data.get("document")
    source = docs_dir / document if isinstance(document, str) else None
    if source is None or not source.is_file():
        problems.append(f"{path.name}: document: {document!r} is not a file in {docs_dir}")
        source = None
    # The document's text as the extractor loads it (HTML, PDF and Word too), which evidence quotes.
    try:
        text = NormalisedText(load_document(source).text) if source else None
    except InputError as exc:
        problems.append(f"{path.name}: document: {exc}")
        text = None
    return problems + check_data(data, path, text)


def check_data(data: dict, path: Path, text: str | NormalisedText | None) -> list[str]:
    """Every problem in one kpi-records/1 object (to be written at path), its evidence checked against
    the document's text when given: the gold check, before or after a file is written."""
    problems = []
    if data.get("format") != "kpi-records/1":
        problems.append(f"{path.name}: format: must be 'kpi-records/1', found {data.get('format')!r}")
    try:
        DocumentMeta.model_validate(data.get("meta") or {})
    except ValidationError as exc:
        problems += _pydantic_errors(f"{path.name}: meta", exc)
    if "complete" in data and not isinstance(data["complete"], bool):
        problems.append(f"{path.name}: complete: must be true or false, found {data['complete']!r}")
    records = data.get("records")
    if not isinstance(records, list):
        return problems + [f"{path.name}: records: must be a list"]
    if text is not None and not isinstance(text, NormalisedText):
        text = NormalisedText(text)
    for index, raw in enumerate(records):
        where = _where(path, index, raw if isinstance(raw, dict) else None)
        try:
            record = KPIRecord.model_validate(raw)
        except ValidationError as exc:
            problems += _pydantic_errors(where, exc)
            continue
        if text is not None:
            problem = grounding_problem(record.evidence, record.value, text)
            if problem:
                problems.append(f"{where}: evidence: {problem}")
        reason = impossible_reason(record)
        if reason and isinstance(raw, dict) and raw.get("suspect") is not True:
            problems.append(f"{where}: suspect: must be true ({reason})")
    return problems


def check_dir(gold_dir: Path, docs_dir: Path) -> list[str]:
    """Every problem in every *.json file of a folder; an empty folder is itself a problem."""
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        return [f"{gold_dir}: no *.json kpi-records/1 files found"]
    problems = []
    for path in files:
        problems += check_file(path, docs_dir)
    return problems
