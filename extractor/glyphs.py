"""Glyphs no reader can decode, private-use symbols and ligatures: read one way in every format.

A PDF glyph without a Unicode mapping reaches us as U+FFFD (our PDF reader's mark for it) or, in
text another tool extracted from a PDF, as pdfminer's '(cid:NNN)'. Word's symbol fonts put bullets
and signs in the private-use area (U+F0B7 is Symbol's bullet). The rule, the same for .txt, HTML,
.docx and PDF: such a glyph where a bullet stands (at a line's start, or between two sentences) is
a bullet; elsewhere it is dropped, except the few private-use signs whose meaning is known (Symbol's
>= and friends). Ligatures (U+FB00 to U+FB06) become their letters. The count of glyphs replaced
or dropped goes on the Document, so a reader can tell how much of a document was guessed.
"""

from __future__ import annotations

import re

BULLET = "\u2022"
# Word's Symbol font (U+F0xx = the font's byte xx): signs a figure may stand beside.
_SYMBOL_SIGNS = {
    "\uf025": "%", "\uf02b": "+", "\uf02d": "-", "\uf03c": "<", "\uf03d": "=", "\uf03e": ">",
    "\uf0a3": "\u2264", "\uf0b0": "\u00b0", "\uf0b1": "\u00b1", "\uf0b3": "\u2265", "\uf0b4": "\u00d7",
    "\uf0b8": "\u00f7", "\uf0b9": "\u2260", "\uf0bb": "\u2248", "\uf0ae": "\u2192",
}
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
              "\ufb06": "st"}
# An undecodable glyph: our PDF mark, pdfminer's text for it, or a private-use character of a
# symbol font (Symbol, Wingdings, ZapfDingbats in Word put theirs at U+F000 to U+F0FF).
_GLYPH = r"(?:\ufffd|\(cid:\d+\)|[\uf000-\uf0ff])"
# Where a bullet stands: at the start of a line (after its indent), or after a sentence's end
# (closing quotes or brackets allowed) and before the next sentence (a capital, digit, quote, bracket).
_AT_LINE_START = rf"(?:(?<=^)|(?<=\n))([ \t\u00a0]*)({_GLYPH}(?:[ \t\u00a0]*{_GLYPH})*)[ \t\u00a0]*"
_BETWEEN_SENTENCES = (rf"(?<=[.!?:;][\"')\]\u2019\u201d])([ \t\u00a0]*)({_GLYPH}(?:[ \t\u00a0]*{_GLYPH})*)"
                      rf"[ \t\u00a0]*(?=[\"'(\u2018\u201cA-Z0-9\u00a3])"
                      rf"|(?<=[.!?:;])([ \t\u00a0]*)({_GLYPH}(?:[ \t\u00a0]*{_GLYPH})*)[ \t\u00a0]*"
                      rf"(?=[\"'(\u2018\u201cA-Z0-9\u00a3])")
_BULLET_PLACE = re.compile(rf"{_AT_LINE_START}|{_BETWEEN_SENTENCES}", re.MULTILINE)
_ANY_GLYPH = re.compile(_GLYPH)
_DROPPED = re.compile(rf"([ \t]?)({_GLYPH})([ \t]?)")  # with the spaces either side: one is kept
_QUICK = re.compile(r"[\ufffd\uf000-\uf0ff\ufb00-\ufb06]|\(cid:")


def read_glyphs(text: str) -> tuple[str, int]:
    """The text with every undecodable or private-use glyph read by the rule above, ligatures as
    letters; and how many glyphs were replaced or dropped (ligatures not counted)."""
    if not _QUICK.search(text):
        return text, 0
    count = 0

    def bullet(match: re.Match[str]) -> str:
        nonlocal count
        indent = next(group for group in (match.group(1), match.group(3), match.group(5)) if group is not None)
        glyphs = next(group for group in (match.group(2), match.group(4), match.group(6)) if group is not None)
        found = _ANY_GLYPH.findall(glyphs)
        count += len(found)
        if all(glyph in _SYMBOL_SIGNS for glyph in found):  # a known sign where a bullet could stand: '>= 90%'
            return _ANY_GLYPH.sub(lambda m: _SYMBOL_SIGNS[m.group(0)], match.group(0))
        before = "" if match.start() == 0 or text[match.start() - 1] == "\n" else " "
        return f"{indent or before}{BULLET} "

    text = _BULLET_PLACE.sub(bullet, text)

    def other(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        before, glyph, after = match.groups()
        if glyph in _SYMBOL_SIGNS:
            return before + _SYMBOL_SIGNS[glyph] + after
        return " " if before and after else before + after

    text = _DROPPED.sub(other, text)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    return text, count
