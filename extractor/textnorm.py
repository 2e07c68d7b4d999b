"""Text normalisation shared by grounding and scoring (scoring.md section 1)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

# Typographic quotes and dashes folded to ASCII, per scoring.md.
_ASCII_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u00ad": "",
    }
)
_SPACE_RUN = re.compile(r"\s+")
_RUN = re.compile(r"\s+|\S+")
_WORD = re.compile(r"\S+")


def _fold(char: str) -> str:
    return unicodedata.normalize("NFKC", char).translate(_ASCII_FOLD)


def normalise(text: str) -> str:
    """Return text in scoring.md's canonical form: NFKC, ASCII quotes/dashes, single spaces."""
    folded = unicodedata.normalize("NFKC", text).translate(_ASCII_FOLD)
    return _SPACE_RUN.sub(" ", folded).strip()


class NormalisedText:
    """A document's normalised text with a map back to offsets in the original."""

    def __init__(self, original: str) -> None:
        self.original = original
        # Each character is normalised on its own (NFKC, then the ASCII fold). When every character
        # becomes exactly one, the folded text lines up with the original character for character:
        # the text is its words joined by single spaces, and the map back is only built when asked
        # for (validating a record needs the text alone). Otherwise, character by character.
        table = {c: _fold(c) for c in set(original) if not c.isascii()}
        if all(len(piece) == 1 for piece in table.values()):
            folded = original
            for char, piece in table.items():  # a few distinct characters: faster than str.translate
                if piece != char:
                    folded = folded.replace(char, piece)
            self._folded: str | None = folded
            self.text = " ".join(self._folded.split())
            self._map: list[int] | None = None
        else:
            self._folded = None
            self.text, self._map = _normalise_with_map(original)

    @property
    def _origin(self) -> list[int]:
        if self._map is None:
            assert self._folded is not None
            origin: list[int] = []
            for word in _WORD.finditer(self._folded):
                if origin:
                    origin.append(word.start())  # the single space stands for the whitespace before the word
                origin.extend(range(word.start(), word.end()))
            self._map = origin
        return self._map

    def find(self, fragment: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        """Locate a fragment (normalised first), optionally only within original [start, end);
        return its [start, end) span in normalised text."""
        needle = normalise(fragment)
        if not needle:
            return None
        low = bisect_left(self._origin, start) if start else 0
        high = len(self.text) if end is None else bisect_left(self._origin, end)
        at = self.text.find(needle, low, high)
        if at < 0:
            return None
        return at, at + len(needle)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised [start, end) span back to character offsets in the original text."""
        if start >= end:
            raise ValueError(f"empty span [{start}, {end})")
        return self._origin[start], self._origin[end - 1] + 1


def _normalise_with_map(original: str) -> tuple[str, list[int]]:
    """The normalised text, and for each of its characters the original offset it came from."""
    chars: list[str] = []
    origin: list[int] = []
    pending_space = False
    for run in _RUN.finditer(original):
        word, first = run.group(), run.start()
        if word[0].isspace():
            pending_space = bool(chars)
            continue
        if word.isascii():  # ASCII is its own NFKC form and folds to itself: the whole run at once
            if pending_space:
                chars.append(" ")
                origin.append(first)
                pending_space = False
            chars.append(word)
            origin.extend(range(first, run.end()))
            continue
        for index, char in enumerate(word, start=first):
            for out in _fold(char):
                if out.isspace():
                    pending_space = bool(chars)
                    continue
                if pending_space:
                    chars.append(" ")
                    origin.append(index)
                    pending_space = False
                chars.append(out)
                origin.append(index)
    return "".join(chars), origin
