"""The review page's judging and editing: the hooks review.py calls, and the script and styles it inlines.

The script (`data/review_edit.js`) and styles (`data/review_edit.css`) ship in the package and are
inlined into the page, which stays one self-contained file. Each record row carries its fields as
JSON (`data-rec`) and its key (`data-k`, corrections.record_key); each document section its content
hash, name, path and report period. Decisions live in the browser's localStorage, keyed by the
database and the document's content hash; "Save corrections" downloads a kpi-corrections/1 file.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from .corrections import record_key
from .exports import kpi_record
from .indicators import catalogue
from .schema import BASES, UNITS

HELP = ("a accept &middot; r reject &middot; e edit &middot; n new from selected text &middot; u undo &middot; "
        "j / k next / previous")


@cache
def _asset(name: str) -> str:
    return resources.files("extractor.data").joinpath(name).read_text("utf-8")


def style() -> str:
    """The editing UI's CSS, to inline after the page's own."""
    return _asset("review_edit.css")


def script() -> str:
    """The editing UI's script, with the catalogue and vocabularies it offers, to inline after the page's."""
    said = {"catalogue": [[row.id, row.name, row.unit] for row in catalogue().values()], "units": list(UNITS),
            "bases": list(BASES)}
    # '</' never closes the script early, whatever a catalogue name holds.
    return "var KPI_REVIEW = " + json.dumps(said).replace("</", "<\\/") + ";\n" + _asset("review_edit.js")


def body_attributes(database: str) -> str:
    """The body's attributes: which database the page shows (decisions are kept per database)."""
    return f" data-db='{escape(str(Path(database).resolve()), quote=True)}'"


def toolbar() -> str:
    """The header's judging tools: how much is judged, the keys, and 'Save corrections'."""
    return ("<span id='judged-total' class='judged'></span>"
            "<button id='save-corrections' type='button' title='Download corrections.json (kpi-corrections/1): "
            "only your decisions'>Save corrections</button>"
            f"<small class='keys'>{HELP}</small>")


def section_attributes(stored: dict[str, Any]) -> str:
    """A document section's attributes: content hash, name, path and report period (a new record's default)."""
    meta = json.loads(stored.get("meta") or "{}")
    period = meta.get("report_period") or ""
    return (f" data-sha='{escape(stored['id'], quote=True)}' data-doc='{escape(stored['name'], quote=True)}'"
            f" data-path='{escape(stored.get('path') or '', quote=True)}' data-period='{escape(period, quote=True)}'")


def row_attributes(record: dict[str, Any]) -> str:
    """A record row's attributes: its key, its fields as JSON, and a person's review stored with it."""
    fields = kpi_record(record)
    fields.pop("ocr", None)
    fields.pop("reviewed", None)
    said = f"data-k='{record_key(record)}' data-rec='{escape(json.dumps(fields, ensure_ascii=False), quote=True)}' "
    if record.get("review"):
        said += (f"data-review='{escape(record['review'], quote=True)}' "
                 f"data-reviewer='{escape(record.get('reviewed_by') or '', quote=True)}' ")
    return said
