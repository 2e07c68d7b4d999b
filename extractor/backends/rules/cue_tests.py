"""The cue table's tests of context: what a number's own characters, its clause and the periods around it
say, and the vocabularies the cues share (cues.py holds the table itself)."""

from __future__ import annotations

import re

from .lexicon import NON_SERVICE_NOUN, PARTY, PERSON_NOUN, RAG_LABEL, REPORT_NOUN, SERVICE_NOUN
from .reading import CLAUSE_END, Reading, attached_period

_I = re.IGNORECASE


def re_(pattern: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# --- structural tests: what the number's own characters and the periods around it say ------------

def code(r: Reading) -> bool:
    """Digits inside a code or reference: 'NG2 3NG', 'S17', '12A', 'CS/11/97', 'Q2'."""
    before, after = r.token.letters_before, r.token.letters_after
    ocr_before = len(before) >= 2 and before.islower()
    if before and not ocr_before:
        return True
    if after and (after.isupper() or len(after) == 1) and after.lower() not in ("k", "m"):
        return True
    return bool(re.search(r"[A-Za-z]{1,4}/(?:\d+/)?$|\b[A-Z]{1,4}\s\d{2,4}/$|^\s*\d{1,3}/$", r.before)
                or re.match(r"/[A-Za-z]|/\d+/[A-Za-z]|/0\d", r.after))


def ordinal(r: Reading) -> bool:
    return r.token.letters_after.lower() in ("st", "nd", "rd", "th")


def item_number(r: Reading) -> bool:
    """A number opening a line before a title: '43 Performance Reporting', '3.1- 15% gap', '108. Minutes'."""
    if r.before.strip() or r.percent:
        return False
    if (re.match(r"\s*[-\u2013.)]", r.after) and "." in r.token.text) or re.match(r"[.)]\s+[A-Z]", r.after):
        return True
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){1,2}", r.token.text) and re.match(r"\s+(?:[A-Z]|\d)", r.after):
        return True  # a report's paragraph number: '1.2 The directorate is forecasting ...', '5.2 100% of ...'
    if r.token.is_integer and re.match(r"\s+[A-Z][A-Z'\u2019&,\s-]{3,}(?:\n|$)", r.after):
        return True  # a minute's number before a title in capitals: '114 EXCLUSION OF THE PRESS AND PUBLIC'
    if r.token.is_integer and re.match(r"/\d{2}\s+[A-Z]", r.after):
        return True  # a minute numbered within its year: '20/24 Health of Children in Care Annual Report'
    title = re.match(r"\s+([A-Z][\w'\u2019-]*)\s+(?:(?:and|of|&|-)\s+)?[A-Z]", r.after)
    return bool(title) and r.token.is_integer and not re.fullmatch(SERVICE_NOUN, title.group(1), _I)


_REPORT_COUNT = re_(
    r"^\s*%?\s*\)?\s*(?:\([^)]{0,20}\)\s*)?(?:(?:out\s+)?of\s+(?:the\s+|our\s+|its\s+|these\s+|those\s+|all\s+)?"
    r"(?:[\w-]+\s+)?)?(?:['\u2018\u2019\"]?[\w'\u2019-]+['\u2018\u2019\"]?\s+){0,3}?"
    # 'section 47 enquiries', 'strategy discussions', 'step-downs' are a service's work, not a report's parts
    rf"(?:{REPORT_NOUN}\b(?!\s+\d+\s+(?:enquir|investigat)|-|\s+discussions?\b)|{RAG_LABEL}(?!\w))")


def about_money(r: Reading) -> bool:
    """A figure in a clause about money (a budget, a pay award, inflation, '\u00a32.1m (3.9%)'), unless the
    sentence measures a cost."""
    if MONEY_MEASURE.search(r.text):
        return False
    if _FINANCE.match(r.after[:40]):
        return True
    money = None
    for money in _FINANCE.finditer(r.before[-60:]):  # noqa: B007 - the loop keeps the last match
        pass
    return money is not None and not re.search(rf"\b{PERSON_NOUN}\b|[.;]", r.before[-60:][money.end():], _I)


# Words that set a number against a target or benchmark: what follows is its comparison, not what it counts.
_MEASURED_AGAINST = re_(r"\b(?:against|above|below|under|over|than|versus|vs|compared|exceed\w*|beat\w*|meet\w*|"
                        r"met|miss\w*|within|short\s+of|ahead\s+of|behind)\b")


def report_count(r: Reading) -> bool:
    """What the number counts is the report's or the meeting's own ('nine of the twelve indicators',
    'three parts', "11 'On Target'"), not a service's: no service noun comes first."""
    m = _REPORT_COUNT.match(r.after[:80])
    if not m:
        return False
    counted = m.group(0)
    if _MEASURED_AGAINST.search(counted):  # '88% against a target of 95%', '12 above the target': a level
        return False
    head = re.search(rf"(?:{REPORT_NOUN}\b|{RAG_LABEL}(?!\w))\s*$", counted, _I)
    first = re.search(rf"\b(?:{REPORT_NOUN}\b|{RAG_LABEL}(?!\w))", counted, _I)
    if re.search(r"\b(?:lived|lives|live|living|were|was|are|is|had|have|stayed|remained)\b",
                 counted[: first.start() if first else len(counted)], _I):
        return False  # '71% lived in family-based settings': a verb says what happened to the counted, not a tally
    return not re.search(rf"\b{PERSON_NOUN}\b(?!['\u2019]s)", counted[: head.start() if head else len(counted)], _I)


