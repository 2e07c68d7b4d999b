"""A small database for the official figures' surfaces: invented Rotherham and Harrow minutes, run with the
rules backend, and two measures of the LAIT snapshot (../shared/reference/lait) loaded beside them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli

LAIT = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "lait"
SNAPSHOT_MISSING = f"the LAIT snapshot is not at {LAIT} (shared/reference/lait)"
MINUTES = {
    # Rotherham published 502 children looked after and a rate of 86 for March 2024: 612 is a mismatch.
    "rotherham.txt": ("Rotherham", "2024-05-20", """Rotherham Council
Improving Lives Select Commission

There were 612 children looked after at the end of March 2024.

The rate of children looked after was 86 per 10,000 at the end of March 2024, below the statistical neighbour \
average of 104.6.

The rate of children looked after was 84 per 10,000 at the end of September 2023.
"""),
    "harrow.txt": ("Harrow", "2022-07-13", """Harrow Council
Corporate Parenting Panel

The rate of children looked after was 32 per 10,000 at the end of March 2022.
"""),
}


def minutes_database(folder: Path, minutes: dict[str, tuple[str, str, str]]) -> Path:
    """Minutes (name: authority, meeting date, text) written to folder with a manifest giving their
    authority and meeting, and run into folder/k.db with the rules backend."""
    lines = [["path", "url", "authority", "committee", "meeting_date"]]
    for name, (authority, meeting, text) in minutes.items():
        (folder / name).write_text(text, "utf-8")
        lines.append([name, f"https://example.org/{name}", authority, "", meeting])
    manifest = io.StringIO()
    csv.writer(manifest).writerows(lines)
    (folder / "manifest.csv").write_text(manifest.getvalue(), "utf-8")
    db = folder / "k.db"
    ran = CliRunner().invoke(cli, ["run", str(folder), "--manifest", str(folder / "manifest.csv"), "--db", str(db),
                                   "--backend", "rules"])
    assert ran.exit_code == 0, ran.output
    return db


def official_database(folder: Path) -> Path:
    """The minutes run into folder/k.db with LACnum and LAC loaded (skips the test without the snapshot)."""
    if not (LAIT / "bds_long_0.parquet").exists():
        pytest.skip(SNAPSHOT_MISSING)
    db = minutes_database(folder, MINUTES)
    loaded = CliRunner().invoke(cli, ["official", "load", str(LAIT), "--measures", "LACnum,LAC", "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    return db
