"""Commands for DfE's published figures: official load, official check, official status."""

from __future__ import annotations

import json
import sys
from collections import Counter

import click
from rich.markup import escape

from ..store import Store
from .app import cli, db_option, err, existing_store, out


@cli.group()
def official() -> None:
    """DfE's published figures (LAIT) beside the minutes' own.

    \b
    Example:
      kpi-extract official load ../shared/reference/lait --db kpis.db
      kpi-extract official check --db kpis.db
    """


@official.command()
@click.argument("source", required=False)
@db_option
@click.option("--measures", help="Only these LAIT measures (Measure_short, comma-separated, e.g. LACnum,LAC): "
                                 "a smaller, quicker load.")
def load(source: str | None, db_path: str, measures: str | None) -> None:
    """Load DfE's Local Authority Interactive Tool figures into the database, replacing any loaded before.

    SOURCE is a folder holding LAIT's files (lait_data_dictionary.csv, bds_long_0.parquet,
    sn_may_2025.xlsx, la_code_list.xlsx) or the base URL of their raw addresses; without it,
    the live repository's. Values are stored typed: a number, or DfE's suppression mark as
    printed, never a 0. Needs the parquet reader: pip install 'kpi-extract[official]'.

    \b
    Examples:
      kpi-extract official load --db kpis.db
      kpi-extract official load ../shared/reference/lait --db kpis.db
      kpi-extract official load ../shared/reference/lait --measures LACnum,LAC --db kpis.db
    """
    from ..official_load import load_official

    wanted = [m.strip() for m in measures.split(",") if m.strip()] if measures else None
    summary = load_official(Store(db_path), source, measures=wanted)
    snap = summary.snapshot
    err.print(f"loaded {summary.values:,} published values ({summary.suppressed:,} suppressed) of "
              f"{'the ' + str(len(wanted)) + ' measures asked' if wanted else str(summary.measures) + ' measures'}, "
              f"{summary.authorities} areas and {summary.neighbours:,} statistical neighbour links into {db_path}")
    err.print(escape(f"snapshot {snap.date or 'of unknown date'}"
                     + (f", commit {snap.commit}" if snap.commit else "") + f", from {snap.source}"), highlight=False)


@official.command()
@db_option
def status(db_path: str) -> None:
    """Say which official snapshot the database holds: its source, date, commit and when it was loaded.

    \b
    Example:
      kpi-extract official status --db kpis.db
    """
    from ..official import snapshot_info

    info = snapshot_info(existing_store(db_path))
    if info is None:
        raise click.UsageError(f"{db_path} holds no official figures; load them with "
                               f"'kpi-extract official load --db {db_path}'")
    out.print(escape(f"source: {info['source']}\nsnapshot: {info['snapshot_date'] or 'unknown'}"
                     f"{', commit ' + info['snapshot_commit'] if info['snapshot_commit'] else ''}\n"
                     f"loaded: {info['loaded_at']}\nvalues: {info['values']:,} of "
                     f"{info['measures_filter'] or 'all ' + str(info['measures']) + ' measures'}"), highlight=False)


@official.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the checks as a JSON array.")
@click.option("--mismatches", is_flag=True, help="Only the figures that differ from the published ones.")
def check(db_path: str, as_json: bool, mismatches: bool) -> None:
    """List records whose figures meet a published one: agreements and mismatches, with both figures.

    A record is checked when its indicator_id has a LAIT measure and its period falls on a
    published year (a financial year, as at 31 March, or the quarter that ends it); the England,
    region and statistical neighbours' figures the minutes print beside it are checked too. A
    mismatch is information, not an error: minutes often quote provisional or in-year figures.

    \b
    Examples:
      kpi-extract official check --db kpis.db
      kpi-extract official check --db kpis.db --mismatches --json | jq '.[].stated'
    """
    from ..official import official_check, snapshot_info

    store = existing_store(db_path)
    info = snapshot_info(store)
    if info is None:
        raise click.UsageError(f"{db_path} holds no official figures; load them with "
                               f"'kpi-extract official load --db {db_path}'")
    checks = [c for c in official_check(store) if not mismatches or c.status == "mismatch"]
    if as_json:
        json.dump([c.to_dict() for c in checks], sys.stdout, indent=1)
        sys.stdout.write("\n")
        return
    out.print(escape(f"Minutes against LAIT {info['snapshot_date'] or ''} from {info['source']}"), highlight=False)
    for c in checks:
        published = c.mark if c.mark else "none" if c.published is None else f"{c.published:g}"
        if c.subject == "neighbours" and c.neighbours_with_figure is not None:
            published += f" (mean of {c.neighbours_with_figure} neighbours)"
        style = {"mismatch": "red", "agrees": "green"}.get(c.status, "yellow")
        out.print(f"[{style}]{c.status:<12}[/{style}] " + escape(
            f"{c.document} | {c.authority or 'no authority'} | {c.indicator_id} {c.period} (LAIT {c.year}) | "
            f"{c.subject}: minutes {c.stated:g}, published {published}"), highlight=False)
    counts = Counter(c.status for c in checks)
    err.print(", ".join(f"{n} {status}" for status, n in counts.items()) or "no record meets a published figure "
              "(records need an indicator_id with a LAIT measure and a period on a published year)")
