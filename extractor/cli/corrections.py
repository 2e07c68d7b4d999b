"""corrections apply: a person's decisions from the review page into the stored records."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from .app import cli, db_option, err, existing_store, out


@cli.group()
def corrections() -> None:
    """A person's corrections (kpi-corrections/1) applied to the store.

    \b
    Example:
      kpi-extract corrections apply corrections.json --db kpis.db --reviewer "A. Analyst"
    """


@corrections.command(name="apply")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--reviewer", help="Who made the corrections, stored with each changed record. Default: your "
                                 "login name.")
def apply_command(path: str, db_path: str, reviewer: str | None) -> None:
    """Apply corrections.json to the stored records, one transaction per document.

    Accepted records are marked reviewed; edited ones take the person's
    fields; rejected ones are removed (and never brought back by a re-run);
    added ones are stored. Each carries who and when. A document whose
    content changed since the page was made is refused, naming it; nothing
    is written while any problem remains. Exports carry a 'reviewed' column.

    \b
    Example:
      kpi-extract corrections apply corrections.json --db kpis.db --reviewer "A. Analyst"
    """
    from ..corrections import load_corrections
    from ..corrections_store import apply_to_store

    store = existing_store(db_path)
    who = reviewer or getpass.getuser()
    applied = apply_to_store(store, load_corrections(Path(path)), path, reviewer=who)
    for one in applied:
        out.print(one.line(), highlight=False)
    err.print(f"applied corrections to {len(applied)} document(s) in {db_path} as {who}; a re-run keeps them",
              highlight=False)
