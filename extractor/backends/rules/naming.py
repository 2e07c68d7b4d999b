"""Name what a number measures, in the document's own words, from the clause around it."""

from __future__ import annotations

import re

from ...numbers import DIGIT_NUMBER, NumberToken
from ...periods import find_periods

_CLAUSE_BREAK = re.compile(
    r";|,\s|\s(?:which|while|whereas|but|although|however|this\s+was|this\s+is|compared|against|"
    r"in\s+comparison|down\s+from|up\s+from)\s|\s(?:and|with|from)\s(?=(?:[\w-]+\s){0,2}?\d)",
    re.I,
)
_PERIOD_LEAD = r"(?:\b(?:in|at|as\s+at|at\s+the\s+end\s+of|by|during|for|since|between|of|to)\s+)?(?:the\s+)?(?:end\s+of\s+)?"
_RELATIVE = re.compile(
    r"\b(?:in\s+)?this\s+(?:quarter|year|month|period|reporting\s+year)\b|\byear\s+to\s+date\b|"
    r"\bcurrently\b|\bat\s+present\b",
    re.I,
)
_LEADING = re.compile(
    r"^(?:\s*(?:there\s+(?:were|was|are|is|had\s+been|have\s+been|has\s+been)|a\s+further|"
    r"a\s+total\s+of|of\s+(?:our|the|those|these|which|whom)|of|our|the|which|with|and|were|was|"
    r"are|is|total|at|in|we\s+remain|it\s+has\s+resulted\s+in|to|by|total\s+of)\b[\s,:-]*)+",
    re.I,
)
_AUXILIARY = re.compile(r"\b(?:were|was|are|is|have\s+been|has\s+been|had\s+been|been)\b\s*", re.I)
_FRACTION = re.compile(r"\(\s*[\d,.]+\s*(?:/|out\s+of|of)\s*[\d,.]+\s*\)")
_STATUS_LEAD = re.compile(
    r"^.*?\b(?:in\s+the\s+(?:number|proportion|percentage|rate)\s+of|the\s+(?:number|proportion|"
    r"percentage|rate)\s+of)\s+",
    re.I,
)
_MIN_WORDS = 1
# Who said it is not what was measured: 'It was noted that', 'Members were pleased to note that'.
_FRAME = re.compile(
    r"^\s*(?:(?:it|members|the\s+(?:panel|committee|board|cabinet|director|report)|officers?|councillors?|we)\s+"
    r"(?:was|were|had\s+been|has\s+been)?\s*(?:also\s+)?(?:noted|reported|advised|informed|told|pleased\s+to\s+note|"
    r"highlighted|explained|confirmed|heard|stated|said|welcomed)\s+(?:that\s+)?|(?:noting|reporting)\s+that\s+)",
    re.I,
)
# A name made only of these words says nothing of what was measured ('210 to', 'Compared to').
_EMPTY_WORDS = {"to", "from", "in", "of", "at", "compared", "with", "the", "a", "an", "by", "on", "and", "than",
                "up", "down", "around", "about", "nearly", "over", "under", "this", "it", "which", "that"}
_MOVE_VERB = re.compile(
    r"\s+(?:(?:had|has|have|was|were|is|are)\s+)?(?:\w+ly\s+)?(?:continued\s+to\s+)?(?:reduced|increased|decreased|"
    r"rose|risen|fell|fallen|dropped|improved|declined|grown|grew|stood|stands|remained|was|were|is|are)\b.*$",
    re.I,
)


def _clause(text: str, token: NumberToken, others: list[NumberToken]) -> tuple[int, int]:
    start, end = 0, len(text)
    for brk in _CLAUSE_BREAK.finditer(text):
        if brk.end() <= token.start:
            start = brk.end()
        elif brk.start() >= token.end:
            end = brk.start()
            break
    for other in others:
        if other.start >= token.end and other.start < end and other is not token:
            end = other.start
            break
    return start, end


def _clean(fragment: str) -> str:
    fragment = _FRACTION.sub(" ", fragment)
    for period in sorted(find_periods(fragment), key=lambda p: p.start, reverse=True):
        lead = re.search(_PERIOD_LEAD + r"$", fragment[: period.start], re.I)
        cut = lead.start() if lead and lead.group(0).strip() else period.start
        fragment = fragment[:cut] + " " + fragment[period.end:]
    fragment = _RELATIVE.sub(" ", fragment)
    # Other values' numbers go; numbers that define the measure ('within 12 months') stay.
    fragment = re.sub(DIGIT_NUMBER.pattern + r"\s*(?:%|per\s?cent\b)", " ", fragment)
    fragment = re.sub(r"\s*(?:%|per\s?cent\b)", " ", fragment)
    fragment = re.sub(r"\(\s*(?:england|national(?:ly)?|target|statistical\s+neighbou?rs?|regional)?\s*\)", " ", fragment, flags=re.I)
    fragment = re.sub(r"\b(?:stood|stands|was|were|is|remained|remains)\s+at\s*$|\b(?:(?:has|have|had)\s+(?:now\s+)?)?(?:increased|decreased|rose|risen|fell|fallen|reduced|dropped|improved|declined|grown)\s+to\s*$|\b(?:down|up)\s+from\s*$", " ", fragment.strip(), flags=re.I)
    fragment = re.sub(r"\(\s*\)|\(\s*$|^\s*\)", " ", fragment)
    fragment = " ".join(fragment.split())
    fragment = _LEADING.sub("", fragment)
    fragment = _AUXILIARY.sub("", fragment)
    fragment = re.sub(r"[\s,.;:(-]+$", "", fragment)
    fragment = re.sub(r"^[\s,.;:)-]+", "", fragment)
    return " ".join(fragment.split())


def _sentence_case(name: str) -> str:
    return name[:1].upper() + name[1:] if name else name


def _says_nothing(name: str) -> bool:
    words = re.findall(r"[A-Za-z]+", name.lower())
    return not words or all(word in _EMPTY_WORDS for word in words)


def indicator_name(sentence: str, token: NumberToken, others: list[NumberToken]) -> str:
    """A short noun phrase naming what the number at token measures."""
    framed = _FRAME.match(sentence)
    if framed:  # blank the reporting frame, keeping offsets
        sentence = " " * framed.end() + sentence[framed.end():]
    start, end = _clause(sentence, token, others)
    after = re.sub(r"^\s*(?:%|per\s?cent\b)\s*(?:of\s+)?", " ", sentence[token.end: end], flags=re.I)
    name = _clean(sentence[start: token.start] + " " + after)
    if _says_nothing(name):
        # 'Missing episodes reduced from 145 in Q1 to 98': name it from the clause's subject.
        subject = _clean(_MOVE_VERB.sub("", _STATUS_LEAD.sub("", sentence[:start]).strip()))
        name = subject if not _says_nothing(subject) else name
    if len(name.split()) < _MIN_WORDS:
        # Values in brackets or bare clauses: name them from what the sentence says before them.
        head = sentence[: start if start else token.start]
        head = head[: head.rfind("(")] if "(" in head else head
        fallback = _clean(_STATUS_LEAD.sub("", head))
        name = f"{fallback} {name}".strip() if fallback else name
    return _sentence_case(name or "Unnamed measure")[:200]


def status_indicator(phrase: str) -> str:
    """A status-only record's name from the phrase that names the indicator."""
    name = _clean(_STATUS_LEAD.sub("", phrase))
    return _sentence_case(name or phrase.strip())[:200]
