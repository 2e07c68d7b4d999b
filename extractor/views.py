"""What the terminal shows: a run's summary, a document's records, past runs and failures, each as
a table for people (readable at 80 columns) or as JSON for scripts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .exports import number
from .indicators import catalogue
from .numbers import find_numbers, same_value
from .pipeline import DocumentOutcome, RunSummary

GROUP_ABOVE = 30  # a batch with more documents is summarised by status, not a row per document
FAILURE_LINES = 20  # failures listed one line each after the table; the rest are counted
NAME_WIDTH = 36


def shorten(text: str, width: int) -> str:
    """Text of at most width characters, shortened from the middle (names differ at both ends)."""
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    return f"{text[:head]}\u2026{text[len(text) - (width - 1 - head):]}"


def _first_line(message: str | None) -> str:
    return (message or "").strip().splitlines()[0] if message and message.strip() else ""


def outcome_names(outcomes: list[DocumentOutcome], width: int = NAME_WIDTH) -> dict[int, str]:
    """How to name each outcome in width characters: its file name, or its path where two files share
    a name, shortened from the middle unless that would make two names look alike."""
    counts = Counter(o.name for o in outcomes)
    full = {id(o): o.name if counts[o.name] == 1 or not o.path else o.path for o in outcomes}
    short = {key: shorten(name, width) for key, name in full.items()}
    alike = Counter(short.values())
    return {key: short[key] if alike[short[key]] == 1 else full[key] for key in full}


def all_dropped(offered: int | None, dropped: int | None, records: int | None) -> str | None:
    """'all 4 offered records dropped' when a document's every offered record was dropped, else None: never
    to be mistaken for a document without KPIs."""
    if records or not dropped:
        return None
    return f"all {offered or dropped} offered records dropped"


def _status(outcome: DocumentOutcome) -> str:
    if outcome.status == "extracted" and not outcome.records:
        # said, not shown as a plain success; and a document whose records were all dropped is not one without
        return all_dropped(outcome.offered, outcome.dropped, outcome.records) or "no records"
    return outcome.status


def run_summary(summary: RunSummary, width: int = 80) -> RenderableType:
    """The end-of-run view in width columns: a row per document (or, for a large batch, a row per
    status), then the totals and one line per failure (the full message is in 'failures')."""
    dropped = summary.model is not None or summary.dropped > 0  # a model's, or records the gate kept out
    names = outcome_names(summary.outcomes, max(NAME_WIDTH, width - 44))
    table = Table(title=f"Run {summary.run_id[:12]} ({summary.backend})", title_justify="left")
    grouped = len(summary.outcomes) > GROUP_ABOVE
    table.add_column("status" if grouped else "document", overflow="fold")
    table.add_column("documents" if grouped else "status")
    table.add_column("records", justify="right")
    if dropped:
        table.add_column("dropped", justify="right")
    if grouped:
        for status in ("extracted", "no records", "all offered records dropped", "skipped", "failed"):
            these = [o for o in summary.outcomes if _status(o) == status
                     or (status.startswith("all") and _status(o).startswith("all"))]
            if these:
                table.add_row(status, str(len(these)), str(sum(o.records for o in these)),
                              *([str(sum(o.dropped for o in these))] if dropped else []))
    else:
        for outcome in sorted(summary.outcomes, key=lambda o: names[id(o)]):
            table.add_row(names[id(outcome)], _status(outcome), str(outcome.records),
                          *([str(outcome.dropped)] if dropped else []))
    if summary.unsupported:
        if grouped:
            table.add_row("not read", str(len(summary.unsupported)), "", *([""] if dropped else []))
        else:
            for path in summary.unsupported:
                table.add_row(shorten(Path(path).name, NAME_WIDTH), "not read (type)", "", *([""] if dropped else []))
    table.add_section()
    table.add_row("total" if grouped else f"{len(summary.outcomes)} documents", str(len(summary.outcomes)) if grouped
                  else "", str(sum(o.records for o in summary.outcomes)), *([str(summary.dropped)] if dropped else []))
    return Group(table, Text(totals_line(summary)), *failure_lines(summary, width))


def totals_line(summary: RunSummary) -> str:
    """One line of counts: the --quiet summary."""
    empty = sum(_status(o) == "no records" for o in summary.outcomes)
    lost = sum(_status(o).startswith("all ") for o in summary.outcomes)
    all_lost = f", {lost} with every offered record dropped" if lost else ""
    not_read = f", {len(summary.unsupported)} file(s) not read (type)" if summary.unsupported else ""
    kept = [o for o in summary.outcomes if o.status == "extracted" and o.kept]
    corrected = (f"; kept {sum(o.kept for o in kept)} corrected records of "
                 f"{kept[0].name if len(kept) == 1 else f'{len(kept)} documents'} (a person's corrections are "
                 "never overwritten)") if kept else ""
    earlier = [o for o in summary.outcomes if o.status == "extracted" and o.superseded]
    if earlier:
        corrected += (f"; {sum(o.superseded for o in earlier)} corrected records of "
                      f"{earlier[0].name if len(earlier) == 1 else f'{len(earlier)} documents'} are no longer in "
                      "the changed text: kept with its earlier version (review them again)")
    return (f"{summary.count('extracted')} extracted ({empty} with no records{all_lost}), {summary.count('skipped')} "
            f"skipped, {summary.failed} failed{not_read}; "
            f"{sum(o.records for o in summary.outcomes if o.status == 'extracted')} records stored{corrected}")


def failure_lines(summary: RunSummary, width: int = 80) -> list[Text]:
    """One line (of width columns) per failed document, its message's first line shortened; more than
    FAILURE_LINES are counted."""
    names = outcome_names(summary.outcomes)
    failed = [o for o in summary.outcomes if o.status == "failed"]
    lines = []
    for outcome in failed[:FAILURE_LINES]:
        name = names[id(outcome)]
        room = max(width - len(name) - 4, 20)
        lines.append(Text.assemble(("\u2717 ", "red"), (name, "bold"), ": ",
                                   shorten(_without_path(_first_line(outcome.error), outcome), room)))
    if len(failed) > FAILURE_LINES:
        lines.append(Text(f"... and {len(failed) - FAILURE_LINES} more"))
    if failed:
        lines.append(Text(f"full messages: kpi-extract failures --run {summary.run_id[:12]}", style="dim"))
    return lines


def _without_path(message: str, outcome: DocumentOutcome) -> str:
    """A failure message without the path it starts with (the line already names the file)."""
    for prefix in (outcome.path, outcome.name):
        if prefix and message.startswith(f"{prefix}: "):
            return message[len(prefix) + 2:]
    return message


def summary_json(summary: RunSummary) -> dict[str, Any]:
    """The run's summary for scripts (--json)."""
    usage = summary.usage
    return {
        "run_id": summary.run_id, "status": summary.status, "backend": summary.backend, "model": summary.model,
        "prompt": summary.prompt, "mode": summary.mode, "documents": summary.documents,
        "extracted": summary.count("extracted"), "skipped": summary.count("skipped"), "failed": summary.failed,
        "not_reached": summary.not_reached, "not_read": summary.unsupported,
        "records": sum(o.records for o in summary.outcomes if o.status == "extracted"),
        "offered": summary.offered, "dropped": summary.dropped,
        "usage": {"calls": len(usage.calls), "cache_hits": usage.cache_hits, "prompt_tokens": usage.prompt_tokens,
                  "completion_tokens": usage.completion_tokens, "retries": usage.retries, "reasks": usage.reasks,
                  "cost": summary.cost},
        "outcomes": [{"name": o.name, "path": o.path, "status": _status(o), "records": o.records,
                      "dropped": o.dropped, "error": o.error} for o in summary.outcomes],
    }


