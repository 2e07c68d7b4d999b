"""When a value was measured: its own period, its paragraph's, or the report's (records.md periods)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ...periods import PeriodMention, bounds, financial_year, find_periods


@dataclass(frozen=True)
class Timeline:
    """What a document says about time, for resolving a month or quarter printed without its year."""

    report: str | None = None  # the report period (canonical)
    meeting: str | None = None  # the meeting date (ISO)

    def _anchor(self) -> date | None:
        if self.report:
            return bounds(self.report)[1]
        if self.meeting:
            return date.fromisoformat(self.meeting)
        return None

    def resolve(self, mention: PeriodMention) -> str | None:
        """A mention's canonical period; a month or quarter without a year takes the latest one not
        after the report period (or the meeting date). A year never printed is never inferred."""
        if mention.canonical or mention.part is None:
            return mention.canonical
        anchor = self._anchor()
        if anchor is None:
            return None
        if mention.kind == "month_only":
            year = anchor.year if mention.part <= anchor.month else anchor.year - 1
            return f"{year:04d}-{mention.part:02d}"
        if mention.kind == "quarter_only":
            fy = financial_year(anchor)
            quarter = f"{fy}/{(fy + 1) % 100:02d} Q{mention.part}"
            if bounds(quarter)[0] > anchor:
                quarter = f"{fy - 1}/{fy % 100:02d} Q{mention.part}"
            return quarter
        return None

    def periods(self, text: str) -> list[PeriodMention]:
        """Every period printed in text, partial ones resolved where the document allows."""
        return [replace(p, canonical=self.resolve(p)) if p.canonical is None else p for p in find_periods(text)]

