"""A batch's manifest: for each file, where it was published and whose meeting it records.

A CSV with the columns path,url,authority,committee,meeting_date (only path is required; a path
is relative to the manifest's folder). What a row gives is stored on the document, exported with
every record, and overrides what is read from the text (records.md: meta from the text or a
manifest supplied by the user).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from .errors import InputError, fix_hint

COLUMNS = ("path", "url", "authority", "committee", "meeting_date")
GIVEN_META = ("authority", "committee", "meeting_date")  # the meta a user may give; url is the document's own


def meeting_date(value: str, where: str) -> str:
    """An ISO YYYY-MM-DD date as given, or InputError naming where it came from and the form wanted."""
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(fix_hint(f"{where}: meeting_date {value!r} is not a date",
                                  "write it as YYYY-MM-DD, e.g. 2024-03-18")) from None


def read_manifest(path: str | Path) -> dict[Path, dict[str, str]]:
    """Each listed file (resolved) with the values its row gives (url, authority, committee,
    meeting_date; empty cells left out); raise InputError naming the row for a missing file, a bad
    date, a repeated path or an unknown column."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: the manifest cannot be read ({exc})") from exc
    reader = csv.DictReader(text.splitlines())
    header = [name.strip() for name in reader.fieldnames or []]
    if "path" not in header:
        raise InputError(fix_hint(f"{path}: the manifest has no 'path' column (found: {', '.join(header) or 'none'})",
                                  f"start it with the header line {','.join(COLUMNS)}"))
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise InputError(fix_hint(f"{path}: unknown manifest column(s) {', '.join(unknown)}",
                                  f"use only {', '.join(COLUMNS)}"))
    sources: dict[Path, dict[str, str]] = {}
    for line, row in enumerate(reader, start=2):
        row = {(key or "").strip(): (value or "").strip() for key, value in row.items() if key}
        where = f"{path}, row {line}"
        if not row.get("path"):
            if any(row.values()):
                raise InputError(fix_hint(f"{where}: no path", "give the file's path, relative to the manifest"))
            continue  # a blank line
        file = (path.parent / row["path"]).resolve()
        if not file.is_file():
            raise InputError(fix_hint(f"{where}: {row['path']} does not exist (looked for {file})",
                                      "correct the path (relative to the manifest's folder) or remove the row"))
        if file in sources:
            raise InputError(fix_hint(f"{where}: {row['path']} is listed twice", "keep one row per file"))
        given = {key: row[key] for key in ("url", *GIVEN_META) if row.get(key)}
        if "meeting_date" in given:
            given["meeting_date"] = meeting_date(given["meeting_date"], where)
        sources[file] = given
    if not sources:
        raise InputError(fix_hint(f"{path}: the manifest lists no files", "add one row per file under the header"))
    return sources
