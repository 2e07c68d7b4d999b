"""Commands that grow gold from the review page: gold apply (a person's corrections into gold files) and
gold draft (gold started from what the store holds, for labelling in the page)."""

from __future__ import annotations

from pathlib import Path

import click

from ..store import Store
from .app import cli, db_option, err, existing_store, out


@cli.group()
def gold() -> None:
    """Gold files (kpi-records/1) from a person's judgements in the review page.

    \b
    Example:
      kpi-extract gold draft minutes.pdf --db kpis.db --gold eval/gold/
      kpi-extract review --db kpis.db --output review.html   # judge; Save corrections
      kpi-extract gold apply corrections.json --gold eval/gold/ --db kpis.db
    """


@gold.command(name="apply")
@click.argument("corrections", type=click.Path(exists=True, dir_okay=False))
@click.option("--gold", "gold_dir", type=click.Path(file_okay=False), required=True,
              help="Folder of gold files to write or update (one per document).")
@click.option("--docs", "docs_dir", type=click.Path(exists=True, file_okay=False),
              help="Folder holding the documents (as eval --docs); else the path the page showed, or --db.")
@click.option("--db", "db_path", type=click.Path(exists=True, dir_okay=False),
              help="The database the review page was made from: the documents' text and meta.")
def apply_command(corrections: str, gold_dir: str, docs_dir: str | None, db_path: str | None) -> None:
    """Write a person's corrections (corrections.json) into kpi-records/1 gold files.

    Accepted records go in as stored, edited ones as edited, added ones too;
    rejected ones are left out. A document partly judged is written with
    "complete": false, which eval refuses to score (unless --partial). Every
    file passes the gold check before anything is written.

    \b
    Example:
      kpi-extract gold apply corrections.json --gold eval/gold/ --docs eval/corpus
    """
    from ..corrections import load_corrections
    from ..gold_apply import apply_to_gold

    loaded = load_corrections(Path(corrections))
    store = Store(db_path) if db_path else None
    written = apply_to_gold(loaded, corrections, Path(gold_dir), docs_dir=Path(docs_dir) if docs_dir else None,
                            store=store)
    for one in written:
        out.print(one.line(), highlight=False)
    err.print(f"wrote {len(written)} gold file(s) to {gold_dir}; score with 'kpi-extract eval --gold {gold_dir} "
              "--docs DOCS'", highlight=False)


@gold.command()
@click.argument("documents", nargs=-1, required=True)
@db_option
@click.option("--gold", "gold_dir", type=click.Path(file_okay=False), required=True,
              help="Folder to write the draft gold files into.")
@click.option("--overwrite", is_flag=True, help="Replace a gold file that already exists for a document.")
def draft(documents: tuple[str, ...], db_path: str, gold_dir: str, overwrite: bool) -> None:
    """Start gold from what the store holds, for labelling in the review page.

    Each document (its name or path in the store) gets a gold file of its
    stored records and meta, marked "complete": false until its records are
    judged in the review page and the corrections applied.

    \b
    Example:
      kpi-extract gold draft 002_db4118e4560db15c.txt --db kpis.db --gold eval/gold/
    """
    from ..gold_apply import draft_gold

    written = draft_gold(existing_store(db_path), documents, Path(gold_dir), overwrite=overwrite)
    for one in written:
        out.print(one.line(), highlight=False)
    err.print(f"next: kpi-extract review --db {db_path} --output review.html, judge each record, Save corrections, "
              f"then kpi-extract gold apply corrections.json --gold {gold_dir} --db {db_path}", highlight=False)
