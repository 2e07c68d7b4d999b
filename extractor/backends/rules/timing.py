"""When a value was measured: its own period, its paragraph's, or the report's (records.md periods)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from ...periods import PeriodMention, bounds, financial_year, find_periods

# Mentions that say when, relative to the meeting: never the report's period.
MEETING_RELATIVE = ("meeting_day", "since_last")
_SNAPSHOT = re.compile(r"\b(?:as\s+(?:at|of)|at\s+the\s+end\s+of|end\s+of|ending|ended|to|until|up\s+to|by)\s+"
                       r"(?:the\s+)?$", re.I)
_MET_ON = re.compile(r"\b(?:meetings?|met|held|dated|convened|session|committee|panel|board|cabinet)\s+(?:held\s+)?"
                     r"(?:on\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:the\s+)?$", re.I)


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

    def _month(self, month: int, anchor: date) -> str:
        year = anchor.year if month <= anchor.month else anchor.year - 1
        return f"{year:04d}-{month:02d}"

    def _quarter(self, part: int, anchor: date) -> str:
        """A quarter without its year takes the report's financial year ('Quarter 3' in a 2023/24 Q2
        report is 2023/24 Q3), stepping back a year only when that quarter had not begun by the
        meeting (or the report's end, without one). With no report period, the meeting's year."""
        fy = financial_year(bounds(self.report)[0] if self.report else anchor)
        quarter = f"{fy}/{(fy + 1) % 100:02d} Q{part}"
        latest = max(anchor, date.fromisoformat(self.meeting)) if self.meeting else anchor
        if bounds(quarter)[0] > latest:
            quarter = f"{fy - 1}/{fy % 100:02d} Q{part}"
        return quarter

    def resolve(self, mention: PeriodMention) -> str | None:
        """A mention's canonical period; a month without a year takes the latest one not after the
        report period (or the meeting date); a quarter, the report's financial year. 'As at today' is
        the meeting's date. A year never printed is never inferred."""
        if mention.canonical:
            return mention.canonical
        if mention.kind == "meeting_day":
            return self.meeting
        if mention.part is None:
            return None
        anchor = self._anchor()
        if anchor is None:
            return None
        if mention.kind == "month_only":
            return self._month(mention.part, anchor)
        if mention.kind == "months_only" and mention.last_part:
            last = self._month(mention.last_part, anchor)
            first_year = int(last[:4]) - (1 if mention.part > mention.last_part else 0)
            return f"{first_year:04d}-{mention.part:02d}..{last}"
        if mention.kind == "quarter_only":
            return self._quarter(mention.part, anchor)
        return None

    def periods(self, text: str) -> list[PeriodMention]:
        """Every period printed in text, partial ones resolved where the document allows. The date of a
        meeting ('at its meeting on 12 October 2021', the meeting's own date) dates no figure (its digits
        are still no value), unless it is a snapshot ('as at 9 November 2021')."""
        return [replace(p, canonical=None, kind="meeting_date") if self._meeting_date(text, p)
                else replace(p, canonical=self._since(text, p, self.resolve(p))) if p.canonical is None else p
                for p in find_periods(text)]

    def _since(self, text: str, mention: PeriodMention, month: str | None) -> str | None:
        """'Since April' in a report to September is April to September, not April."""
        said = text[mention.start:mention.end].lower()
        if month is None or mention.kind != "month_only" or not said.startswith("since"):
            return month
        anchor = self._anchor()
        end = f"{anchor.year:04d}-{anchor.month:02d}" if anchor else None
        return f"{month}..{end}" if end and end > month else month

    def _meeting_date(self, text: str, mention: PeriodMention) -> bool:
        if mention.kind != "date":
            return False
        lead = text[max(0, mention.start - 40):mention.start]
        if _SNAPSHOT.search(lead):
            return False
        return mention.canonical == self.meeting or bool(_MET_ON.search(lead))
