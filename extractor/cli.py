"""The kpi-extract command line: a thin layer over the library."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.markup import escape

from . import __version__
from .backends import default_backend, names, origin, spec
from .backends.base import Backend, Identity
from .documents import MAX_CHARS, load_document
from .errors import ExtractorError
from .exports import FORMATS, rows_for_export, write_kpi_records, write_rows, write_xlsx
from .store import Store

# The pipeline, scoring, review and views load inside the commands that use them: 'export', 'show'
# or 'runs' start in about half the time without them (pydantic models, the pipeline, rapidfuzz).
if TYPE_CHECKING:
    from .pipeline import RunSummary
    from .schema import DocumentResult

out = Console(soft_wrap=True)
err = Console(stderr=True)


def _backend_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--backend", type=click.Choice(names()), envvar="KPI_BACKEND", default=None,
        help="Extractor to use (`kpi-extract backends` lists them, env KPI_BACKEND). Default: the first "
        "installed backend the options or environment configure (a model endpoint given by --base-url, "
        "OPENAI_BASE_URL or OPENAI_API_KEY), else the offline one.",
    )(function)


def _max_chars_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--max-chars", type=click.IntRange(1), default=MAX_CHARS, show_default=True,
        help="Refuse a document with more characters of text than this (about 1,500 pages by default); "
        "it fails at once, naming the file, instead of holding the batch. Time grows in step with length.",
    )(function)


def _db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db_path", envvar="KPI_DB", default="kpis.db", show_default=True,
                        type=click.Path(dir_okay=False), help="SQLite database file (env KPI_DB).")(function)


# Options for backends that ask a model; every backend receives them all and takes what it needs
# (the environment's OPENAI_* and KPI_* variables fill what is not given).
_MODEL_OPTIONS = [
    click.option("--model", help="Model name (env KPI_MODEL or OPENAI_MODEL). Default gpt-4o-mini."),
    click.option("--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 "
                 "(env OPENAI_BASE_URL)."),
    click.option("--mode", help="How the answer is structured: tools (tool calls), json_schema, json (the "
                 "schema in the prompt), or auto (the default: asks the server once and takes the first of "
                 "tools, json_schema, json it accepts)."),
    click.option("--prompt", help="Prompt name in prompts/ (newest version) or a path to a prompt .toml."),
    click.option("--max-reasks", type=click.IntRange(0), default=2, show_default=True,
                 help="Times a record failing validation is sent back with the error."),
    click.option("--retries", type=click.IntRange(0), default=5, show_default=True,
                 help="Retries of a request after 429, 5xx, timeouts or dropped connections."),
    click.option("--timeout", type=click.FloatRange(1), default=120.0, show_default=True,
                 help="Seconds before one request times out."),
    click.option("--concurrency", type=click.IntRange(1), default=8, show_default=True,
                 help="Model requests in flight at once (1 for a local server that answers one at a time)."),
    click.option("--rpm", type=click.IntRange(1), help="Most requests per minute."),
    click.option("--tpm", type=click.IntRange(1), help="Most (estimated) tokens per minute."),
    click.option("--chunk-tokens", type=click.IntRange(100), default=3000, show_default=True,
                 help="Most estimated tokens of passages per request (4 characters a token)."),
    click.option("--max-tokens", type=click.IntRange(1), default=2048, show_default=True,
                 help="Most completion tokens per request; an answer cut off here is asked again in halves, "
                 "at most twice."),
    click.option("--context-tokens", type=click.IntRange(256), default=8192, show_default=True,
                 help="The model's context length: prompt, schema, passages, a re-ask and the answer always fit."),
    click.option("--max-calls-per-document", type=click.IntRange(1), default=40, show_default=True,
                 help="Model calls one document may make before it fails (a model that never stops)."),
    click.option("--no-cache", is_flag=True, help="Ask the model even when an identical request is cached."),
    click.option("--price-in", type=float, help="Price per million prompt tokens, for a cost estimate "
                 "(env KPI_PRICE_IN)."),
    click.option("--price-out", type=float, help="Price per million completion tokens (env KPI_PRICE_OUT)."),
]


def _model_options(function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_MODEL_OPTIONS):
        function = option(function)
    return function


def _checked(name: str | None, options: dict[str, Any]) -> str:
    """The chosen (or default) backend's name, its options checked before any file or database is touched."""
    name = name or default_backend(options)
    spec(name).check(options)
    return name