def attached_earlier(r: Reading) -> bool:
    """A period printed right beside the number, earlier than the one reported: '84.1% in 2022/23'."""
    period = attached_period(r.text, r.token, r.periods)
    return period is not None and r.is_earlier(period)


def from_to(r: Reading) -> bool:
    """'from 93.1% to 95%', 'rose from 210 in March 2019 to 245', 'reduced from 449': the first is earlier.
    A range ('ranging from 65.5% to 44.7%', 'between') states two levels, not a change."""
    if re.search(r"\b(?:rang\w*|vari\w*|between)\b[^.;]{0,30}$", r.before, _I):
        return False
    if not re.search(r"\bfrom\s+(?:the\s+|a\s+|an\s+)?(?:(?:high|low|peak|figure|level|rate)\s+of\s+)?"
                     r"(?:nearly\s+|around\s+|about\s+|approximately\s+|just\s+(?:over|under)\s+)?$", r.before, _I):
        return False
    clause = r.before[max(r.before.rfind(","), r.before.rfind(";"), 0):]
    # 'fell to 12 in the six months, from 19 in the previous six months': the change's verb and its new
    # level come first, the earlier level after a comma
    moved_to = re.search(r"\bto\s+(?:just\s+(?:over|under)\s+|around\s+|about\s+)?[\d.,]+\s*%?[^.;]{0,80},\s*from\s+$",
                         r.before, _I) and CHANGE_VERB.search(r.before)
    return bool(re.match(r"\s*%?\s*to\s+", r.after, _I) or attached_period(r.text, r.token, r.periods)
                or CHANGE_VERB.search(clause) or moved_to)


_TO_NOW = re.compile(r"(?<!compared\s)(?<!comparison\s)(?<!relative\s)(?<!equivalent\s)\bto\s+(?:an?\s+(?:average|total|rate|figure|level)\s+of\s+|around\s+|about\s+|nearly\s+|"
                     r"approximately\s+|just\s+(?:over|under)\s+)?$", _I)


def compared(r: Reading) -> bool:
    """'compared with 84.1%', 'a reduction on the 18', 'against 52%': a cue earlier in the clause.
    The figure after 'to' in 'rose from 210 to 245' is the value itself."""
    if _TO_NOW.search(r.before):
        return False
    cue = None
    for cue in COMPARE_CUE.finditer(r.before):  # noqa: B007 - the loop keeps the last match
        pass
    if cue is None:
        return False
    between = r.before[cue.end():]
    # 'against an England figure of 76%, and immunisations were up to date for 84%': the cue's own figure
    # came first; after ', and' a new clause states its own.
    return not CLAUSE_END.search(between) and not _USED_UP.search(between)


_USED_UP = re_(r"\d\s*%?\s*(?:\([^)]*\)\s*)?(?:[\w'/-]+\s+){0,6}?,\s*(?:and|while|but|whereas)\s+(?:(?:the\s+|our\s+|its\s+)?"
               r"[\w'-]+(?:\s+[\w'-]+){0,5}?\s+(?:was|were|is|are|had|has|have|stood|stands|now|remained|remains)\b|$)")


def earlier_parenthesis(r: Reading) -> bool:
    """Inside brackets that name only earlier periods: '(2022/23, 84.6% ... with 59.1% ...)'."""
    open_at = r.text.rfind("(", 0, r.token.start)
    if open_at < 0 or ")" in r.text[open_at:r.token.start]:
        return False
    close_at = r.text.find(")", r.token.end)
    close_at = len(r.text) if close_at < 0 else close_at
    inside = [p for p in r.periods if open_at < p.start < close_at and p.canonical]
    return bool(inside) and all(r.is_earlier(p) for p in inside)


def earlier_when(r: Reading) -> bool:
    """'from 2016 when this rate was around 47%': a figure of an earlier period named before it."""
    if not re.search(r"\b(?:when|where)\s+(?:[\w'-]+\s+){0,5}?(?:was|were|had\s+been|stood\s+at)\s+"
                     r"(?:at\s+|around\s+|about\s+|approximately\s+|nearly\s+|just\s+(?:over|under)\s+)?$", r.before, _I):
        return False
    return any(p.end <= r.token.start and r.is_earlier(p) for p in r.periods)


def framed(r: Reading) -> bool:
    """The sentence opens 'In comparison with 2022/23,': its figures are that period's."""
    return r.frame is not None and not _TO_NOW.search(r.before)


