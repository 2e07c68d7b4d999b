"""The canonical indicator catalogue (indicators.md): one row per measure, shipped inside the package.

The catalogue is `extractor/data/indicators.csv`, the spec's `indicators.csv` with the same ids,
names, units, polarity and LAIT keys (a test compares them); definitions and synonyms may grow.
Ids are stable: a measure is never renamed, only added or retired.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .errors import InputError, fix_hint

POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
DURATIONS = ("days", "weeks", "months")  # a duration row (unit days) takes any of these (indicators.md §2)


@dataclass(frozen=True)
class Indicator:
    """One measure of the catalogue."""

    id: str
    name: str
    unit: str
    polarity: str
    lait: str | None  # DfE LAIT's Measure_short for the same measure, where DfE publishes one
    definition: str
    synonyms: tuple[str, ...]

    def takes_unit(self, unit: str | None) -> bool:
        """Whether a record of this unit can report this measure (None: a status-only record, any row)."""
        if unit is None:
            return True
        if self.unit == "days":
            return unit in DURATIONS
        return unit == self.unit


def _catalogue_text() -> str:
    return resources.files("extractor.data").joinpath("indicators.csv").read_text("utf-8")


@cache
def catalogue() -> dict[str, Indicator]:
    """Every indicator of the catalogue by id, in the catalogue's order (service stage)."""
    rows: dict[str, Indicator] = {}
    for row in csv.DictReader(_catalogue_text().splitlines()):
        rows[row["id"]] = Indicator(
            id=row["id"], name=row["name"], unit=row["unit"], polarity=row["polarity"] or "neutral",
            lait=row["lait"] or None, definition=row["definition"],
            synonyms=tuple(s.strip() for s in row["synonyms"].split("|") if s.strip()),
        )
    return rows


@cache
def catalogue_digest() -> str:
    """A short hash of the catalogue's text: which version of it a database's copy holds."""
    return hashlib.sha256(_catalogue_text().encode("utf-8")).hexdigest()[:16]


def get_indicator(indicator_id: str) -> Indicator:
    """The catalogue row of an id, or an InputError naming it and where the ids are listed."""
    try:
        return catalogue()[indicator_id]
    except KeyError:
        raise InputError(unknown_id_message(indicator_id)) from None


def unknown_id_message(indicator_id: str) -> str:
    """What to say about an id the catalogue does not hold."""
    return fix_hint(f"indicator_id {indicator_id!r} is not in the canonical catalogue",
                    "use an id from 'kpi-extract indicators' (or null when no row is the measure)")