def _backend(name: str, options: dict[str, Any], store: Store | None) -> Backend:
    from .pipeline import open_backend

    return open_backend(name, options, store=store)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExtractorError as exc:
            message = "\n".join([str(exc), *getattr(exc, "__notes__", ())])
            err.print(f"[red]Error:[/red] {escape(message)}", highlight=False)
            ctx.exit(1)
        except KeyboardInterrupt:  # outside a batch (a batch says what it stored): nothing half-written
            err.print("Interrupted.")
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kpi-extract")
def cli() -> None:
    """Turn council committee minutes into evidence-grounded KPI records.

    \b
    Example:
      kpi-extract run eval/corpus --db kpis.db
      kpi-extract export --db kpis.db --format csv --output kpis.csv
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@_db_option
@_backend_option
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
@_max_chars_option
@_model_options
def run(paths: tuple[str, ...], db_path: str, backend: str | None, force: bool, manifest: str | None,
        authority: str | None, committee: str | None, quiet: bool, as_json: bool, max_chars: int,
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

    from .manifest import read_manifest
    from .pipeline import BatchInterrupted, DocumentOutcome, run_batch
    from .report import usage_line
    from .views import failure_lines, run_summary, summary_json, totals_line

    if not paths and not manifest:
        raise click.UsageError("give PATHS (files or folders) or --manifest FILE.csv")
    name = _checked(backend, options)
    sources = read_manifest(manifest) if manifest else {}
    given = {key: value for key, value in (("authority", authority), ("committee", committee)) if value}
    store = Store(db_path)
    chosen = _backend(name, options, store)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=quiet or as_json) as progress:
        task = progress.add_task("extracting", total=None)

        def found(total: int) -> None:
            progress.update(task, total=total)

        def advance(outcome: DocumentOutcome) -> None:
            progress.update(task, advance=1, description=f"{outcome.name[:40]}: {outcome.status}")

        try:
            summary = run_batch(paths, store=store, backend=chosen, force=force, on_progress=advance,
                                on_start=found, max_chars=max_chars, sources=sources, given=given)
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
@_backend_option
@click.option("--db", "db_path", envvar="KPI_DB", type=click.Path(dir_okay=False),
              help="A database whose model response cache to use and fill (env KPI_DB); nothing else is stored.")
@_max_chars_option
@_model_options
def extract_command(file: str, backend: str | None, db_path: str | None, max_chars: int, **options: Any) -> None:
    """Print one document's records as kpi-records/1 JSON.

    \b
    Examples:
      kpi-extract extract eval/corpus/002_db4118e4560db15c.txt > 002.json
      OPENAI_BASE_URL=http://127.0.0.1:8000/v1 kpi-extract extract minutes.pdf --db kpis.db
    """
    from .pipeline import extract_documents

    name = _checked(backend, options)
    chosen = _backend(name, options, Store(db_path) if db_path else None)
    result = extract_documents([load_document(file, max_chars=max_chars)], backend=chosen)[0]
    click.echo(json.dumps(result.to_kpi_json(), indent=2, ensure_ascii=False))


def _existing_store(db_path: str) -> Store:
    if not Path(db_path).exists():
        raise click.UsageError(f"{db_path} does not exist; create it with 'kpi-extract run PATH --db {db_path}'")
    return Store(db_path)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


@cli.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="csv, json (one array), jsonl (a record a line), xlsx (Excel), or kpi-records (a folder of "
                   "kpi-records/1 files, one per document, that 'kpi-extract eval --pred' scores).")
@click.option("--output", type=click.Path(), help="Write here instead of stdout (a folder for kpi-records; "
                                                  "needed for xlsx and kpi-records).")
@click.option("--authority", help="Only this council's records (any case).")
@click.option("--indicator", help="Only records whose indicator contains this text.")
@click.option("--since", callback=_iso_date, metavar="YYYY-MM-DD", help="Only meetings on or after this date.")
@click.option("--document", help="Only this document (its name or path).")
def export(db_path: str, fmt: str, output: str | None, authority: str | None, indicator: str | None,
           since: str | None, document: str | None) -> None:
    """Export stored records, one row per KPI, with where each comes from.

    Every row carries its document's name, path, authority, committee, meeting
    date, report period, URL and PDF page; comparisons are kept whole and the
    common ones flattened into columns (previous_year_value, target_value,
    national_value, ...). Rows are written as they are read, so memory stays flat.

    \b
    Examples:
      kpi-extract export --db kpis.db --format csv --output kpis.csv
      kpi-extract export --format xlsx --output kpis.xlsx --authority Rotherham --since 2024-01-01
      kpi-extract export --format jsonl --indicator "in care" | jq .value
      kpi-extract export --format kpi-records --output predictions/ && kpi-extract eval --pred predictions/ ...
    """
    store = _existing_store(db_path)
    if fmt in ("xlsx", "kpi-records") and not output:
        raise click.UsageError(f"--format {fmt} needs --output ({'a folder' if fmt == 'kpi-records' else 'a file'})")
    if fmt == "kpi-records":
        written = write_kpi_records(store, Path(output), document=document)
        err.print(f"wrote {written} kpi-records/1 file(s) to {output}")
        return
    rows = rows_for_export(store, authority=authority, indicator=indicator, since=since, document=document)
    if not output:
        write_rows(rows, fmt, sys.stdout)
        return
    part = Path(f"{output}.part")  # a failed export leaves no half-written file under the real name
    if fmt == "xlsx":
        count = write_xlsx(rows, part)
    else:
        with part.open("w", encoding="utf-8", newline="") as stream:
            count = write_rows(rows, fmt, stream)
    part.replace(output)
    err.print(f"wrote {count} records to {output}")


@cli.command()
@_db_option
@click.option("--document", help="Only this document (its name or path).")
@click.option("--output", type=click.Path(dir_okay=False), default="review.html", show_default=True,
              help="The HTML file to write.")
def review(db_path: str, document: str | None, output: str) -> None:
    """Write a review page: each document's text with every record's evidence highlighted.

    One self-contained HTML file (no network; open it from disk or mail it). Beside
    each text, a table of its records: click a record to scroll to its highlight,
    click a highlight to select its record, type in the filter box to narrow the
    records, press j / k to step through them. Suspect records, records a model
    offered that validation dropped, and documents that failed are marked.

    \b
    Example:
      kpi-extract review --db kpis.db --output review.html && xdg-open review.html
    """
    from .review import render_review

    store = _existing_store(db_path)
    if document and not store.stored_documents(document):
        raise click.UsageError(f"no stored document is named {document!r} in {db_path}; "
                               f"'kpi-extract export --format jsonl' lists them")
    Path(output).write_text(render_review(store, document=document), "utf-8")
    err.print(f"wrote {output}")


@cli.command()
@click.argument("name")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON lines (export's columns).")
def show(name: str, db_path: str, as_json: bool) -> None:
    """Print one stored document's records, each with its evidence and the value marked in it.

    NAME is the document's file name, or its path where two stored documents share a name.

    \b
    Examples:
      kpi-extract show 002_db4118e4560db15c.txt --db kpis.db
      kpi-extract show minutes/2024/cpp.pdf --json | jq .value
    """
    from .views import records_table

    store = _existing_store(db_path)
    found = store.stored_documents(name)
    if not found:
        raise click.UsageError(f"no stored document is named {name!r} in {db_path}; "
                               f"'kpi-extract runs' and 'kpi-extract export' show what is stored")
    if len(found) > 1:
        paths = "\n  ".join(d["path"] or d["name"] for d in found)
        raise click.UsageError(f"{len(found)} stored documents are named {name!r}; give the path of one:\n  {paths}")
    document = found[0]
    if as_json:
        write_rows(rows_for_export(store, document=document["path"] or document["name"]), "jsonl", sys.stdout)
        return
    out.print(records_table(document, store.records_of(document["id"])))


@cli.command()
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON, for scripts.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many, newest first.")
def runs(db_path: str, as_json: bool, limit: int) -> None:
    """List past runs with their status, counts, tokens and cost.

    A run with no status was killed outright (its stored documents are kept).

    \b
    Example:
      kpi-extract runs --db kpis.db
    """
    from .views import runs_table

    found = _existing_store(db_path).runs()[:limit]
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        out.print(runs_table(found))


@cli.command()
@_db_option
@click.option("--run", "run_id", help="Only this run's failures (its id, or the first characters of it).")
@click.option("--json", "as_json", is_flag=True, help="Print the failures as JSON, for scripts.")
def failures(db_path: str, run_id: str | None, as_json: bool) -> None:
    """List failed documents with the stage they failed at and the full reason.

    \b
    Examples:
      kpi-extract failures --db kpis.db
      kpi-extract failures --run 3f2a9c1d --json
    """
    from .views import failures_table

    found = _existing_store(db_path).failures(run_id)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    elif found:
        out.print(failures_table(found))
    else:
        err.print("no failures" + (f" in run {run_id}" if run_id else ""))


@cli.command(name="datasette-metadata")
@_db_option
@click.option("--output", type=click.Path(dir_okay=False), default="metadata.json", show_default=True)
def datasette_metadata_command(db_path: str, output: str) -> None:
    """Write Datasette metadata for the database: descriptions, facets, a query.

    Tables and columns described; facets on authority, unit, period and indicator;
    a canned query of one indicator across documents. Datasette is an optional
    extra: pip install 'kpi-extract[datasette]'.

    \b
    Example:
      kpi-extract datasette-metadata --db kpis.db && datasette kpis.db -m metadata.json
    """
    from .datasette_metadata import datasette_metadata

    _existing_store(db_path)  # migrated, so the kpis view exists
    Path(output).write_text(json.dumps(datasette_metadata(db_path), indent=2) + "\n", "utf-8")
    err.print(f"wrote {output}; now: datasette {db_path} -m {output}")


@cli.command(name="eval")
@click.option("--gold", "gold_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder of gold kpi-records/1 files.")
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False), required=True,
              help="Folder holding the source documents the gold files name.")
@click.option("--pred", "pred_dir", type=click.Path(exists=True, file_okay=False),
              help="Score these existing prediction files instead of extracting.")
@click.option("--split", "split_csv", type=click.Path(exists=True, dir_okay=False),
              help="A CSV with columns 'file' and 'half' (the dev corpus's split.csv); use with --half.")
@click.option("--half", help="Score only the gold files of this half of --split (e.g. tune, check).")
@click.option("--quiet", is_flag=True, help="Print only the headline table, not every miss and extra.")
@click.option("--check-gold", "check_gold", type=click.Path(exists=True, file_okay=False),
              help="Only check that folder's files against records.md and their documents.")
@_backend_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Write the report (scoring.md keys) here.")
@click.option("--compare", "compare_path", type=click.Path(exists=True, dir_okay=False),
              help="An earlier --json report: print each metric's change.")
@click.option("--db", "db_path", envvar="KPI_DB", default="kpis.db", show_default=True,
              help="Database where the eval run is stored.")
@click.option("--no-store", is_flag=True, help="Do not store this eval run.")
@_model_options
def eval_command(gold_dir: str | None, docs_dir: str, pred_dir: str | None, split_csv: str | None,
                 half: str | None, quiet: bool, check_gold: str | None, backend: str | None,
                 json_path: str | None, compare_path: str | None, db_path: str, no_store: bool,
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

    A model backend's answers are cached in --db, so scoring the same prompt
    and model again makes no model calls. Develop against the 'tune' half; run
    'check' only to measure (make eval-dev prints both).
    """
    from .evaluate import evaluate as score
    from .goldcheck import load_result_file
    from .pipeline import extract_documents
    from .report import comparison_table, print_eval

    if check_gold:
        _check_gold(Path(check_gold), Path(docs_dir))
        return
    golds = _gold_files(gold_dir, split_csv, half)
    texts = {g.document: load_document(Path(docs_dir) / g.document).text for g in golds}
    if pred_dir:
        store = None if no_store else Store(db_path)
        preds = [load_result_file(path) for path in sorted(Path(pred_dir).glob("*.json"))]
        identity = Identity(f"files:{pred_dir}")
    else:
        name = _checked(backend, options)
        store = None if no_store and not spec(name).uses_store else Store(db_path)
        chosen = _backend(name, options, store)
        identity = chosen.identity
        documents = [load_document(Path(docs_dir) / gold.document) for gold in golds]
        with err.status(f"extracting {len(documents)} documents with {identity.name}..."):
            preds = extract_documents(documents, backend=chosen)
    report, scores = score(golds, preds, texts)
    print_eval(out, report, scores, details=not quiet)
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
    from .goldcheck import check_dir

    problems = check_dir(gold_dir, docs_dir)
    for problem in problems:
        err.print(problem, highlight=False)
    if problems:
        sys.exit(1)
    out.print(f"{gold_dir}: every gold file is valid")


