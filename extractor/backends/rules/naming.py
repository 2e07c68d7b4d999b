"""Name what a number measures, in the document's own words, from the clause around it."""

from __future__ import annotations

import functools
import re

from ...numbers import DIGIT_NUMBER, NumberToken
from ...periods import find_periods
from .lexicon import SERVICE_NOUN
from .trimming import (
    about_lead,
    agent_verb,
    antecedent,
    cut_at_level,
    heading_prefix_end,
    is_anaphor,
    of_lead,
    pointed_at,
    qualifier,
    said_frame_end,
    those_named,
    tidy,
    title_prefix_end,
    trim_ends,
)

_CLAUSE_BREAK = re.compile(
    r";|,\s(?!(?:[\w-]+,?\s){1,2}(?:and|or)\s[\w-]+\b)(?!(?:and|or)\s[\w-]+(?:\s[\w-]+)?\s*(?:[,.;:(]|$))|"
    r"(?<!\bon)(?<!\bin)(?<!\bby)(?<!\bat)(?<!\bfor)(?<!\bto)"
    r"\s(?:which|while|whereas|but|although|however|this\s+was|this\s+is|compared|against|as\s+well\s+as|"
    r"in\s+comparison|down\s+from|up\s+from)\s|\s(?:and|with|from|including)\s(?P<figure>(?=(?:(?:was|were|is|are|had|has|"
    r"have|been|stood|stands|at|then|now|a|an|the|this|just|only|over|under|around|about|approximately|nearly|"
    r"almost|some|to|by|a\s+total\s+of|further|another)\s){0,2}?\d))",
    re.I,
)
_PERIOD_LEAD = r"(?:\b(?:in|at|as\s+at|at\s+the\s+end\s+of|on\s+the\s+(?:last|first)\s+day\s+of|by|during|for|since|between|of|to)\s+)?(?:the\s+)?(?:end\s+of\s+)?"
_RELATIVE = re.compile(
    r"\b(?:in\s+)?this\s+(?:quarter|year|month|period|reporting\s+year)\b|\byear\s+to\s+date\b|"
    r"\bcurrently\b|\bat\s+present\b|\b(?:in|during|over|for|so\s+far\s+in)\s+the\s+(?:last\s+|past\s+|previous\s+|"
    r"current\s+)?(?:quarter|year|month|period|reporting\s+period|financial\s+year)\b|"
    r"\b(?:at|by|as\s+at)\s+the\s+end\s+of\s+the\s+(?:quarter|year|month|period|financial\s+year)\b",
    re.I,
)
_LEADING = re.compile(
    r"^(?:\s*(?:there\s+(?:were|was|are|is|had\s+been|have\s+been|has\s+been)|a\s+further|"
    r"a\s+total\s+of|(?:largely\s+|mainly\s+|partly\s+)?(?:due\s+to|driven\s+by|because\s+of)|of\s+(?:our|the|those|these|which|whom)|of|our|the|which|with|and|were|was|"
    r"are|is|total|at|in|we\s+remain|it\s+has\s+resulted\s+in|to|by|total\s+of)\b[\s,:-]*)+",
    re.I,
)
# 'care plans were up to date' reads 'Care plans up to date'; 'children who were looked after' keeps it.
_AUXILIARY = re.compile(r"(?<!\bwho\s)(?<!\bthat\s)(?<!\bwhich\s)\b(?:were|was|are|is|have\s+been|has\s+been|had\s+been|been)\b\s*", re.I)
_RELATIVE_PRONOUN = re.compile(r"\b(?:who|whom|whose|that|which)\b", re.I)
_FRACTION = re.compile(r"\(\s*[\d,.]+\s*(?:/|out\s+of|of)\s*[\d,.]+(?:\s+[a-z'-]+){0,3}\s*(?:[,;]\s*[\d.]+\s*%\s*)?\)")
_STATUS_LEAD = re.compile(
    r"^.*?\b(?:in\s+the\s+(?:number|proportion|percentage|rate)\s+of|the\s+(?:\w+\s+)?(?:number|proportion|"
    r"percentage|rate)\s+of)\s+",
    re.I,
)
_MIN_WORDS = 1
_OF_WHICH = re.compile(r"\s*(?:%|per\s?cent\b)?\s*of\s+(?:which|whom)\s+(?:(?:were|was|are|is|had\s+been|have\s+been)\s+)?", re.I)
_PARTICIPLE = re.compile(r"^\w+ed(?:\s+(?:within|in|on|by|to|with|at|for|from|before|after)\b|$)", re.I)
_IN_RANGE = re.compile(r"^(?:[-\u2013/].*|.*[-\u2013/])$")  # '16-17', '2023/24': part of a name
_MAY_BE_TIME = re.compile(r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|quarter|year|month|week|spring|"
                          r"summer|autumn|winter|half|term|period|date|present|current", re.I)
