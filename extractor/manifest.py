"""A batch's manifest: for each file, where it was published and whose meeting it records.

A CSV with the columns path,url,authority,committee,meeting_date (only path is required; a path
is relative to the manifest's folder, and a bare file name not found there is looked for among the
batch's own files). Common other names for them are read as them (file, council, date, link, ...);
a column that names nothing the tool reads (a spreadsheet's own notes) is ignored and said so, but
one that looks like a misspelt column is an error. What a row gives is stored on the document,
exported with every record, and overrides what is read from the text (records.md: meta from the
text or a manifest supplied by the user).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process

from .errors import InputError, fix_hint

COLUMNS = ("path", "url", "authority", "committee", "meeting_date")
GIVEN_META = ("authority", "committee", "meeting_date")  # the meta a user may give; url is the document's own
# Other names spreadsheets and earlier tools give the same columns.
ALIASES = {
    "file": "path", "filename": "path", "file_name": "path", "document": "path",
    "council": "authority", "local_authority": "authority", "la": "authority", "la_name": "authority",
    "date": "meeting_date", "meeting": "meeting_date", "meeting date": "meeting_date",
    "link": "url", "source": "url", "source_url": "url", "address": "url",
}
_MISSPELT = 80  # an unknown column this close to a known name is taken for a typo of it, not for a note


def meeting_date(value: str, where: str) -> str:
    """An ISO YYYY-MM-DD date as given, or InputError naming where it came from and the form wanted."""
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(fix_hint(f"{where}: meeting_date {value!r} is not a date",
                                  "write it as YYYY-MM-DD, e.g. 2024-03-18")) from None


def _columns(path: Path, header: list[str], on_note: Callable[[str], None] | None) -> dict[str, str]:
    """Each header name the tool reads, mapped to its column; notes the ignored ones; InputError for a
    missing path column, a column given twice, or a name that looks like a misspelt column."""
    known = [*COLUMNS, *ALIASES]
    mapped: dict[str, str] = {}
    ignored = []
    for name in header:
        column = name if name in COLUMNS else ALIASES.get(name.lower())
        if column is None:
            close = process.extractOne(name.lower(), known, scorer=fuzz.ratio, score_cutoff=_MISSPELT)
            if close:
                raise InputError(fix_hint(f"{path}: unknown manifest column {name!r}",
                                          f"did you mean {ALIASES.get(close[0], close[0])!r}? The columns are "
                                          f"{', '.join(COLUMNS)}"))
            ignored.append(name)
            continue
        if column in mapped.values():
            raise InputError(fix_hint(f"{path}: two columns give {column} ({name!r} and another)", "keep one"))
        mapped[name] = column
    if "path" not in mapped.values():
        raise InputError(fix_hint(f"{path}: the manifest has no 'path' column (found: {', '.join(header) or 'none'})",
                                  f"start it with the header line {','.join(COLUMNS)}"))
    if ignored and on_note is not None:
        on_note(f"{path}: column(s) {', '.join(ignored)} ignored (the manifest's columns are {', '.join(COLUMNS)})")
    return mapped


def _found_among(name: str, search: Iterable[Path]) -> list[Path]:
    """The files of the batch's folders named name (a manifest may list bare file names)."""
    found: list[Path] = []
    for folder in search:
        if folder.is_file() and folder.name == name:
            found.append(folder.resolve())
        elif folder.is_dir():
            found += [candidate.resolve() for candidate in folder.rglob(name) if candidate.is_file()]
    return sorted(set(found))


def read_manifest(path: str | Path, *, search: Iterable[str | Path] = (),
                  on_note: Callable[[str], None] | None = None) -> dict[Path, dict[str, str]]:
    """Each listed file (resolved) with the values its row gives (url, authority, committee,
    meeting_date; empty cells left out); raise InputError naming the row for a missing file, a bad
    date, a repeated path or a misspelt column. A path not found beside the manifest is looked for,
    by its file name, among the files and folders in search (the batch's paths); on_note is told of
    columns ignored."""
    path = Path(path)
    folders = [Path(item) for item in search]
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: the manifest cannot be read ({exc})") from exc
    reader = csv.DictReader(text.splitlines())
    columns = _columns(path, [name.strip() for name in reader.fieldnames or []], on_note)
    sources: dict[Path, dict[str, str]] = {}
    for line, row in enumerate(reader, start=2):
        row = {columns[key.strip()]: (value or "").strip() for key, value in row.items()
               if key and key.strip() in columns}
        where = f"{path}, row {line}"
        if not row.get("path"):
            if any(row.values()):
                raise InputError(fix_hint(f"{where}: no path", "give the file's path, relative to the manifest"))
            continue  # a blank line
        file = (path.parent / row["path"]).resolve()
        if not file.is_file() and folders and Path(row["path"]).name == row["path"]:
            found = _found_among(row["path"], folders)
            if len(found) > 1:
                raise InputError(fix_hint(f"{where}: {row['path']} names {len(found)} files of the batch",
                                          "give its path relative to the manifest's folder"))
            file = found[0] if found else file
        if not file.is_file():
            raise InputError(fix_hint(f"{where}: {row['path']} does not exist (looked for {file}"
                                      + (" and among the batch's files)" if folders else ")"),
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