def _gold_files(gold_dir: str | None, split_csv: str | None, half: str | None) -> list[DocumentResult]:
    """The gold files to score: all in the folder, or one half of a split."""
    from .evaluate import split_documents
    from .goldcheck import load_result_file

    if not gold_dir:
        raise click.UsageError("give --gold DIR (or --check-gold DIR)")
    if (split_csv is None) != (half is None):
        raise click.UsageError("give --split and --half together")
    golds = [load_result_file(path) for path in sorted(Path(gold_dir).glob("*.json"))]
    if half is not None:
        chosen = split_documents(split_csv, half)
        golds = [gold for gold in golds if gold.document in chosen]
    if not golds:
        raise click.UsageError(f"{gold_dir} holds no *.json gold files" + (f" in half {half!r}" if half else ""))
    return golds


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


@cli.command(name="eval-table")
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def eval_table(reports: tuple[str, ...]) -> None:
    """Print several eval reports (from eval --json) side by side, one column each.

    \b
    Example:
      kpi-extract eval-table eval/reports/*-dev-check.json eval/reports/*-dev-tune.json
    """
    from .report import side_by_side

    stems = [Path(path).stem for path in reports]
    shared = os.path.commonprefix(stems) if len(stems) > 1 else ""
    shared = shared[: shared.rfind("-") + 1]  # 'rules-dev-check', 'rules-samples': columns 'dev-check', 'samples'
    loaded = {stem[len(shared):]: json.loads(Path(path).read_text("utf-8")) for stem, path in zip(stems, reports,
                                                                                                   strict=True)}
    out.print(side_by_side(loaded))


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


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="kpi-extract", auto_envvar_prefix=None)


if __name__ == "__main__":  # pragma: no cover
    main()