_SERVICE = re.compile(rf"\b{SERVICE_NOUN}\b", re.I)
# Who said it is not what was measured: 'It was noted that', 'Members were pleased to note that'.
_FRAME = re.compile(
    r"^\s*(?:(?:it|members|the\s+(?:panel|committee|board|cabinet|director|report)|officers?|councillors?|we)\s+"
    r"(?:was|were|had\s+been|has\s+been)?\s*(?:also\s+)?(?:noted|reported|advised|informed|told|pleased\s+to\s+note|"
    r"highlighted|explained|confirmed|heard|stated|said|welcomed)\s+(?:that\s+)?|(?:noting|reporting)\s+that\s+)",
    re.I,
)
# A name made only of these words says nothing of what was measured ('210 to', 'Compared to').
_EMPTY_WORDS = {"to", "from", "in", "of", "at", "compared", "with", "the", "a", "an", "by", "on", "and", "than",
                "up", "down", "around", "about", "nearly", "over", "under", "this", "it", "which", "that",
                "there", "we", "they", "he", "she", "i", "you", "us", "them", "these", "those"}
_MOVE_VERB = re.compile(
    r"\s+(?:(?:had|has|have|was|were|is|are)\s+)?(?:\w+ly\s+)?(?:continued\s+to\s+)?(?:reduced|increased|decreased|"
    r"rose|risen|fell|fallen|dropped|improved|declined|grown|grew|stood|stands|remained|was|were|is|are)\b.*$",
    re.I,
)


def _clause(text: str, token: NumberToken, others: list[NumberToken]) -> tuple[int, int]:
    start, end = 0, len(text)
    values = [t.start for t in others] + [token.start]
    aside = _times_aside(text)
    for brk in _CLAUSE_BREAK.finditer(text):
        if brk.start() in aside:
            continue  # 'young people who, at the end of March, were living ...': a time set aside by commas
        digit = re.search(r"\d", text[brk.end():]) if brk.group("figure") is not None else None
        if digit and brk.end() + digit.start() not in values:
            continue  # 'children with 3 or more placement moves': a threshold of the name, not another value
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


@functools.lru_cache(maxsize=1024)
def _times_aside(text: str) -> frozenset[int]:
    """Offsets of the commas around a time set aside in a clause (', at the end of March,')."""
    commas = [m.start() for m in re.finditer(r",\s", text)]
    aside = set()
    for left, right in zip(commas, commas[1:], strict=False):
        between = text[left + 1: right]
        if len(between) < 40 and (re.match(r"\s*(?:excluding|including|not\s+including|i\.e\.|that\s+is)\s", between)
                                  or find_periods(between) and not _untimed(between).strip()):
            aside.update((left, right))
    return frozenset(aside)


@functools.lru_cache(maxsize=4096)
def _untimed(fragment: str) -> str:
    """The fragment without the periods and relative times it names ('in 2020-21', 'this quarter')."""
    if not _MAY_BE_TIME.search(fragment):
        return fragment  # find_periods is the costly part of naming: most fragments name no time
    for period in sorted(find_periods(fragment), key=lambda p: p.start, reverse=True):
        window = max(period.start - 48, 0)  # the lead is a few words: never scan the whole fragment
        lead = re.search(_PERIOD_LEAD + r"$", fragment[window: period.start], re.I)
        cut = window + lead.start() if lead and lead.group(0).strip() else period.start
        fragment = fragment[:cut] + " " + fragment[period.end:]
    return _RELATIVE.sub(" ", fragment)


