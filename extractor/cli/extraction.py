"""Commands that extract: run (a batch into the store), extract (one document), backends."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from ..backends import default_backend, names, origin, spec
from ..documents import load_document
from ..errors import ExtractorError
from ..store import Store
from .app import (
    backend_option,
    checked_backend,
    cli,
    db_option,
    err,
    make_backend,
    max_chars_option,
    model_options,
    ocr_option,
    out,
    pack_option,
)

if TYPE_CHECKING:  # the pipeline loads inside the commands that use it
    from ..pipeline import RunSummary


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@db_option
@backend_option
@click.option("--force", is_flag=True, help="Extract again even when the content was already extracted.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False),
              help="CSV with columns path,url,authority,committee,meeting_date (only path required, relative to "
                   "the manifest): its files join the batch, and its values are stored on each document, exported "
                   "with every record and override what the text says.")
@click.option("--authority", help="The council for every document of the batch (short name: 'Rotherham'); a "
                                  "manifest row's value wins.")
@click.option("--committee", help="The committee for every document of the batch; a manifest row's value wins.")
@click.option("--quiet", "-q", is_flag=True, help="Print one line of totals (and the failures), not the table.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as JSON on stdout, for scripts.")
@max_chars_option
@ocr_option
@pack_option
@model_options
def run(paths: tuple[str, ...], db_path: str, backend: str | None, force: bool, manifest: str | None,
        authority: str | None, committee: str | None, quiet: bool, as_json: bool, max_chars: int, ocr: str,
        **options: Any) -> None:
    """Extract every document in PATHS (files or folders) and in --manifest into the database.

    A file's content decides how it is read (PDF, Word .docx, HTML or text, whatever
    its extension); a folder's files of other types are listed as not read, hidden
    files ignored. Meta (authority, committee, meeting date, report period) comes
    from the text unless --manifest, --authority or --committee give it; a PDF's
    records carry their page.

    Unchanged documents are skipped unless --force; a changed document replaces
    its old records. Each document is stored in one transaction, so a run that is
    killed or interrupted (Ctrl-C) keeps what it stored: run it again to go on.
    Exit 0 when all succeeded, 1 when any failed (the rest are still stored, the
    failures are in the 'failures' table) or the endpoint cannot work, 130 when
    interrupted.

    A backend that asks a model sends passages holding numbers or status words in
    chunks; records whose evidence is not in the document are re-asked, then
    dropped (counted, never stored). Answers are cached in the database, so an
    identical second run makes no model calls.

    \b
    Examples:
      kpi-extract run eval/corpus --db kpis.db
      kpi-extract run --manifest downloads/manifest.csv --authority Rotherham
      OPENAI_API_KEY=... kpi-extract run minutes/ --model gpt-4o-mini
      kpi-extract run minutes/ --base-url http://127.0.0.1:11434/v1 --model llama3.1 --concurrency 1
      kpi-extract backends     # which --backend names are installed
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..manifest import read_manifest
    from ..pipeline import BatchInterrupted, DocumentOutcome, run_batch
    from ..report import usage_line
    from ..views import failure_lines, run_summary, summary_json, totals_line

    if not paths and not manifest:
        raise click.UsageError("give PATHS (files or folders) or --manifest FILE.csv")
    name = checked_backend(backend, options)
    sources = read_manifest(manifest, search=paths, on_note=lambda note: err.print(note, highlight=False)) \
        if manifest else {}
    given = {key: value for key, value in (("authority", authority), ("committee", committee)) if value}
    store = Store(db_path)
    chosen = make_backend(name, options, store)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=quiet or as_json) as progress:
        task = progress.add_task("extracting", total=None)

        def found(total: int) -> None:
            progress.update(task, total=total)

        def advance(outcome: DocumentOutcome) -> None:
            progress.update(task, advance=1, description=f"{outcome.name[:40]}: {outcome.status}")

        try:
            summary = run_batch(paths, store=store, backend=chosen, force=force, on_progress=advance,
                                on_start=found, max_chars=max_chars, sources=sources, given=given, ocr=ocr)
        except BatchInterrupted as stop:
            summary = stop.summary
        except ExtractorError as exc:  # a wrong endpoint stops the batch: say what was kept
            done, total = progress.tasks[0].completed, progress.tasks[0].total
            exc.add_note(f"(the batch stopped: {done:.0f} of {total or 0:.0f} documents done "
                         f"and kept; the run is marked 'aborted'; once fixed, run again: stored documents are skipped)")
            raise
    if as_json:
        click.echo(json.dumps(summary_json(summary), indent=2, ensure_ascii=False))
    elif quiet:
        err.print(totals_line(summary), *failure_lines(summary, err.width), sep="\n", highlight=False)
    else:
        out.print(run_summary(summary, out.width))
    if summary.model is not None and not as_json:
        err.print(usage_line(summary), highlight=False)
    if summary.status == "interrupted":
        err.print(_stopped_line(summary, db_path), highlight=False)
        sys.exit(130)
    if summary.failed:
        err.print(f"{summary.failed} document(s) failed; see the 'failures' table in {db_path}")
        sys.exit(1)


def _stopped_line(summary: RunSummary, db_path: str) -> str:
    return (f"Interrupted: {summary.count('extracted')} document(s) stored, {summary.count('skipped')} already "
            f"current, {summary.failed} failed, {summary.not_reached} not stored (not reached or cut off). "
            f"Run {summary.run_id[:12]} is closed as 'interrupted' in {db_path}; run the same command again to "
            "go on: stored documents are skipped and cached model answers are reused.")


@cli.command(name="extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@backend_option
@click.option("--db", "db_path", envvar="KPI_DB", type=click.Path(dir_okay=False),
              help="A database whose model response cache to use and fill (env KPI_DB); nothing else is stored.")
@max_chars_option
@ocr_option
@model_options
def extract_command(file: str, backend: str | None, db_path: str | None, max_chars: int, ocr: str,
                    **options: Any) -> None:
    """Print one document's records as kpi-records/1 JSON.

    \b
    Examples:
      kpi-extract extract eval/corpus/002_db4118e4560db15c.txt > 002.json
      OPENAI_BASE_URL=http://127.0.0.1:8000/v1 kpi-extract extract minutes.pdf --db kpis.db
    """
    from ..pipeline import extract_documents

    name = checked_backend(backend, options)
    chosen = make_backend(name, options, Store(db_path) if db_path else None)
    result = extract_documents([load_document(file, max_chars=max_chars, ocr=ocr)], backend=chosen)[0]
    click.echo(json.dumps(result.to_kpi_json(), indent=2, ensure_ascii=False))



@cli.command()
def backends() -> None:
    """List the installed backends: the names --backend takes, what each does, where it comes from.

    A package adds one through the entry-point group 'kpi_extract.backends'
    (see ARCHITECTURE.md).

    \b
    Example:
      kpi-extract backends
    """
    from rich.table import Table

    default = default_backend()
    table = Table(title="installed backends")
    for column in ("name", "what it does", "from"):
        table.add_column(column, overflow="fold")
    for name in names():
        label = f"{name} (default here)" if name == default else name
        table.add_row(label, spec(name).summary, origin(name))
    out.print(table)

