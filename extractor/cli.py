"""The kpi-extract command line: a thin layer over the library."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .backends import NAMES, default_backend
from .backends.llm import BACKEND as LLM
from .backends.llm import MODE_CHOICES, LLMSettings
from .documents import discover, load_document
from .errors import ExtractorError
from .evaluate import evaluate as score
from .evaluate import split_documents
from .goldcheck import check_dir, load_result_file
from .pipeline import DocumentOutcome, extract_documents, run_batch
from .report import comparison_table, print_eval, run_table, side_by_side, usage_line
from .store import Store

out = Console(soft_wrap=True)
err = Console(stderr=True)


def _backend_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--backend", type=click.Choice(NAMES), envvar="KPI_BACKEND", default=None,
        help="Extractor to use. Default: 'openai' when OPENAI_BASE_URL or OPENAI_API_KEY is set, "
        "else 'rules' (offline).",
    )(function)


def _db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db_path", envvar="KPI_DB", default="kpis.db", show_default=True,
                        type=click.Path(dir_okay=False), help="SQLite database file (env KPI_DB).")(function)


_LLM_OPTIONS = [
    click.option("--model", envvar="KPI_MODEL",
                 help="Model name (env KPI_MODEL or OPENAI_MODEL). Default gpt-4o-mini."),
    click.option("--base-url", envvar="OPENAI_BASE_URL",
                 help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (env OPENAI_BASE_URL)."),
    click.option("--mode", type=click.Choice(list(MODE_CHOICES)), default="auto", show_default=True,
                 help="How the answer is structured: tool calls, a JSON schema, or JSON in the prompt; 'auto' "
                 "asks the server once per run and takes the first of tools, json_schema, json it accepts."),
    click.option("--prompt", help="Prompt name in prompts/ (newest version) or a path to a prompt .toml."),
    click.option("--max-reasks", type=click.IntRange(0), default=2, show_default=True,
                 help="Times a record failing validation is sent back with the error."),
    click.option("--retries", type=click.IntRange(0), default=5, show_default=True,
                 help="Retries of a request after 429, 5xx, timeouts or dropped connections."),
    click.option("--timeout", type=click.FloatRange(1), default=120.0, show_default=True,
                 help="Seconds before one request times out."),
    click.option("--concurrency", type=click.IntRange(1), default=8, show_default=True,
                 help="Model requests in flight at once."),
    click.option("--rpm", type=click.IntRange(1), help="Most requests per minute."),
    click.option("--tpm", type=click.IntRange(1), help="Most (estimated) tokens per minute."),
    click.option("--chunk-tokens", type=click.IntRange(100), default=3000, show_default=True,
                 help="Estimated prompt tokens of passages per request (4 characters a token)."),
    click.option("--max-tokens", type=click.IntRange(1), default=2048, show_default=True,
                 help="Most completion tokens per request; an answer cut off here is asked again in halves, "
                 "at most twice."),
    click.option("--context-tokens", type=click.IntRange(256), default=8192, show_default=True,
                 help="The model's context length: prompt, schema, passages, a re-ask and the answer always fit."),
    click.option("--max-calls-per-document", type=click.IntRange(1), default=40, show_default=True,
                 help="Model calls one document may make before it fails (a model that never stops)."),
    click.option("--no-cache", is_flag=True, help="Ask the model even when an identical request is cached."),
    click.option("--price-in", type=float, envvar="KPI_PRICE_IN",
                 help="Price per million prompt tokens, for a cost estimate (env KPI_PRICE_IN)."),
    click.option("--price-out", type=float, envvar="KPI_PRICE_OUT",
                 help="Price per million completion tokens (env KPI_PRICE_OUT)."),
]
_LLM_NAMES = ("model", "base_url", "mode", "prompt", "max_reasks", "retries", "timeout", "concurrency", "rpm",
              "tpm", "chunk_tokens", "max_tokens", "context_tokens", "max_calls_per_document", "no_cache", "price_in",
              "price_out")


def _llm_options(function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_LLM_OPTIONS):
        function = option(function)
    return function


def _llm_settings(backend: str, options: dict[str, Any]) -> LLMSettings | None:
    """Settings for the openai backend from the command's options; None for other backends."""
    values = {name: options.pop(name) for name in _LLM_NAMES}
    if backend != LLM:
        return None
    values["cache"] = not values.pop("no_cache")
    settings = LLMSettings.from_env(**values)
    settings.check()  # before a database is opened or a document read
    return settings


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExtractorError as exc:
            err.print(f"[red]Error:[/red] {exc}", highlight=False)
            ctx.exit(1)


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
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@_db_option
@_backend_option
@click.option("--force", is_flag=True, help="Extract again even when the content was already extracted.")
@_llm_options
def run(paths: tuple[str, ...], db_path: str, backend: str | None, force: bool, **options: Any) -> None:
    """Extract every document in PATHS (files or folders) into the database.

    Unchanged documents are skipped unless --force; a changed document replaces
    its old records. Exit 0 when all succeeded, 1 when any failed (the rest are
    still stored, the failures are in the 'failures' table).

    With --backend openai, passages holding numbers or status words are sent to
    the model in chunks; records whose evidence is not in the document are
    re-asked, then dropped (counted, never stored). Answers are cached in the
    database, so an identical second run makes no model calls.

    \b
    Examples:
      kpi-extract run eval/corpus --db kpis.db
      OPENAI_API_KEY=... kpi-extract run minutes/ --backend openai --model gpt-4o-mini
      kpi-extract run minutes/ --backend openai --base-url http://127.0.0.1:11434/v1 --model llama3.1
    """
    backend = backend or default_backend()
    settings = _llm_settings(backend, options)
    store = Store(db_path)
    files = discover(paths)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("extracting", total=len(files))

        def advance(outcome: DocumentOutcome) -> None:
            progress.update(task, advance=1, description=f"{outcome.name[:40]}: {outcome.status}")

        summary = run_batch(files, store=store, backend=backend, force=force, on_progress=advance,
                            settings=settings)
    out.print(run_table(summary))
    if backend == LLM:
        err.print(usage_line(summary), highlight=False)
    if summary.failed:
        err.print(f"{summary.failed} document(s) failed; see the 'failures' table in {db_path}")
        sys.exit(1)