@functools.lru_cache(maxsize=4096)
def _clean(fragment: str) -> str:
    fragment = _untimed(_FRACTION.sub(" ", " ".join(fragment.split())))
    fragment = re.sub(r"\(?\s*[\d,.]+\s*/\s*[\d,.]+\s*[,;]?\s*$", " ", fragment)  # '(22/27, ' before the value's 81%
    # Other values' numbers go; numbers that define the measure ('within 12 months') stay.
    fragment = re.sub(DIGIT_NUMBER.pattern + r"\s*(?:%|per\s?cent\b)", " ", fragment)
    fragment = re.sub(r"\s*(?:%|per\s?cent\b)", " ", fragment)
    fragment = re.sub(r"\(\s*(?:england|national(?:ly)?|target|statistical\s+neighbou?rs?|regional)?\s*\)", " ", fragment, flags=re.I)
    fragment = re.sub(r"\b(?:stood|stands|was|were|is|remained|remains)\s+at\s*$|\b(?:(?:has|have|had)\s+(?:now\s+)?)?(?:increased|decreased|rose|risen|fell|fallen|reduced|dropped|improved|declined|grown)\s+to\s*$|\b(?:down|up)\s+from\s*$", " ", fragment.strip(), flags=re.I)
    # '(from 22)', '(up from 71)': an earlier value in brackets is a comparison, not the name.
    fragment = re.sub(r"\(\s*(?:(?:up|down)\s+)?(?:from|was|compared\s+(?:to|with)|against|previously)\s+"
                      r"[\d,.]+\s*%?\s*\)", " ", fragment, flags=re.I)
    # '(last quarter 298)', '(target 90%': what a bracket opened after the value compares it with.
    fragment = re.sub(r"\(\s*(?:last|previous|prior|target|national|england|statistical|regional|compared|"
                      r"up|down|from|was)\b[^)]*\)?", " ", fragment, flags=re.I)
    fragment = re.sub(r"\(\s*[-\u2013/,.\s]*\)|\(\s*$|^\s*\)", " ", fragment)
    fragment = re.sub(r",(?:\s*,)+", ",", fragment)  # ', ,' where a time set aside was
    fragment = re.sub(r"\b(who|whom|which|that)\s*,\s", r"\1 ", fragment, flags=re.I)
    fragment = " ".join(fragment.split())
    fragment = _LEADING.sub("", fragment)
    relative = _RELATIVE_PRONOUN.search(fragment)
    at = relative.start() if relative else len(fragment)
    fragment = _AUXILIARY.sub("", fragment[:at]) + fragment[at:]
    fragment = re.sub(r"[\s,.;:(-]+$", "", fragment)
    fragment = re.sub(r"^[\s,.;:)-]+", "", fragment)
    return " ".join(fragment.split())


def _sentence_case(name: str) -> str:
    return name[:1].upper() + name[1:] if name else name


def _says_nothing(name: str) -> bool:
    words = re.findall(r"[A-Za-z]+", name.lower())
    return not words or all(word in _EMPTY_WORDS for word in words)


def _blank(text: str, upto: int) -> str:
    """The text with its first `upto` characters blanked, offsets kept."""
    return " " * upto + text[upto:]


