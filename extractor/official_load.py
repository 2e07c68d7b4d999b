"""Loading DfE's published figures (the Local Authority Interactive Tool's data files) into the store.

Four files, from a folder or from the LAIT repository's raw file addresses (the default, the live
repository): the data dictionary (measures: polarity, unit, year type, decimal places), the long
values file (parquet: every published value of every measure, authority, region and England by
year), the statistical neighbours and the LA code list. Values are typed on the way in: a number
goes in `value`, a suppression mark (`c`, `x`, `z`, `.`, `-`) stays as printed in `mark` with no
value, never a 0. A load replaces every official table in one transaction, and records which
snapshot it was and where it came from.

The parquet file is read with duckdb (the optional extra `kpi-extract[official]`): of the readers
measured (benchmarks/bench_parquet_readers.py, BENCHMARKS.md) it installs smallest with no
dependencies, at about the same speed.
"""

from __future__ import annotations

import csv
import math
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from .errors import ConfigError, InputError, fix_hint
from .store import Store, now

REPOSITORY = "dfe-analytical-services/local-authority-interactive-tool"
DEFAULT_SOURCE = f"https://raw.githubusercontent.com/{REPOSITORY}/main/01_data/02_prod/"
DICTIONARY = "lait_data_dictionary.csv"
VALUES = "bds_long_0.parquet"
NEIGHBOURS = "sn_may_2025.xlsx"  # DfE's children's services statistical neighbours, May 2025
CODES = "la_code_list.xlsx"
FILES = (DICTIONARY, VALUES, NEIGHBOURS, CODES)
ENGLAND = 970
BATCH = 50_000


@dataclass(frozen=True)
class Snapshot:
    """Where a load's files came from and which snapshot they are."""

    source: str
    date: str | None
    commit: str | None


@dataclass(frozen=True)
class LoadSummary:
    """What a load stored."""

    snapshot: Snapshot
    measures: int
    values: int
    suppressed: int
    authorities: int
    neighbours: int
    measures_filter: tuple[str, ...] | None


def typed(text: str | None) -> tuple[float | None, str | None]:
    """A published value as (number, None), or (None, mark) for a suppression mark; (None, None) when empty."""
    if text is None or not str(text).strip():
        return None, None
    text = str(text).strip()
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return None, text
    return (number, None) if math.isfinite(number) else (None, text)


def _download(base: str, folder: Path) -> None:
    """Fetch the four files from base into folder, or say how to load them from a folder instead."""
    import httpx

    base = base if base.endswith("/") else base + "/"
    try:
        with httpx.Client(timeout=60.0, follow_redirects=True) as client:
            for name in FILES:
                response = client.get(base + name)
                response.raise_for_status()
                (folder / name).write_bytes(response.content)
    except httpx.HTTPError as exc:
        raise InputError(fix_hint(
            f"cannot download the official figures from {base} ({exc.__class__.__name__}: {exc})",
            f"download {', '.join(FILES)} from https://github.com/{REPOSITORY} (folder 01_data/02_prod) "
            "and run 'kpi-extract official load /path/to/folder'")) from exc


def _folder_snapshot(folder: Path) -> Snapshot:
    """The snapshot a folder holds: the date and commit its README names, else its newest file's date."""
    readme = folder / "README.md"
    if readme.exists():
        found = re.search(r"snapshot \((\d{4}-\d{2}-\d{2}),\s*commit\s+([0-9a-f]{7,40})\)", readme.read_text("utf-8"))
        if found:
            return Snapshot(str(folder), found.group(1), found.group(2))
    newest = max((folder / name).stat().st_mtime for name in FILES)
    return Snapshot(str(folder), datetime.fromtimestamp(newest, UTC).date().isoformat(), None)


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise InputError(fix_hint(f"{folder} is not a folder", "give the folder holding the LAIT files "
                                  f"({', '.join(FILES)}), or no SOURCE for the live repository"))
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise InputError(fix_hint(f"{folder} lacks {', '.join(missing)}",
                                  f"copy the LAIT files from https://github.com/{REPOSITORY} (01_data/02_prod) there"))


def _dictionary(path: Path) -> list[tuple]:
    """The data dictionary's measures (the first row of a Measure_short listed twice)."""
    rows, seen = [], set()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            measure = (row.get("Measure_short") or "").strip()
            if not measure or measure in seen:
                continue
            seen.add(measure)
            dps = (row.get("dps") or "").strip()
            rows.append((measure, row.get("Topic"), row.get("Measure"), row.get("Polarity"), row.get("y_axis_name"),
                         row.get("Year_Type"), int(dps) if dps.isdigit() else None, row.get("Description")))
    if not rows:
        raise InputError(fix_hint(f"{path} lists no measures (no Measure_short column)",
                                  "point at LAIT's lait_data_dictionary.csv"))
    return rows


def _sheet(path: Path) -> list[tuple]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _region_key(name: str) -> str:
    """LAIT prints an authority's region as `Inner London`, the region's own row as `London (Inner)`."""
    key = name.strip().lower()
    return {"inner london": "london (inner)", "outer london": "london (outer)"}.get(key, key)