@cli.command(name="extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@_backend_option
@click.option("--db", "db_path", envvar="KPI_DB", type=click.Path(dir_okay=False),
              help="With --backend openai: database whose response cache to use (env KPI_DB).")
@_llm_options
def extract_command(file: str, backend: str | None, db_path: str | None, **options: Any) -> None:
    """Print one document's records as kpi-records/1 JSON.

    \b
    Examples:
      kpi-extract extract eval/corpus/002_db4118e4560db15c.txt > 002.json
      kpi-extract extract minutes.pdf --backend openai --db kpis.db
    """
    backend = backend or default_backend()
    settings = _llm_settings(backend, options)
    store = Store(db_path) if db_path and backend == LLM else None
    result = extract_documents([load_document(file)], backend=backend, settings=settings, store=store)[0]
    click.echo(json.dumps(result.to_kpi_json(), indent=2, ensure_ascii=False))


@cli.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
def export(db_path: str, fmt: str, output: str | None) -> None:
    """Export every stored record, one row per KPI, as CSV or JSON.

    \b
    Example:
      kpi-extract export --db kpis.db --format csv --output kpis.csv
    """
    if not Path(db_path).exists():
        raise click.UsageError(f"{db_path} does not exist; create it with 'kpi-extract run PATH --db {db_path}'")
    rows = list(Store(db_path).export_rows())
    if fmt == "json":
        for row in rows:
            row["comparisons"] = json.loads(row["comparisons"])
            row["target_met"] = None if row["target_met"] is None else bool(row["target_met"])
            row["suspect"] = bool(row["suspect"])
        text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["document"])
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    if output:
        Path(output).write_text(text, "utf-8")
        err.print(f"wrote {len(rows)} records to {output}")
    else:
        click.echo(text, nl=False)


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
@_llm_options
def eval_command(gold_dir: str | None, docs_dir: str, pred_dir: str | None, split_csv: str | None,
                 half: str | None, quiet: bool, check_gold: str | None, backend: str | None,
                 json_path: str | None, compare_path: str | None, db_path: str, no_store: bool,
                 **options: Any) -> None:
    """Score an extractor (or existing predictions) against gold files.

    \b
    Examples:
      kpi-extract eval --gold eval/gold --docs eval/corpus --backend rules --json r.json
      kpi-extract eval --gold eval/gold --docs eval/corpus --pred my-tool-output/
      kpi-extract eval --check-gold eval/gold --docs eval/corpus
      kpi-extract eval --gold eval/gold --docs eval/corpus --backend openai --model gpt-4o-mini
      kpi-extract eval --gold ../shared/corpus/dev/gold --docs ../shared/corpus/dev/docs \\
          --split ../shared/corpus/dev/split.csv --half tune

    With --backend openai the model's answers are cached in --db, so scoring
    the same prompt and model again makes no model calls. Develop against the
    'tune' half; run 'check' only to measure (make eval-dev prints both).
    """
    docs = Path(docs_dir)
    if check_gold:
        problems = check_dir(Path(check_gold), docs)
        for problem in problems:
            err.print(problem, highlight=False)
        if problems:
            sys.exit(1)
        out.print(f"{check_gold}: every gold file is valid")
        return
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
    texts = {g.document: load_document(docs / g.document).text for g in golds}
    model = prompt_version = None
    if pred_dir:
        preds = [load_result_file(path) for path in sorted(Path(pred_dir).glob("*.json"))]
        backend_name = f"files:{pred_dir}"
        _llm_settings(backend_name, options)
    else:
        backend_name = backend or default_backend()
        settings = _llm_settings(backend_name, options)
        documents = [load_document(docs / gold.document) for gold in golds]
        with err.status(f"extracting {len(documents)} documents with {backend_name}..."):
            preds = extract_documents(documents, backend=backend_name, settings=settings,
                                      store=Store(db_path) if settings else None)
        if settings:
            from .prompts import load_prompt

            model, prompt_version = settings.model, load_prompt(settings.prompt).label
    report, scores = score(golds, preds, texts)
    print_eval(out, report, scores, details=not quiet)
    if compare_path:
        out.print(comparison_table(json.loads(Path(compare_path).read_text("utf-8")), report))
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(report, indent=2) + "\n", "utf-8")
        err.print(f"wrote {json_path}")
    if not no_store:
        eval_id = Store(db_path).save_eval(report, backend=backend_name, model=model,
                                           prompt_version=prompt_version, gold=str(gold_dir))
        err.print(f"stored as eval run {eval_id} in {db_path} (list with 'kpi-extract eval-history')")


@cli.command(name="eval-table")
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def eval_table(reports: tuple[str, ...]) -> None:
    """Print several eval reports (from eval --json) side by side, one column each.

    \b
    Example:
      kpi-extract eval-table eval/reports/rules-dev-check.json eval/reports/rules-dev-tune.json
    """
    loaded = {Path(path).stem.removeprefix("rules-"): json.loads(Path(path).read_text("utf-8")) for path in reports}
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