def indicator_name(sentence: str, token: NumberToken, others: list[NumberToken], previous: str | None = None) -> str:
    """A short noun phrase naming what the number at token measures; `previous` names the measure of
    the paragraph's value before it, for a sentence that only points back at it ('this', 'the figure')."""
    original = sentence
    previous = _finish(_clean(previous)) if previous else None  # a heading as printed: '% of care leavers ...'
    # Who said it and the verb of speech are not what was measured: 'The Head of Service reported that',
    # 'It was explained to Members that'. Blanked, keeping offsets.
    framed = _FRAME.match(sentence)
    sentence = _blank(sentence, max(framed.end() if framed else 0, said_frame_end(sentence, token.start),
                                    title_prefix_end(sentence) if title_prefix_end(sentence) <= token.start else 0))
    sentence = _blank(sentence, heading_prefix_end(sentence))
    sentence = _blank(sentence, title_prefix_end(sentence))
    start, end = _clause(sentence, token, others)
    name, pointing, uncut = _clause_name(sentence, token, others, start, end)
    lead = _lead(sentence, original, token, start, name, previous)
    if lead:
        # 'Of the 52 care leavers aged 19-21, 38 were in suitable accommodation': the cohort is in the lead.
        name, pointing, uncut = _clause_name(sentence, token, others, start, end, lead)
    if pointing or _says_nothing(name) or is_anaphor(name):
        # 'In relation to care leavers in suitable accommodation, this stood at 61%'.
        lead = about_lead(original, token.start)
        named = _finish(_clean(lead)) if lead else ""
        if named and not _says_nothing(named):
            name, pointing = named, False
    if not _SERVICE.search(name):
        # 'the Service had exceeded the target (currently at 7.1%) in relation to the percentage of X'.
        lead = about_lead(original, len(original))
        named = _finish(_clean(lead)) if lead else ""
        name = named if named and _SERVICE.search(named) else name
    if pointing or is_anaphor(name):
        # 'Since then, this has increased to 80.5%': the measure of the paragraph's value before, or
        # else the clause as it reads.
        return _sentence_case(previous or _finish(_clean(uncut + " " + cut_at_level(sentence[token.end: end])[0]))
                              or "Unnamed measure")[:200]
    if _says_nothing(name) and start:
        # 'X was increasing, largely due to the number of Y, now standing at 48': the clause before.
        before = _finish(_clean(_STATUS_LEAD.sub("", cut_at_level(_previous_clause(sentence, start))[0])))
        name = before if not _says_nothing(before) and not is_anaphor(before) else name
    if _says_nothing(name):
        # 'Missing episodes reduced from 145 in Q1 to 98': name it from the clause's subject.
        subject = _finish(_clean(_MOVE_VERB.sub("", _STATUS_LEAD.sub("", sentence[:start]).strip())))
        name = subject if not _says_nothing(subject) else name
    if len(name.split()) < _MIN_WORDS:
        # Values in brackets or bare clauses: name them from what the sentence says before them.
        head = sentence[: start if start else token.start]
        head = head[: head.rfind("(")] if "(" in head else head
        fallback = _finish(_clean(_STATUS_LEAD.sub("", head)))
        name = f"{fallback} {name}".strip() if fallback else name
    name = those_named(name, sentence[:start])
    rate = _RATE_OF.match(name)
    if rate:
        # '263 children were subject to a plan, a rate of 41.2 per 10,000': the measure before, as a rate.
        rest = rate.group("rest").strip()
        if _SERVICE.search(re.sub(r"\bper\s+10,?000\s+children\b", "", rest, flags=re.I)):
            name = name if re.match(r"(?:an?\s+|the\s+)?rate\b", name, re.I) else rest  # 'Rate of children in need'
        elif previous:
            name = previous if re.search(r"\bper\s+10", previous, re.I) else f"{previous} per 10,000"
    return _sentence_case(name or "Unnamed measure")[:200]


_RATE_OF = re.compile(r"^(?:(?:(?:this|which|that|it)\s+)?(?:is\s+|was\s+)?(?:equivalent\s+to|equates\s+to|equated\s+to|(?:an?\s+)?rate\s+of|"
                      r"represents|represented|amounts\s+to|is\s+a\s+rate\s+of)|(?:an?\s+|the\s+)?rate\s+of)\b(?P<rest>.*)$",
                      re.I)


def _lead(sentence: str, original: str, token: NumberToken, start: int, name: str, previous: str | None) -> str:
    """Words before the value's clause that its name needs: the cohort of 'Of the care leavers aged
    19-21, 58% ...' ('Of the 52 care leavers ...' only where the clause names no one), what 'of which
    62 progressed to a referral' counts, the measure before for 'Of these, 13 attained ...', or the lead
    of 'With regard to care leavers, 64% were ...'."""
    if previous and not _SERVICE.search(name) and re.fullmatch(
            r"\s*(?:of|among|amongst)\s+(?:these|those|them)\s*,?\s*", sentence[:start], re.I):
        return previous
    of_which = re.search(r"\bof\s+(?:which|whom)\s*,?\s*$", sentence[: token.start], re.I)
    if of_which:
        return antecedent(_previous_clause(sentence, len(sentence[: of_which.start()].rstrip(" ,;"))))
    cohort = of_lead(sentence, start)
    if cohort and not _says_nothing(cohort) and not re.match(r"[\d,.]+\s", cohort):
        return cohort
    if _SERVICE.search(name):
        return ""
    if cohort:
        return re.sub(r"^[\d,.]+\s+", "", cohort)
    about = about_lead(original, token.start)
    return about if about and _SERVICE.search(about) else ""


