"""Reading numbers as printed: digits with separators, number words, and 'none' for zero."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_ZERO_WORDS = ("no", "none", "nil")

_WORD = r"(?:" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True)) + r")"
_WORD_NUMBER = (
    rf"(?:(?:{_WORD})(?:\s+hundred)?(?:(?:\s+and\s+|\s+)?{_WORD})?(?:[-\s]{_WORD})?"
    rf"|(?:a|one)\s+hundred(?:\s+and\s+{_WORD}(?:-{_WORD})?)?)"
)
# A digit number: 1,554 / 1554 / 93.4 ; never part of a longer number. Letters may touch it:
# OCR joins words to digits ('were12', '13in'), which still print their number (scoring.md).
DIGIT_NUMBER = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,]\d)")
WORD_NUMBER = re.compile(rf"(?<![\w-])({_WORD_NUMBER})(?![\w-])", re.IGNORECASE)
# Dates and times print no value (scoring.md): three or more numbers joined by the same '/', '.'
# or '-' ('18/04/2018', '07.02.22', '2023-11-05'), or two joined by ':' ('10:30').
DATE_OR_TIME = re.compile(
    r"(?<![\d.,/:-])\d+(?P<sep>[/.-])\d+(?:(?P=sep)\d+)+(?![\d])"
    r"|(?<![\d.,:])\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
)


@dataclass(frozen=True)
class NumberToken:
    """One number as printed in a text: where it is, what it says, and its value."""

    start: int
    end: int
    text: str
    value: float
    is_word: bool = False
    letters_before: str = ""
    letters_after: str = ""

    @property
    def is_integer(self) -> bool:
        """True when the printed number has no decimal part."""
        return "." not in self.text


def parse_digits(text: str) -> float:
    """Parse a printed digit number such as '1,554' or '93.4'."""
    return float(text.replace(",", ""))


def parse_words(text: str) -> int | None:
    """Parse an English number phrase ('seven', 'Forty-three', 'one hundred and five'); None if not one."""
    words = re.split(r"[\s-]+", text.lower().strip())
    words = [w for w in words if w != "and"]
    if not words:
        return None
    total = 0
    current = 0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "a":
            current += 0
        else:
            return None
    total += current
    return total


def date_and_time_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every date or time written in digits: its numbers print no value."""
    return [m.span() for m in DATE_OR_TIME.finditer(text)]


def _touching_letters(text: str, start: int, end: int) -> tuple[str, str]:
    before = re.search(r"[A-Za-z]+$", text[max(0, start - 20):start])
    after = re.match(r"[A-Za-z]+", text[end:end + 20])
    return (before.group(0) if before else ""), (after.group(0) if after else "")


def find_numbers(text: str, *, words: bool = True) -> list[NumberToken]:
    """Every number printed in text, digits and (optionally) number words, in order.

    Digits inside a date or time are not numbers; digits touching letters are, with the letters
    kept on the token so a caller can tell 'were12' (OCR) from 'NG2' (a code).
    """
    dates = date_and_time_spans(text)
    found = []
    for m in DIGIT_NUMBER.finditer(text):
        if any(start <= m.start() and m.end() <= end for start, end in dates):
            continue
        before, after = _touching_letters(text, m.start(), m.end())
        found.append(NumberToken(m.start(), m.end(), m.group(0), parse_digits(m.group(0)), False, before, after))
    if words:
        for m in WORD_NUMBER.finditer(text):
            value = parse_words(m.group(1))
            if value is not None and m.group(1).lower() != "a":
                found.append(NumberToken(m.start(), m.end(), m.group(1), float(value), True))
    return sorted(found, key=lambda token: token.start)


def same_value(a: float | None, b: float | None) -> bool:
    """Values match as scoring.md says: both null, or equal after rounding to 3 places."""
    if a is None or b is None:
        return a is None and b is None
    return round(float(a), 3) == round(float(b), 3)


def _scoring_word_values(text: str) -> set[float]:
    """Number words scoring.md accepts as printed: up to ninety-nine, and 'one hundred'."""
    values: set[float] = set()
    for m in WORD_NUMBER.finditer(text):
        value = parse_words(m.group(1))
        if value is not None and 0 <= value <= 100:
            values.add(float(value))
    return values


_MINUS = re.compile(r"(?:^|[\s(:=])[-\u2212\u2013]\s?$|^[-\u2212\u2013]$")


def text_contains_value(text: str, value: float) -> bool:
    """Whether a text prints a value: digits (with or without separators), number words, or none/nil for 0."""
    target = round(float(value), 3)
    tokens = find_numbers(text, words=False)
    if any(round(t.value, 3) == target for t in tokens):
        return True
    if target < 0 and any(round(t.value, 3) == -target and _MINUS.search(text[max(0, t.start - 2):t.start])
                          for t in tokens):
        return True  # 'a Progress 8 score of -1.12': a negative value printed with its sign
    if target in _scoring_word_values(text):
        return True
    if target == 0:
        return re.search(r"\b(?:" + "|".join(_ZERO_WORDS) + r")\b", text, re.IGNORECASE) is not None
    return False


# OCR's damage to numbers: 'O'/'o' read for 0 and 'l'/'I'/'|' for 1. Mended only where the reading
# is unambiguous: inside a run of digits (its first and last characters digits: '2O23', '1l5',
# '1,O54'), or as a run's last figures before '%' ('9O%'). A code such as 'NG2', or 'l0' opening a
# word, is left as printed.
_OCR_RUN = re.compile(r"\d[\dOolI|,.]*\d|\d[\dOo,.]*[Oo](?=%)")
_OCR_DIGIT = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})


def ocr_digits(text: str) -> str:
    """Text with the letters OCR read for digits inside numbers put back as digits (same length, so
    offsets hold): '2O23' -> '2023', '1l5' -> '115', '9O%' -> '90%'."""
    return _OCR_RUN.sub(lambda m: m.group(0).translate(_OCR_DIGIT), text)
