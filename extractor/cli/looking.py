"""Commands that read the store: export, review, show, runs, failures, datasette-metadata."""

from __future__ import annotations

import json
import sys
from difflib import get_close_matches
from pathlib import Path

import click

from ..exports import FORMATS, rows_for_export, write_kpi_records, write_rows, write_xlsx
from ..indicators import catalogue
from .app import cli, db_option, err, existing_store, iso_date, out


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="csv, json (one array), jsonl (a record a line), xlsx (Excel), or kpi-records (a folder of "
                   "kpi-records/1 files, one per document, that 'kpi-extract eval --pred' scores).")
@click.option("--output", type=click.Path(), help="Write here instead of stdout (a folder for kpi-records; "
                                                  "needed for xlsx and kpi-records).")
@click.option("--authority", help="Only this council's records (any case).")
@click.option("--indicator", help="Only records whose indicator (the council's wording) contains this text.")
@click.option("--indicator-id", metavar="ID", help="Only records of this canonical indicator, exactly (an id "
                                                   "'kpi-extract indicators' lists, e.g. cla_count).")
@click.option("--since", callback=iso_date, metavar="YYYY-MM-DD", help="Only meetings on or after this date.")
@click.option("--document", help="Only this document (its name or path).")
def export(db_path: str, fmt: str, output: str | None, authority: str | None, indicator: str | None,
           indicator_id: str | None, since: str | None, document: str | None) -> None:
    """Export stored records, one row per KPI, with where each comes from.

    Every row carries its document's name, path, authority, committee, meeting
    date, report period, URL and PDF page; the council's wording (indicator)
    beside the canonical measure (indicator_id, indicator_name, polarity, and
    indicator_id_method: how the id was decided); comparisons are kept whole and
    the common ones flattened into columns (previous_year_value, target_value,
    national_value, ...). Rows are written as they are read, so memory stays flat.

    \b
    Examples:
      kpi-extract export --db kpis.db --format csv --output kpis.csv
      kpi-extract export --format xlsx --output kpis.xlsx --authority Rotherham --since 2024-01-01
      kpi-extract export --format jsonl --indicator "in care" | jq .value
      kpi-extract export --indicator-id cla_count --output children_in_care.csv
      kpi-extract export --format kpi-records --output predictions/ && kpi-extract eval --pred predictions/ ...
    """
    if indicator_id is not None and indicator_id not in catalogue():
        raise click.UsageError(_unknown_indicator_id(indicator_id))
    store = existing_store(db_path)
    if fmt in ("xlsx", "kpi-records") and not output:
        raise click.UsageError(f"--format {fmt} needs --output ({'a folder' if fmt == 'kpi-records' else 'a file'})")
    if fmt == "kpi-records" and indicator_id:
        raise click.UsageError("--format kpi-records writes whole documents (for eval), so --indicator-id does not "
                               "apply; drop it, or choose csv, json, jsonl or xlsx")
    if fmt == "kpi-records":
        written = write_kpi_records(store, Path(output), document=document,
                                    on_empty=lambda name, why: err.print(f"  {name}: {why}", highlight=False))
        err.print(f"wrote {written} kpi-records/1 file(s) to {output}")
        return
    rows = rows_for_export(store, authority=authority, indicator=indicator, indicator_id=indicator_id, since=since,
                           document=document)
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


def _unknown_indicator_id(indicator_id: str) -> str:
    """What to say about an --indicator-id the catalogue lacks: the closest ids, and where all are listed."""
    close = get_close_matches(indicator_id.lower(), catalogue(), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return (f"--indicator-id {indicator_id!r} is not in the canonical catalogue{hint}; "
            f"'kpi-extract indicators' lists the ids")


@cli.command()
@db_option
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
    from ..review import render_review

    store = existing_store(db_path)
    if document and not store.stored_documents(document):
        raise click.UsageError(f"no stored document is named {document!r} in {db_path}; "
                               f"'kpi-extract export --format jsonl' lists them")
    Path(output).write_text(render_review(store, document=document), "utf-8")
    err.print(f"wrote {output}")


@cli.command()
@click.argument("name")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON lines (export's columns).")
def show(name: str, db_path: str, as_json: bool) -> None:
    """Print one stored document's records, each with its evidence and the value marked in it.

    NAME is the document's file name, or its path where two stored documents share a name.
    Where DfE's figures are loaded ('kpi-extract official load'), a record that
    meets a published year shows them under its evidence: the authority's,
    England's, the region's and its statistical neighbours' mean; a value that
    differs from the published one is marked ≠ with both figures.

    \b
    Examples:
      kpi-extract show 002_db4118e4560db15c.txt --db kpis.db
      kpi-extract show minutes/2024/cpp.pdf --json | jq .value
    """
    from ..views import records_table

    store = existing_store(db_path)
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
    from ..official import OfficialLookup

    out.print(records_table(document, store.records_of(document["id"]), OfficialLookup(store)))


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON, for scripts.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="How many, newest first.")
def runs(db_path: str, as_json: bool, limit: int) -> None:
    """List past runs with their status, counts, tokens and cost.

    A run with no status was killed outright (its stored documents are kept).

    \b
    Example:
      kpi-extract runs --db kpis.db
    """
    from ..views import runs_table

    found = existing_store(db_path).runs()[:limit]
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        out.print(runs_table(found))


@cli.command()
@db_option
@click.option("--run", "run_id", help="Only this run's failures (its id, or the first characters of it).")
@click.option("--json", "as_json", is_flag=True, help="Print the failures as JSON, for scripts.")
def failures(db_path: str, run_id: str | None, as_json: bool) -> None:
    """List failed documents with the stage they failed at and the full reason.

    \b
    Examples:
      kpi-extract failures --db kpis.db
      kpi-extract failures --run 3f2a9c1d --json
    """
    from ..views import failures_table

    found = existing_store(db_path).failures(run_id)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    elif found:
        out.print(failures_table(found))
    else:
        err.print("no failures" + (f" in run {run_id}" if run_id else ""))


@cli.command(name="datasette-metadata")
@db_option
@click.option("--output", type=click.Path(dir_okay=False), default="metadata.json", show_default=True)
def datasette_metadata_command(db_path: str, output: str) -> None:
    """Write Datasette metadata for the database: descriptions, facets, queries.

    Tables and columns described (the indicator catalogue too); facets on
    authority, unit, period, indicator_id and indicator; canned queries of one
    indicator across documents (by wording) and of one canonical indicator across
    authorities (by id). Datasette is an optional extra:
    pip install 'kpi-extract[datasette]'.

    \b
    Example:
      kpi-extract datasette-metadata --db kpis.db && datasette kpis.db -m metadata.json
    """
    from ..datasette_metadata import datasette_metadata

    existing_store(db_path)  # migrated, so the kpis view exists
    Path(output).write_text(json.dumps(datasette_metadata(db_path), indent=2) + "\n", "utf-8")
    err.print(f"wrote {output}; now: datasette {db_path} -m {output}")
