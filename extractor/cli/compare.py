"""The compare command: one canonical indicator side by side across councils."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import cli, db_option, err, existing_store, iso_date, out

FORMATS = ("table", "csv", "json", "xlsx")


@cli.command()
@click.argument("indicator_id", metavar="ID")
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table (printed), csv (the table), json (the table with every record behind each cell), "
                   "xlsx (Excel: the table and a sheet of evidence; needs --output).")
@click.option("--output", type=click.Path(dir_okay=False), help="Write csv, json or xlsx here instead of stdout.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write one self-contained page: the table and a chart of each authority over time, "
                   "each point linked to its evidence.")
@click.option("--authority", "authorities", multiple=True, help="Only this council (any case); repeatable.")
@click.option("--since", callback=iso_date, metavar="YYYY-MM-DD",
              help="Only periods ending on or after this date (records without a period are then left out).")
@click.option("--official/--no-official", default=True, show_default=True,
              help="Add DfE's published England, region and statistical neighbours' rows, marked official, where "
                   "they are loaded ('kpi-extract official load').")
def compare(indicator_id: str, db_path: str, fmt: str, output: str | None, html_path: str | None,
            authorities: tuple[str, ...], since: str | None, official: bool) -> None:
    """Compare one indicator across councils: authorities as rows, periods as columns.

    ID is a canonical indicator id ('kpi-extract indicators' lists them). Each
    cell is the stored value with its unit; ▲ ▼ = mark a change from the row's
    previous period (green better, red worse, by the indicator's polarity). Where
    the minutes quote them, England, regional and statistical neighbours figures
    are extra rows; where DfE's figures are loaded, England's, the region's and
    the statistical neighbours' published figures are rows marked official, in
    the columns whose period meets a published year. When several records give one authority's period, the latest
    meeting's is shown, marked *, and every one is kept as evidence. Records
    without a period go in the last column. Exits 1 when no stored record has ID.

    \b
    Examples:
      kpi-extract compare cla_count --db kpis.db
      kpi-extract compare cla_rate_per_10000 --format xlsx --output cla.xlsx --since 2022-04-01
      kpi-extract compare cla_count --authority Rotherham --authority Harrow --html compare.html
    """
    from ..compare import comparison, rich_table, write_comparison_xlsx, write_table

    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx needs --output (a file)")
    if fmt == "table" and output:
        raise click.UsageError("--output writes csv, json or xlsx; add --format csv, json or xlsx")
    store = existing_store(db_path)
    result = comparison(store, indicator_id, authorities=list(authorities) or None, since=since)
    if not result.rows:
        mapped = store.db.execute("select count(*), count(indicator_id) from records").fetchone()
        narrowed = " for the --authority/--since given" if authorities or since else ""
        err.print(f"No stored record has indicator id {indicator_id}{narrowed} in {db_path} "
                  f"({mapped[1]} of {mapped[0]} records have an id); nothing to compare.", highlight=False)
        click.get_current_context().exit(1)
    if official:
        from ..compare_official import add_official

        add_official(result, store)
    if fmt == "table":
        out.print(rich_table(result))
    elif fmt == "xlsx":
        part = Path(f"{output}.part")  # a failed write leaves no half-written file under the real name
        write_comparison_xlsx(result, part)
        part.replace(str(output))
        err.print(f"wrote {output}")
    elif output:
        part = Path(f"{output}.part")
        with part.open("w", encoding="utf-8", newline="") as stream:
            write_table(result, fmt, stream)
        part.replace(output)
        err.print(f"wrote {output}")
    else:
        write_table(result, fmt, sys.stdout)
    if html_path:
        from ..compare_html import render_comparison

        Path(html_path).write_text(render_comparison(result), "utf-8")
        err.print(f"wrote {html_path}")