def marked_evidence(evidence: str, value: Any) -> Text:
    """The evidence with the value, as printed, in bold: the first number in it (digits or words,
    read as grounding reads them) that equals the value."""
    text = Text(evidence)
    if value is None:
        return text
    printed = next((token for token in find_numbers(evidence) if same_value(token.value, value)), None)
    if printed is not None:
        text.stylize("bold reverse", printed.start, printed.end)
    return text


def records_table(document: dict[str, Any], records: list[dict[str, Any]], official: Any = None) -> Table:
    """One stored document's records with their evidence, the value marked in it, the canonical
    measure under the council's wording, and (given an official.OfficialLookup with figures loaded)
    the published figures under the evidence, a value that differs from them marked ≠."""
    meta = json.loads(document["meta"] or "{}")
    dropped = dropped_note(document, len(records))
    facts = " \u00b7 ".join([*(str(meta[k]) for k in ("authority", "committee", "meeting_date", "report_period")
                              if meta.get(k)), *_reading_notes(document), *([dropped] if dropped else [])])
    table = Table(title=f"{document['path'] or document['name']}" + (f"\n{facts}" if facts else ""),
                  title_justify="left", show_lines=True, expand=True)
    table.add_column("indicator", overflow="fold", ratio=2)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("unit", no_wrap=True)
    table.add_column("period", no_wrap=True)
    table.add_column("evidence", overflow="fold", ratio=4)
    for record in records:
        value = Text("" if record["value"] is None else str(number(record["value"])))
        evidence = marked_evidence(record["evidence"], record["value"])
        figures = official.figures(record.get("indicator_id"), meta.get("authority"), record["period"]) \
            if official is not None and official.loaded and record.get("indicator_id") else None
        if figures is not None:
            official_lines(evidence, value, figures, official.mismatch(record["value"], figures))
        table.add_row(indicator_cell(record["indicator"], record.get("indicator_id")), value, record["unit"] or "",
                      record["period"] or "", evidence)
    return table


