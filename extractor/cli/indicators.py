"""The command that lists the canonical catalogue: indicators."""

from __future__ import annotations

import json

import click
from rich.table import Table

from ..indicators import catalogue
from .app import cli, existing_store, out


@cli.command(name="indicators")
@click.option("--search", help="Only rows whose id, name, synonyms or LAIT key contain this text (any case).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Also show how many records this database stores under each id.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON (for scripts), not a table.")
def indicators_command(search: str | None, db_path: str | None, as_json: bool) -> None:
    """List the canonical indicator catalogue: the ids a record's indicator_id can take.

    \b
    Examples:
      kpi-extract indicators
      kpi-extract indicators --search "care leavers"
      kpi-extract indicators --db kpis.db --json

    The catalogue is the spec's indicators.csv (ids are stable; `lait` is the
    measure's key in DfE's Local Authority Interactive Tool). Ids are set by one
    mapper after extraction, for every backend (see README, Canonical indicators).
    """
    rows = list(catalogue().values())
    if search:
        needle = search.lower()
        rows = [r for r in rows if any(needle in text.lower() for text in (r.id, r.name, r.lait or "", *r.synonyms))]
    counts = existing_store(db_path).indicator_counts() if db_path else None
    if as_json:
        click.echo(json.dumps([
            {"id": r.id, "name": r.name, "unit": r.unit, "polarity": r.polarity, "lait": r.lait,
             **({"records": counts.get(r.id, 0)} if counts is not None else {})}
            for r in rows], indent=2))
        return
    table = Table(title=f"{len(rows)} canonical indicators" + (f" matching {search!r}" if search else ""))
    for column in ("id", "name", "unit", "polarity", "lait", *(("records",) if counts is not None else ())):
        table.add_column(column, justify="right" if column == "records" else "left",
                         overflow="fold" if column == "id" else "ellipsis")
    for r in rows:
        table.add_row(r.id, r.name, r.unit, r.polarity, r.lait or "",
                      *((str(counts.get(r.id, 0)),) if counts is not None else ()))
    out.print(table)