_COUNTED_OTHER = re_(r"^\s*\)?\s*(?:(?:out\s+)?of\s+(?:the\s+|our\s+|its\s+|these\s+|all\s+)?(?:\d[\d,]*\s+)?)?"
                     rf"(?:[\w'\u2019-]+\s+){{0,4}}?{NON_SERVICE_NOUN}\b")


def counts_other_things(r: Reading) -> bool:
    """What the number counts is no service's people or activity: '146 dwellings', '19 bids were received
    from 12 organisations', '7 of the 10 comparator councils'. A service noun on the way ('2,150 eligible
    pupils on 310 routes') keeps the number for that noun."""
    m = _COUNTED_OTHER.match(r.after[:80])
    return bool(m) and not re.search(rf"\b(?:{SERVICE_NOUN}|{PERSON_NOUN})\b", m.group(0), _I)


_LABELLED_OTHER = re_(rf"(?:^|[.;\n])\s*(?:[\w'-]+\s+){{0,2}}?{NON_SERVICE_NOUN}(?:\s+[a-z]+)?\s*:\s*$")
_PARTY_BEFORE = re.compile(rf"\b{PARTY}\s*[,:]?\s*$")


def labelled_other(r: Reading) -> bool:
    """A figure labelled with what it counts, where that is no service's: 'Electorate: 8,412', 'Turnout:
    34.2%', 'Labour 29, Conservative 18', 'DALTON, Peter, Liberal Democrat, 611'."""
    return bool(_LABELLED_OTHER.search(r.before[-60:]) or _PARTY_BEFORE.search(r.before[-30:]))


# --- shared vocabularies ---------------------------------------------------------------------------

CHANGE_VERB = re_(r"\b(?:increas|decreas|ris|rose|fell|fall|reduc|dropp|declin|improv|went|moved|up|down)\w*\b")
COMPARE_CUE = re_(
    r"\b(?:compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|comparison\s+(?:with|to)|"
    r"against|versus|vs\.?|(?:reduction|decrease|increase|rise|fall|drop|decline|change|improvement)\s+(?:on|from)|"
    r"(?:down|up|fallen|risen|rose|fell|dropped|increased|decreased|reduced|improved|declined)\s+from)\b"
)
TIME_UNIT = (r"(?:working\s+|calendar\s+|school\s+|clear\s+)?(?:days?|hours?|hrs|weeks?|wks|months?|years?|yrs|"
              r"minutes?|mins)")
TIME_AFTER = re_(rf"^\s*{TIME_UNIT}\b")
DURATION_MEASURE = re_(r"\b(?:averag\w*|median|mean|typically|duration|length\s+of|time\s+(?:taken|to)|took)\b")
RATE_NEAR = re_(r"per\s+10,?000|per\s+10k\b|per\s+ten\s+thousand")
REFERENCE = (
    r"(?:minutes?|items?|paragraphs?|paras?|pages?|pp?\.|appendix|appendices|annex(?:es)?|sections?|"
    r"tables?|figures?|fig\.?|charts?|graphs?|indicators?|kpis?|pis?|nis?|measures?|refs?\.?|reference|"
    r"nos?\.|points?|parts?|schedules?|clauses?|regulations?|articles?|chapters?|versions?|phases?|tiers?|"
    r"levels?|stages?|key\s+stage|ks|grades?|steps?|options?|priorit(?:y|ies)|rooms?|wards?|extension|"
    r"ext\.?|tel\.?|telephone|phone|agenda|recommendations?|actions?|objectives?|questions?|slides?|orders?|"
    r"boxes|box|rows?|columns?|lines?|categor(?:y|ies)|bands?|rounds?|number(?!\s+of)|section|"
    r"s\.|rule|standards?|principles?|domains?|criteri(?:on|a)|ofsted\s+grade|top|except(?:\s+for)?)"
)
RANGE_TAIL = r"\s*(?:\d+[a-z]?(?:\.\d+)*\s*(?:to|-|\u2013|and|&|/|of)\s*)*$"


def percent_wrapped(pattern: str) -> str:
    """Allow '%' and a closing bracket between the number and what follows it."""
    return r"^\s*%?\s*\)?\s*" + pattern


# Money counts only as a measure of cost; allowances, fees, budgets and grants are not performance.
_FINANCE = re_(
    r"\b(?:budgets?|spend(?:ing)?|costs?|funding|grants?|pay\s+awards?|inflation|council\s+tax|savings?|overspend|"
    r"underspend|precept|fees?|income|salar(?:y|ies)|wages?|prices?)\b|\u00a3\s*[\d.,]+\s*(?:m|k|bn|million|billion)?|"
    r"^\s*%?\s*(?:[\w-]+\s+){0,2}?(?:of\s+(?:the\s+)?)?(?:budgets?|pay\s+awards?|council\s+tax|savings?|inflation|uplift|fees?)\b")
MONEY_MEASURE = re_(r"\b(?:average\s+(?:weekly\s+)?cost|unit\s+costs?|costs?\s+per|spend\s+per|average\s+spend)\b")
