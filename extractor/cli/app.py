"""The command group, its shared options and the console: what every command module uses."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from .. import __version__
from ..backends import default_backend, names, spec
from ..backends.base import Backend
from ..documents import MAX_CHARS
from ..errors import ExtractorError
from ..redact import error_message, scrub
from ..store import Store

out = Console(soft_wrap=True)
err = Console(stderr=True)


def backend_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """--backend, with the installed backends as its choices."""
    return click.option(
        "--backend", type=click.Choice(names()), envvar="KPI_BACKEND", default=None,
        help="Extractor to use (`kpi-extract backends` lists them, env KPI_BACKEND). Default: the first "
        "installed backend the options or environment configure (a model endpoint given by --base-url, "
        "OPENAI_BASE_URL or OPENAI_API_KEY), else the offline one.",
    )(function)


def max_chars_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """--max-chars: the longest document text accepted."""
    return click.option(
        "--max-chars", type=click.IntRange(1), default=MAX_CHARS, show_default=True,
        help="Refuse a document with more characters of text than this (about 1,500 pages by default); "
        "it fails at once, naming the file, instead of holding the batch. Time grows in step with length.",
    )(function)


def ocr_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """--ocr: when a PDF's pages are read by OCR (checked before any work)."""
    def checked(ctx: click.Context, param: click.Parameter, value: str) -> str:
        from ..ocr import check_mode

        check_mode(value)
        return value

    return click.option(
        "--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
        callback=checked, help="Read PDF pages by OCR (Tesseract): 'auto' those without a text layer (scans) "
        "when tesseract-ocr and the OCR extra are installed, 'always' every page, 'never' none. About "
        "2 CPU-seconds a page (README).",
    )(function)


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """--db, the SQLite database (env KPI_DB)."""
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


def pack_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """--pack-tokens: several documents' passages in one model request."""
    return click.option(
        "--pack-tokens", type=click.IntRange(0), default=None,
        help="Fill each model request with passages of as many documents as fit in this many tokens, so they "
        "share one copy of the fixed instructions and schema (0: one document a request, the default for "
        "'run'). Give --context-tokens the model's context so the pack fits (README).",
    )(function)


def model_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Every option a model backend takes."""
    for option in reversed(_MODEL_OPTIONS):
        function = option(function)
    return function


def checked_backend(name: str | None, options: dict[str, Any]) -> str:
    """The chosen (or default) backend's name, its options checked before any file or database is touched."""
    name = name or default_backend(options)
    spec(name).check(options)
    return name


def make_backend(name: str, options: dict[str, Any], store: Store | None) -> Backend:
    """The named backend, made from the command line's options."""
    from ..pipeline import open_backend

    return open_backend(name, options, store=store)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExtractorError as exc:
            message = scrub("\n".join([str(exc), *getattr(exc, "__notes__", ())]))
            err.print(f"[red]Error:[/red] {escape(message)}", highlight=False)
            ctx.exit(1)
        except KeyboardInterrupt:  # outside a batch (a batch says what it stored): nothing half-written
            err.print("Interrupted.")
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug or an unexpected failure: told masked, the traceback only on request
            if os.environ.get("KPI_DEBUG") == "1":
                raise
            err.print(f"[red]Error:[/red] {escape(error_message(exc))}\n(unexpected: set KPI_DEBUG=1 to see where "
                      "it came from, and please report it)", highlight=False)
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


def existing_store(db_path: str) -> Store:
    """The database a command reads, or a usage error saying how to create it."""
    if not Path(db_path).exists():
        raise click.UsageError(f"{db_path} does not exist; create it with 'kpi-extract run PATH --db {db_path}'")
    return Store(db_path)


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click callback: the option's value as an ISO date, or a message saying how to write one."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="kpi-extract", auto_envvar_prefix=None)
