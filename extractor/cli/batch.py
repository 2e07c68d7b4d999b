"""kpi-extract batch: submit, status, collect, cancel: a large backlog through the provider's Batch API."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from .app import (
    cli,
    db_option,
    err,
    existing_store,
    max_chars_option,
    model_options,
    ocr_option,
    out,
    pack_option,
)

_DISCOUNT = click.option("--batch-discount", "discount", type=click.FloatRange(0, 1), default=None,
                         help="The batch price as a share of the list price (--price-in/--price-out), for the "
                              "run's cost. Default: as given at submit, 0.5 (OpenAI's Batch API).")
# How to reach the endpoint again: the rest of a batch's settings were stored when it was submitted.
_REACH = [
    click.option("--base-url", help="The endpoint the batch was sent to, if not the stored one (env OPENAI_BASE_URL)."),
    click.option("--timeout", type=click.FloatRange(1), help="Seconds before one request times out."),
    click.option("--retries", type=click.IntRange(0), help="Retries of a request after 429, 5xx or timeouts."),
    click.option("--concurrency", type=click.IntRange(1), help="Live requests (re-asks, redone requests) at once."),
    click.option("--price-in", type=float, help="List price per million prompt tokens (env KPI_PRICE_IN)."),
    click.option("--price-out", type=float, help="List price per million completion tokens (env KPI_PRICE_OUT)."),
]


def _reach(function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_REACH):
        function = option(function)
    return function


@cli.group()
def batch() -> None:
    """Send a large backlog through the provider's Batch API: half the price, answers within 24 hours.

    \b
    Example:
      kpi-extract batch submit minutes/ --db kpis.db --model gpt-4o-mini
      kpi-extract batch status --db kpis.db
      kpi-extract batch collect --db kpis.db --wait
    """


@batch.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@db_option
@click.option("--backend", help="The backend whose requests are sent: the model backend (the only one with a Batch "
                                "API; the default).")
@click.option("--force", is_flag=True, help="Send documents already stored with this model and prompt too.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False),
              help="CSV with columns path,url,authority,committee,meeting_date, as for 'run'.")
@click.option("--authority", help="The council for every document (a manifest row's value wins).")
@click.option("--committee", help="The committee for every document (a manifest row's value wins).")
@click.option("--json", "as_json", is_flag=True, help="Print what was sent as JSON.")
@_DISCOUNT
@max_chars_option
@ocr_option
@pack_option
@model_options
def submit(paths: tuple[str, ...], db_path: str, backend: str | None, force: bool, manifest: str | None,
           authority: str | None, committee: str | None, as_json: bool, discount: float | None, max_chars: int,
           ocr: str, **options: Any) -> None:
    """Send every request a live 'run --backend openai' would send, as a batch; return at once.

    Documents already stored, and requests the cache already answers or a batch
    not yet collected already holds, are not sent. Passages of several documents
    share a request (--pack-tokens, 2000 by default here; 0 for one document a
    request). The input is split across
    files at the provider's limits (50,000 requests, 200 MB). 'batch collect'
    stores the records.

    \b
    Example:
      kpi-extract batch submit minutes/ --db kpis.db --model gpt-4o-mini --price-in 0.15 --price-out 0.6
    """
    from ..batch import BACKEND, DEFAULT_DISCOUNT, PACK_TOKENS
    from ..batch import submit as submit_batch
    from ..manifest import read_manifest
    from ..store import Store
    from .app import checked_backend

    if not paths and not manifest:
        raise click.UsageError("give PATHS (files or folders) or --manifest FILE.csv")
    if backend not in (None, BACKEND):
        raise click.UsageError(f"--backend {backend} has no Batch API; batch runs use --backend {BACKEND}")
    checked_backend(BACKEND, options)
    sources = read_manifest(manifest) if manifest else {}
    given = {key: value for key, value in (("authority", authority), ("committee", committee)) if value}
    if options.get("pack_tokens") is None:  # measured (BENCHMARKS.md): a third of the prompt tokens a document
        options["pack_tokens"] = PACK_TOKENS
    summary = submit_batch(paths, store=Store(db_path), options=options, sources=sources, given=given,
                           max_chars=max_chars, ocr=ocr, force=force,
                           discount=DEFAULT_DISCOUNT if discount is None else discount)
    if as_json:
        click.echo(json.dumps({"batches": [b.__dict__ for b in summary.batches], "documents": summary.documents,
                               "current": summary.current, "cached": summary.cached, "pending": summary.pending,
                               "failed": summary.failed}, indent=2))
    else:
        for sent in summary.batches:
            out.print(f"{sent.provider_id}  {sent.requests} requests for {sent.documents} documents", highlight=False)
        err.print(f"{summary.documents} documents: {summary.current} already stored, {summary.cached} requests "
                  f"answered by the cache and {summary.pending} already in an open batch (not sent); "
                  f"{summary.requests} requests sent in {len(summary.batches)} batch(es), mode {summary.mode}. "
                  f"Then: kpi-extract batch collect --db {db_path} --wait", highlight=False)
    for path, why in summary.failed:
        err.print(f"not sent: {path}: {why}", highlight=False)
    if not summary.batches and not summary.failed:
        err.print("Nothing to send." + (f" {summary.answered_only} document(s) are answered by the cache or an open "
                                        "batch: 'kpi-extract run' or 'batch collect' stores them."
                                        if summary.answered_only else ""), highlight=False)
    if summary.failed:
        sys.exit(1)


@batch.command()
@db_option
@click.option("--all", "every", is_flag=True, help="Closed batches too (as last seen).")
@click.option("--json", "as_json", is_flag=True, help="Print the batches as JSON.")
@_reach
def status(db_path: str, every: bool, as_json: bool, **options: Any) -> None:
    """Each open batch's state at the provider and its request counts.

    \b
    Example:
      kpi-extract batch status --db kpis.db --json
    """
    from rich.table import Table

    from ..batch import status as batch_status

    rows = batch_status(existing_store(db_path), options=options, every=every)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        err.print("No open batches." if not every else "No batches.")
        return
    table = Table(title="batches")
    for column in ("batch", "state", "requests", "done", "failed", "documents", "created", "note"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["provider_id"] or f"{row['id']} (not yet sent)", row["status"], str(row["requests"]),
                      str(row["completed"] or 0), str(row["failed"] or 0), str(row["documents"]),
                      row["created_at"], row["reason"] or ("closed" if row["closed_at"] else ""))
    out.print(table)


@batch.command()
@db_option
@click.option("--wait", is_flag=True, help="Poll until every open batch has ended, then collect it.")
@click.option("--poll-seconds", type=click.FloatRange(1), default=60.0, show_default=True,
              help="Seconds between polls with --wait.")
@click.option("--resubmit", is_flag=True, help="Send requests that failed or expired in a follow-up batch instead "
                                               "of asking them live.")
@click.option("--batch", "which", help="Only this batch (its id, or the start of it).")
@_DISCOUNT
@_reach
def collect(db_path: str, wait: bool, poll_seconds: float, resubmit: bool, which: str | None, discount: float | None,
            **options: Any) -> None:
    """Read back every batch that has ended and store its documents' records.

    Answers are read exactly as live answers are (validated, grounded, re-asked
    when invalid); requests that failed or expired are asked live (or with
    --resubmit in a follow-up batch). A batch that failed, expired or was
    cancelled is reported with its reason; its documents stay unstored for a
    later run or submit, its answers cached. Run it again at any time: nothing is
    stored twice. Exit 1 when a batch ended without completing or a document failed.

    \b
    Example:
      kpi-extract batch collect --db kpis.db --wait --price-in 0.15 --price-out 0.6
    """
    from ..batch_collect import collect as collect_batches
    from ..report import usage_line

    results = collect_batches(existing_store(db_path), options=options, wait=wait, resubmit=resubmit, batch=which,
                              poll_seconds=poll_seconds, discount=discount)
    bad = False
    if not results:
        err.print("No open batches.")
    for done in results:
        line = f"{done.batch}: {done.status}"
        if not done.ended:
            click.echo(f"{line}: not ended yet; collect again later, or with --wait", err=True)
            continue
        line += f"; {done.answered} answers read, {done.reasked} re-asked, {done.failed} failed in the batch"
        if done.follow_up:
            line += f", resubmitted in {done.follow_up}"
        if done.status != "completed":
            bad = True
            line += (f"; {done.left} document(s) not stored (a later 'run' or 'batch submit' picks them up; the "
                     f"answers read are cached): {done.reason}")
        click.echo(line, err=True)  # one line each, unwrapped, for logs and scripts
        if done.summary is not None:
            summary = done.summary
            click.echo(f"  stored {summary.count('extracted')}, already current {summary.count('skipped')}, failed "
                       f"{summary.failed}; run {summary.run_id[:12]}", err=True)
            click.echo("  " + usage_line(summary), err=True)
            bad = bad or bool(summary.failed)
    if bad:
        sys.exit(1)


@batch.command()
@click.argument("which")
@db_option
@_reach
def cancel(which: str, db_path: str, **options: Any) -> None:
    """Ask the provider to cancel a batch; 'collect' then keeps what it answered.

    \b
    Example:
      kpi-extract batch cancel batch_abc123 --db kpis.db
    """
    from ..batch import cancel as cancel_batch

    out.print(cancel_batch(existing_store(db_path), which, options=options), highlight=False)