def official_lines(evidence: Text, value: Text, figures: Any, mismatch: str | None) -> None:
    """Add, in place, the published figures under a record's evidence and, when its value differs from
    the published one, ≠ after the value and both figures under the line."""
    from .official import official_line

    evidence.append(f"\n{official_line(figures)}", style="cyan")
    if mismatch:
        value.append(" ≠", style="bold red")
        evidence.append(f"\n≠ official_mismatch: {mismatch}", style="bold red")


def indicator_cell(indicator: str, indicator_id: str | None) -> Text:
    """The council's wording, and under it the canonical measure's name and (dim) id when it maps;
    an unmapped record shows its wording alone."""
    text = Text(indicator)
    if indicator_id:
        known = catalogue().get(indicator_id)
        text.append(f"\n\u2192 {known.name}" if known else "\n\u2192", style="cyan")
        text.append(f"\n{indicator_id}", style="dim")
    return text


def dropped_note(document: dict[str, Any], records: int) -> str | None:
    """What a stored document's dropped records say: every offered record dropped (never to be taken for a
    document without KPIs), or how many were, with the gate's reasons where it kept them."""
    dropped = document.get("dropped") or 0
    if not dropped:
        return None
    reasons = [r["reason"] for r in json.loads(document.get("rejected") or "[]")]
    said = all_dropped(records + dropped, dropped, records) or f"{dropped} offered record(s) dropped"
    return said + (f" ({'; '.join(reasons)})" if reasons else " (invalid or not found in the text)")


def _reading_notes(document: dict[str, Any]) -> list[str]:
    """What was guessed in reading a document: pages read by OCR, glyphs without a Unicode mapping."""
    notes = []
    if document.get("ocr_pages"):
        notes.append("read by OCR: page(s) " + ", ".join(map(str, json.loads(document["ocr_pages"]))))
    if document.get("glyphs"):
        notes.append(f"{document['glyphs']} glyph(s) without a Unicode mapping read as bullets or dropped")
    return notes


def runs_table(runs: list[dict[str, Any]]) -> Table:
    """Past runs, newest first: when, how it ended, what it did and (for a model) what it cost."""
    asked = any(run.get("prompt_tokens") or run.get("cost") for run in runs)
    table = Table(title="Runs (newest first)", title_justify="left")
    table.add_column("run", no_wrap=True)
    table.add_column("started (UTC)", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("backend", overflow="fold")
    table.add_column("docs done", justify="right", no_wrap=True)
    table.add_column("records", justify="right")
    if asked:
        table.add_column("tokens", justify="right")
        table.add_column("cost", justify="right")
    for run in runs:
        tokens = (run.get("prompt_tokens") or 0) + (run.get("completion_tokens") or 0)
        table.add_row(run["id"][:8], (run["started_at"] or "")[:16].replace("T", " "), run.get("status") or "killed",
                      run["backend"] + (f" {run['model']}" if run.get("model") else ""),
                      f"{run['extracted'] or 0}/{run['documents'] or 0}"
                      + (f" \u2717{run['failed']}" if run["failed"] else ""),
                      str(run["records"] or 0) + (f" ({run['all_dropped']} doc(s): all offered records dropped)"
                                                  if run.get("all_dropped") else ""),
                      *([f"{tokens:,}" if tokens else "", f"{run['cost']:.4f}" if run.get("cost") else ""]
                        if asked else []))
    return table


def failures_table(failures: list[dict[str, Any]]) -> Table:
    """Failed documents with the stage they failed at and the reason, in full."""
    table = Table(title="Failures (newest first)", title_justify="left", show_lines=True)
    table.add_column("document", overflow="fold")
    table.add_column("run")
    table.add_column("stage")
    table.add_column("reason", overflow="fold", ratio=3)
    for failure in failures:
        table.add_row(failure["document"], failure["run_id"][:12], failure["stage"], failure["error"])
    return table
