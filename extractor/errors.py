"""The exception tree: every error says what went wrong, where, and what to do about it."""

from __future__ import annotations


class ExtractorError(Exception):
    """Base class for every error kpi-extract raises on purpose."""


class ConfigError(ExtractorError):
    """The tool is configured wrongly (missing key, unknown backend, bad option)."""


class EndpointError(ConfigError):
    """The model endpoint cannot be used as configured (unreachable, key refused, unknown model): the
    batch stops, since every document would fail the same way."""


class InputError(ExtractorError):
    """An input file cannot be read or is not what it claims to be."""


class ExtractionFailed(ExtractorError):
    """A backend could not produce records for a document."""


class StoreError(ExtractorError):
    """The SQLite database cannot be opened, migrated or written."""


class GoldError(ExtractorError):
    """A gold or prediction file breaks the kpi-records/1 contract."""


def fix_hint(problem: str, fix: str) -> str:
    """Join a problem and the action that fixes it into one message."""
    return f"{problem}. Fix: {fix}"


class CorrectionsError(ExtractorError):
    """A kpi-corrections/1 file cannot be read or applied (wrong format, unknown or changed document,
    a record that is not grounded): nothing is written."""