def _clause_name(sentence: str, token: NumberToken, others: list[NumberToken], start: int, end: int,
                 lead: str = "") -> tuple[str, bool, str]:
    """The name the value's own clause gives (after `lead`, words from before the clause that belong
    to it), whether the clause only points back at a measure named elsewhere ('this remained similar
    at 9.3%'), and the words before the value as printed."""
    for other in others:  # another value's number is not part of this one's name ('438 children ... or 74')
        if other is not token and start <= other.start and other.end <= end and not _IN_RANGE.match(
                sentence[max(other.start - 1, 0): other.end + 1]):
            sentence = sentence[: other.start] + " " * (other.end - other.start) + sentence[other.end:]
    after = re.sub(r"^\s*(?:%|per\s?cent\b)\s*(?:of\s+)?", " ", sentence[token.end: end], flags=re.I)
    after = cut_at_level(after)[0]  # '(484 per 10,000) now being below the national average'
    before, levelled = cut_at_level(sentence[start: token.start])
    uncut = sentence[start: token.start]
    bracket = uncut.rfind("(")
    if bracket > uncut.rfind(")") and re.search(r"[A-Za-z]", uncut[bracket:]):
        # '... has had a 16.5% increase (from 2,553 to 2,973 visits) along with ...': the bracket ends it.
        after = after[: after.find(")")] if ")" in after else after
        after = "" if levelled else after
    elif bracket > uncut.rfind(")"):
        # '13 (37%) attained 5 GCSEs': the count before the bracket is the value's numerator, not its name.
        uncut = re.sub(r"(?:^|\s)[\d,.]+\s*\(\s*$", " ", uncut)
        before = before if levelled else uncut
        after = "" if levelled else after  # '... remained similar (131 occasions compared with 132)
    relative = _OF_WHICH.match(sentence, token.end)
    if relative and not _clean(uncut).strip():
        # 'All interviews were offered, 87.8% of which within 72 hours': what the clause before counts.
        stop = next((brk.start() for brk in _CLAUSE_BREAK.finditer(sentence, relative.end())), len(sentence))
        rest = _finish(_clean(cut_at_level(sentence[relative.end(): stop])[0]))
        if not _PARTICIPLE.match(rest):  # '18 of which are unaccompanied asylum-seekers': the rest names them
            return rest, False, uncut
        return _finish(f"{antecedent(_previous_clause(sentence, start))} {rest}"), False, uncut
    verb = agent_verb(uncut)
    if verb and not lead:  # 'had placed 23 children with in-house carers' -> 'Children placed with in-house carers'
        after = after.rstrip(" .;:,")
        if re.match(r"\s*(?:for|in|on)\s", after):  # 'the service had achieved 96% for visits ...': the visits
            return _finish(_clean(re.sub(r"^\s*(?:for|in|on)\s", "", after))), False, uncut
        split = re.search(r"\s(?:with|in|into|to|from|for|within|during|on|at|by|through|across|under|over|after|"
                          r"before|who|that|which)\s", after)
        at = split.start() if split else len(after)
        return _finish(_clean(f"{after[:at]} {verb}{after[at:]}")), False, uncut
    if levelled and is_anaphor(_clean(before)):
        return "", True, uncut  # 'this remained similar to last year at 9.3%': named in the lead, or before
    if levelled and not _says_nothing(_clean(before)):
        after = qualifier(_untimed(after))  # 'X has remained at 89% since ...': X
    else:
        before = uncut
    return _finish(_clean(lead + " " + before + " " + after)), False, uncut


def _previous_clause(sentence: str, start: int) -> str:
    """The clause before the one that starts at `start`."""
    head = sentence[:start]
    breaks = [brk.end() for brk in _CLAUSE_BREAK.finditer(head.rstrip(" ,;")) if brk.end() < len(head.rstrip(" ,;"))]
    return head[breaks[-1] if breaks else 0:]


@functools.lru_cache(maxsize=4096)
def _finish(name: str) -> str:
    return tidy(trim_ends(name))


def status_indicator(phrase: str, before: str = "") -> str:
    """A status-only record's name from the phrase that names the indicator; `before` is what its
    sentence says before it, which names the measure 'the numbers' or 'this' points back at."""
    name = _finish(_clean(_STATUS_LEAD.sub("", phrase)))
    if is_anaphor(name) or _says_nothing(name):
        named = pointed_at(before)
        name = _finish(_clean(named)) if named else name
    return _sentence_case(name or phrase.strip())[:200]