def _authorities(path: Path) -> list[tuple]:
    """(la_number, name, area_type, region, region_number, type) for every area of the LA code list."""
    rows = _sheet(path)
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    try:
        at = [header.index(name) for name in ("LA Number", "LA Name", "Region", "Type")]
    except ValueError:
        raise InputError(fix_hint(f"{path} has no LA Number, LA Name, Region and Type columns",
                                  "point at LAIT's la_code_list.xlsx")) from None
    areas = []
    for row in rows[1:]:
        number, name, region, kind = (row[i] for i in at)
        if number is None or name is None or "discontinued" in str(name):
            continue
        number = int(number)
        area_type = "england" if number == ENGLAND else "region" if number > ENGLAND else "la"
        areas.append([number, str(name).strip(), area_type, None if region in (None, "NA") else str(region).strip(),
                      None, None if kind in (None, "NA") else str(kind).strip()])
    regions = {_region_key(a[1]): a[0] for a in areas if a[2] == "region"}
    for area in areas:
        if area[3]:
            area[4] = regions.get(_region_key(area[3]))
    return [tuple(area) for area in areas]


def _neighbours(path: Path) -> list[tuple]:
    """(la_number, rank, neighbour, closeness) from the statistical neighbours sheet (columns SN1..SN10, SNP)."""
    rows = _sheet(path)
    for index, row in enumerate(rows):
        cells = [str(cell).strip() if cell is not None else "" for cell in row]
        if "SN1" in cells and "LA num" in cells:
            header, body = cells, rows[index + 1:]
            break
    else:
        raise InputError(fix_hint(f"{path} has no header row with `LA num` and `SN1`",
                                  "point at LAIT's statistical neighbours workbook (sn_*.xlsx)"))
    number_at = header.index("LA num")
    found = []
    for row in body:
        if row[number_at] is None:
            continue
        for rank in range(1, 11):
            at = header.index(f"SN{rank}")
            if at < len(row) and row[at] is not None:
                closeness = row[at + 1] if at + 1 < len(row) and header[at + 1] == "SNP" else None
                found.append((int(row[number_at]), rank, int(row[at]), closeness))
    return found


def _value_batches(path: Path, measures: Sequence[str] | None) -> Iterator[list[tuple]]:
    """(measure, la_number, year, value, mark) rows of the values file, in batches, typed."""
    try:
        import duckdb
    except ImportError:
        raise ConfigError(fix_hint("reading LAIT's parquet values file needs duckdb, which is not installed",
                                   "pip install 'kpi-extract[official]'")) from None
    sql = ('select "Short Desc", "LA Number", "Years", "Values" from read_parquet(?) '
           'where "Values" is not null and "LA Number" is not null')
    args: list = [str(path)]
    if measures:
        sql += ' and "Short Desc" in (' + ", ".join("?" * len(measures)) + ")"
        args += list(measures)
    try:
        connection = duckdb.connect()
        connection.execute("set enable_progress_bar = false")  # no bar drawn on the terminal
        cursor = connection.execute(sql, args)
    except duckdb.Error as exc:
        raise InputError(fix_hint(f"{path}: cannot read as LAIT's values file ({exc})",
                                  "point at LAIT's bds_long_0.parquet (columns Short Desc, Years, LA Number, Values)"
                                  )) from exc
    while chunk := cursor.fetchmany(BATCH):
        batch = []
        for measure, number, year, text in chunk:
            value, mark = typed(text)
            if value is not None or mark is not None:
                batch.append((measure, int(number), str(year).strip(), value, mark))
        yield batch


def load_official(store: Store, source: str | None = None, *, measures: Sequence[str] | None = None) -> LoadSummary:
    """Load LAIT's files from a folder or base URL (None: the live repository), replacing what was loaded before."""
    source = source or DEFAULT_SOURCE
    with tempfile.TemporaryDirectory(prefix="kpi-official-") as scratch:
        if re.match(r"https?://", source):
            folder = Path(scratch)
            _download(source, folder)
            snapshot = Snapshot(source, date.today().isoformat(), None)
        else:
            folder = Path(source)
            _check_folder(folder)
            snapshot = _folder_snapshot(folder)
        return _load_folder(store, folder, snapshot, tuple(measures) if measures else None)


def _load_folder(store: Store, folder: Path, snapshot: Snapshot, measures: tuple[str, ...] | None) -> LoadSummary:
    dictionary = _dictionary(folder / DICTIONARY)
    if measures:
        unknown = sorted(set(measures) - {row[0] for row in dictionary})
        if unknown:
            raise InputError(fix_hint(f"{', '.join(unknown)}: not a Measure_short of LAIT's data dictionary",
                                      "give keys from the dictionary's Measure_short column (indicators.csv's lait)"))
    areas = _authorities(folder / CODES)
    neighbours = _neighbours(folder / NEIGHBOURS)
    conn = store.db.conn
    values = suppressed = 0
    with store.transaction():
        for table in ("official_values", "official_neighbours", "official_authorities", "official_measures",
                      "official_snapshot"):
            conn.execute(f"delete from {table}")
        conn.executemany("insert into official_measures values (?, ?, ?, ?, ?, ?, ?, ?)", dictionary)
        conn.executemany("insert into official_authorities values (?, ?, ?, ?, ?, ?)", areas)
        conn.executemany("insert into official_neighbours values (?, ?, ?, ?)", neighbours)
        for batch in _value_batches(folder / VALUES, measures):
            conn.executemany("insert or replace into official_values values (?, ?, ?, ?, ?)", batch)
            values += len(batch)
            suppressed += sum(1 for row in batch if row[4] is not None)
        conn.execute("insert into official_snapshot (source, snapshot_date, snapshot_commit, loaded_at, "
                     "measures_filter, measures, \"values\", authorities) values (?, ?, ?, ?, ?, ?, ?, ?)",
                     (snapshot.source, snapshot.date, snapshot.commit, now(), ",".join(measures) if measures else None,
                      len(dictionary), values, len(areas)))
    return LoadSummary(snapshot, len(dictionary), values, suppressed, len(areas), len(neighbours), measures)
