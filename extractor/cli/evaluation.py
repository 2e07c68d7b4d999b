"""Commands that measure: eval (score an extractor against gold), eval-table, eval-history."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..backends import spec
from ..backends.base import Identity
from ..documents import load_document
from ..store import Store
from .app import backend_option, checked_backend, cli, err, make_backend, model_options, ocr_option, out

if TYPE_CHECKING:
    from ..schema import DocumentResult


@cli.command(name="eval")
@click.option("--gold", "gold_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder of gold kpi-records/1 files.")
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder holding the source documents the gold files name (not needed with --gold-from-db).")
@click.option("--gold-from-db", "gold_db", type=click.Path(exists=True, dir_okay=False),
              help="Score against the records a person corrected in this database (kpi-extract corrections apply).")
@click.option("--partial", is_flag=True, help='Also score gold only partly judged ("complete": false).')
@click.option("--pred", "pred_dir", type=click.Path(exists=True, file_okay=False),
              help="Score these existing prediction files instead of extracting.")
@click.option("--split", "split_csv", type=click.Path(exists=True, dir_okay=False),
              help="A CSV with columns 'file' and 'half' (the dev corpus's split.csv); use with --half.")
@click.option("--half", help="Score only the gold files of this half of --split (e.g. tune, check).")
@click.option("--quiet", is_flag=True, help="Print only the headline table, not every miss and extra.")
@click.option("--headline-only", is_flag=True,
              help="For a held-out half: print only the headline table, and write --json without per-document "
              "rows (the mean false records per hard negative is kept as 'false_per_negative').")
@click.option("--check-gold", "check_gold", type=click.Path(exists=True, file_okay=False),
              help="Only check that folder's files against records.md and their documents.")
@backend_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the report (scoring.md keys) here.")
@click.option("--compare", "compare_path", type=click.Path(exists=True, dir_okay=False),
              help="An earlier --json report: print each metric's change.")
@click.option("--db", "db_path", envvar="KPI_DB", default="kpis.db", show_default=True,
              help="Database where the eval run is stored.")
@click.option("--no-store", is_flag=True, help="Do not store this eval run.")
@ocr_option
@model_options
def eval_command(gold_dir: str | None, docs_dir: str | None, gold_db: str | None, partial: bool, pred_dir: str | None,
                 split_csv: str | None,
                 half: str | None, quiet: bool, headline_only: bool, check_gold: str | None,
                 backend: str | None,
                 json_path: str | None, compare_path: str | None, db_path: str, no_store: bool, ocr: str,
                 **options: Any) -> None:
    """Score an extractor (or existing predictions) against gold files.

    \b
    Examples:
      kpi-extract eval --gold eval/gold --docs eval/corpus --json r.json
      kpi-extract eval --gold eval/gold --docs eval/corpus --pred my-tool-output/
      kpi-extract eval --check-gold eval/gold --docs eval/corpus
      OPENAI_API_KEY=... kpi-extract eval --gold eval/gold --docs eval/corpus --model gpt-4o-mini
      kpi-extract eval --gold ../shared/corpus/dev/gold --docs ../shared/corpus/dev/docs \\
          --split ../shared/corpus/dev/split.csv --half tune
      kpi-extract eval --gold ../shared/corpus/dev/gold --docs ../shared/corpus/dev/docs \\
          --split ../shared/corpus/dev/split.csv --half check --headline-only --json check.json
      kpi-extract eval --gold-from-db reviewed.db --backend rules --no-store

    A model backend's answers are cached in --db, so scoring the same prompt
    and model again makes no model calls. Develop against the 'tune' half; run
    'check' only to measure (make eval-dev prints both).
    """
    from ..evaluate import evaluate as score
    from ..evaluate import headline_only as without_documents
    from ..goldcheck import load_result_file
    from ..pipeline import extract_documents
    from ..report import comparison_table, print_eval

    if check_gold:
        if not docs_dir:
            raise click.UsageError("give --docs DIR: the folder holding the documents the gold files name")
        _check_gold(Path(check_gold), Path(docs_dir))
        return
    if gold_db:
        if gold_dir:
            raise click.UsageError("give --gold DIR or --gold-from-db DB, not both")
        from ..gold_apply import gold_from_db

        from_db = gold_from_db(Store(gold_db))
        golds = [gold for gold, _ in from_db]
        loaded = {gold.document: document for gold, document in from_db}
        gold_dir = f"db:{gold_db}"
    else:
        if not docs_dir:
            raise click.UsageError("give --docs DIR: the folder holding the documents the gold files name")
        golds = _gold_files(gold_dir, split_csv, half, partial)
        loaded = {g.document: load_document(Path(docs_dir) / g.document, ocr=ocr) for g in golds}  # OCR is slow
    texts = {name: document.text for name, document in loaded.items()}
    if pred_dir:
        store = None if no_store else Store(db_path)
        preds = [load_result_file(path) for path in sorted(Path(pred_dir).glob("*.json"))]
        identity = Identity(f"files:{pred_dir}")
    else:
        name = checked_backend(backend, options)
        store = None if no_store and not spec(name).uses_store else Store(db_path)
        chosen = make_backend(name, options, store)
        identity = chosen.identity
        documents = [loaded[gold.document] for gold in golds]
        with err.status(f"extracting {len(documents)} documents with {identity.name}..."):
            preds = extract_documents(documents, backend=chosen)
    report, scores = score(golds, preds, texts, partial=partial)
    if headline_only:
        report = without_documents(report)
    print_eval(out, report, scores, details=not (quiet or headline_only))
    if compare_path:
        out.print(comparison_table(json.loads(Path(compare_path).read_text("utf-8")), report))
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(report, indent=2) + "\n", "utf-8")
        err.print(f"wrote {json_path}")
    if not no_store and store is not None:
        eval_id = store.save_eval(report, backend=identity.name, model=identity.model,
                                  prompt_version=identity.prompt, gold=str(gold_dir))
        err.print(f"stored as eval run {eval_id} in {db_path} (list with 'kpi-extract eval-history')")


def _check_gold(gold_dir: Path, docs_dir: Path) -> None:
    """eval --check-gold: every problem of every file, exit 1 if any."""
    from ..goldcheck import check_dir

    problems = check_dir(gold_dir, docs_dir)
    for problem in problems:
        err.print(problem, highlight=False)
    if problems:
        sys.exit(1)
    out.print(f"{gold_dir}: every gold file is valid")


def _gold_files(gold_dir: str | None, split_csv: str | None, half: str | None,
                partial: bool = False) -> list[DocumentResult]:
    """The gold files to score: all in the folder, or one half of a split; a file only partly judged is
    refused, naming it, unless partial."""
    from ..evaluate import refuse_incomplete, split_documents
    from ..goldcheck import load_result_file

    if not gold_dir:
        raise click.UsageError("give --gold DIR (or --check-gold DIR)")
    if (split_csv is None) != (half is None):
        raise click.UsageError("give --split and --half together")
    files = {path: load_result_file(path) for path in sorted(Path(gold_dir).glob("*.json"))}
    golds = list(files.values())
    if half is not None:
        chosen = split_documents(split_csv, half)
        golds = [gold for gold in golds if gold.document in chosen]
    if not partial:
        refuse_incomplete(golds, {gold.document: str(path) for path, gold in files.items()})
    if not golds:
        raise click.UsageError(f"{gold_dir} holds no *.json gold files" + (f" in half {half!r}" if half else ""))
    return golds



@cli.command(name="eval-table")
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def eval_table(reports: tuple[str, ...]) -> None:
    """Print several eval reports (from eval --json) side by side, one column each.

    \b
    Example:
      kpi-extract eval-table eval/reports/*-dev-check.json eval/reports/*-dev-tune.json
    """
    from ..report import side_by_side

    stems = [Path(path).stem for path in reports]
    shared = os.path.commonprefix(stems) if len(stems) > 1 else ""
    shared = shared[: shared.rfind("-") + 1]  # 'rules-dev-check', 'rules-samples': columns 'dev-check', 'samples'
    loaded = {stem[len(shared):]: json.loads(Path(path).read_text("utf-8")) for stem, path in zip(stems, reports,
                                                                                                   strict=True)}
    # One column a report: wider than a terminal's 80 characters when there are many (make eval-dev has 7).
    from rich.console import Console

    Console(file=out.file, width=max(out.width, 24 + 12 * len(loaded))).print(side_by_side(loaded))


@cli.command(name="eval-history")
@click.option("--db", "db_path", envvar="KPI_DB", default="kpis.db", show_default=True)
@click.option("--show", type=int, help="Print one stored report's JSON by id.")
def eval_history(db_path: str, show: int | None) -> None:
    """List past eval runs (or print one report) from the database.

    \b
    Example:
      kpi-extract eval-history --db kpis.db
    """
    store = Store(db_path)
    if show is not None:
        click.echo(json.dumps(store.eval_report(show), indent=2))
        return
    from rich.table import Table

    table = Table(title=f"eval runs in {db_path}")
    for column in ("id", "at", "backend", "model", "prompt", "gold", "docs", "record F1", "strict F1"):
        table.add_column(column)
    for row in store.eval_runs():
        table.add_row(*[("n/a" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v))
                        for v in row.values()])
    out.print(table)

