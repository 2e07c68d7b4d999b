"""Render eval reports and run summaries for people (rich tables), and compare two reports."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from .evaluate import DocumentScore, false_per_negative
from .pipeline import RunSummary

HEADLINE = ("records", "strict", "numeric", "status_only", "comparisons")


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def usage_line(summary: RunSummary) -> str:
    """What a model run did and cost: mode, calls (refused ones too), cache hits, tokens, records offered,
    kept and dropped, estimated cost."""
    usage = summary.usage
    refused = sum(1 for c in usage.calls if (c.finish_reason or "").startswith("http "))  # lost ones are retries
    stored = sum(o.records for o in summary.outcomes if o.status == "extracted")
    line = (f"model {summary.model}, prompt {summary.prompt}, mode {summary.mode or 'not decided'}: "
            f"{len(usage.calls)} model calls ({refused} refused by the server, {usage.retries} retries, "
            f"{usage.reasks} re-asks), "
            f"{usage.cache_hits} cached answers, {usage.prompt_tokens:,} prompt + "
            f"{usage.completion_tokens:,} completion tokens; records offered {summary.offered}, "
            f"kept {summary.offered - summary.dropped}, dropped {summary.dropped} (invalid, ungrounded or "
            f"abandoned); stored {stored} once repeats were merged")
    if summary.cost is not None:
        line += f", estimated cost {summary.cost:.4f}"
    return line


def print_eval(console: Console, report: dict[str, Any], scores: list[DocumentScore], *, details: bool = True) -> None:
    """The human eval report: headline table and, with details, F1 per document and every miss and extra."""
    head = Table(title=(
        f"{report['documents']} documents, {report['gold_records']} gold records, "
        f"{report['predicted_records']} predicted, {report['pairs']} paired"
    ))
    for column in ("metric", "precision", "recall", "f1"):
        head.add_column(column, justify="right" if column != "metric" else "left")
    for name in (*HEADLINE, "canonical"):
        if name in report:  # canonical: only where the gold carries indicator ids
            row = report[name]
            head.add_row(name, _fmt(row["precision"]), _fmt(row["recall"]), _fmt(row["f1"]))
    console.print(head)
    if not details:
        return
    fields = Table(title="fields (share of pairs), grounding, suspect, meta")
    fields.add_column("figure")
    fields.add_column("value", justify="right")
    for name, value in report["fields"].items():
        fields.add_row(f"fields.{name}", _fmt(value))
    fields.add_row("grounding_rate", _fmt(report["grounding_rate"]))
    fields.add_row("suspect.recall", _fmt(report["suspect"]["recall"]))
    fields.add_row("suspect.false_flags", _fmt(report["suspect"]["false_flags"]))
    for name, value in report["meta"].items():
        fields.add_row(f"meta.{name}", _fmt(value))
    console.print(fields)
    docs = Table(title="per document")
    for column in ("document", "gold", "predicted", "record F1", "strict F1"):
        docs.add_column(column)
    for row in report["per_document"]:
        docs.add_row(row["document"], str(row["gold_records"]), str(row["predicted_records"]),
                     _fmt(row["records"]["f1"]), _fmt(row["strict"]["f1"]))
    console.print(docs)
    for score in scores:
        if not score.missed and not score.unpaired:
            continue
        console.print(f"[bold]{score.document}[/bold]" + ("" if score.predicted_file else " (no prediction file)"))
        for record in score.missed:
            console.print(f"  [red]missed[/red]  {record.value} {record.unit or ''} {record.indicator!r}\n"
                          f"          evidence: {record.evidence!r}", highlight=False)
        for record in score.unpaired:
            console.print(f"  [yellow]extra[/yellow]   {record.value} {record.unit or ''} {record.indicator!r}\n"
                          f"          evidence: {record.evidence!r}", highlight=False)


def _flatten(report: dict[str, Any], prefix: str = "") -> dict[str, float]:
    flat: dict[str, float] = {}
    for key, value in report.items():
        if key == "per_document":
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            flat[name] = value
    return flat


def side_by_side(reports: dict[str, dict[str, Any]]) -> Table:
    """Headline F1s, canonical ids, the fields most read, grounding, record counts and the mean false
    records per hard negative ('false/negative'), a column per named report (n/a where a report lacks
    a figure); eighteen lines, to fit a terminal's tail."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)  # five reports fit 80 columns; eval-table widens for more
    table.add_column("metric", no_wrap=True)
    for name, report in reports.items():
        table.add_column(f"{name}\n({report['documents']} docs)", justify="right")
    rows = [(f"{name} F1", [r[name]["f1"] for r in reports.values()]) for name in HEADLINE]
    rows.append(("canonical P", [r.get("canonical", {}).get("precision") for r in reports.values()]))
    rows.append(("canonical F1", [r.get("canonical", {}).get("f1") for r in reports.values()]))
    for name in ("indicator_id", "indicator", "period"):
        rows.append((f"field {name}", [r.get("fields", {}).get(name) for r in reports.values()]))
    rows.append(("grounded", [r["grounding_rate"] for r in reports.values()]))
    rows.append(("gold/predicted", [f"{r['gold_records']}/{r['predicted_records']}" for r in reports.values()]))
    rows.append(("false/negative", [_negative_noise(r) for r in reports.values()]))
    for label, values in rows:
        table.add_row(label, *[_fmt(v) for v in values])
    return table


def _negative_noise(report: dict[str, Any]) -> float | None:
    """Mean unpaired predictions on the hard negatives (documents named '*_negative.*'); a headline-only
    report carries it as 'false_per_negative', computed before its per-document rows were dropped."""
    if "per_document" not in report:
        return report.get("false_per_negative")
    return false_per_negative(report["per_document"])


def comparison_table(old: dict[str, Any], new: dict[str, Any]) -> Table:
    """Each metric now, before, and the change, for --compare."""
    before, after = _flatten(old), _flatten(new)
    table = Table(title="change against the earlier report")
    for column in ("metric", "before", "now", "change"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for name in after:
        a, b = before.get(name), after[name]
        delta = "" if a is None else f"{b - a:+.3f}"
        table.add_row(name, _fmt(a), _fmt(b), delta)
    return table
