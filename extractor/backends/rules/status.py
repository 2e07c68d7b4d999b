"""Direction and target status in words: trends, 'met'/'missed', RAG ratings, and status-only statements.

A status-only statement names an indicator and says how it moved or how it stands against
its target, without a number (records.md include 4): 'Child protection plans had increased',
'there has been a decline in the number of missing incidents', 'Indicator 18: Number of
In-House Foster Carers Recruited' rated Red.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import SERVICE_NOUN, lower_is_better
from .wording import MORE_OR_FEWER, NOTED_CHANGE, PICTURE, PROGRESS_MADE, SEEN_LEVELS

_I = re.IGNORECASE

# Direction stated against an earlier figure.
TREND_WORDS = [
    ("same", re.compile(
        r"\b(?:similar\s+(?:to|as)|same\s+as|(?:remained|remains|remaining|is|was|been)\s+(?:stable|level|static|steady)|"
        r"unchanged|maintained|consistent\s+with|remain(?:ed|s)\s+(?:the\s+same|similar|at|high|low|good|strong|positive|"
        r"consistent|steady|static|broadly\s+(?:the\s+same|similar|stable))|no\s+change|"
        r"in\s+line\s+with\s+last|stabilised|plateaued|not\s+changed)\b", _I)),
    ("up", re.compile(
        r"(?:\b|(?<=an))(?:increase[sd]?|increasing|rise|risen|rising|rose|higher|grown|grew|growth|"
        r"doubled|tripled|upturn|up\s+from|jump(?:ed)?|spiked|peaked|growing|(?:gone|went|going|go|come|came)\s+up|upward\s+(?:trend|trajectory))\b",
        _I)),
    ("down", re.compile(
        r"(?:\b|(?<=a))(?:decrease[sd]?|decreasing|reduction|reduced|reducing|reduce|lower|fall|fallen|falling|fell|"
        r"declined?|declining|dip|dipped|drop|dropped|halved|down\s+from|fewer|(?:gone|went|going|go|come|came)\s+down|"
        r"downward\s+(?:trend|trajectory))\b", _I)),
]
EVALUATIVE = [
    ("better", re.compile(r"(?:\b|(?<=an))(?:improved|improvements?|improving|improve|better\s+than|recover(?:s|ed|ing)?)\b",
                          _I)),
    ("worse", re.compile(r"\b(?:worsened|deteriorat\w*|worse\s+than|slipp(?:ed|ing))\b", _I)),
]
PERFORMANCE_CHANGE = re.compile(r"\b(?:increase|decrease|reduction|decline|improvement)\s+in\s+performance\b", _I)
NOT_A_TREND = re.compile(
    r"\bup\s+to\s+date\b|\bto\s+(?:increase|reduce|lower|improve|decrease)\b|"
    r"\b(?:anticipated|expected|planned|projected|forecast|hoped|aim\w*)\b[^.]{0,20}$",
    _I,
)
_NOT_TREND_PHRASES = re.compile(r"\bup\s+to\s+date\b|\bto\s+(?:increase|reduce|lower|improve|decrease)\b|"
                                r"\b(?:falling|fall|fell|fallen)\s+short\b|"
                                # set against a benchmark or a target, not an earlier figure: no direction
                                r"\b(?:higher|lower|better|worse|more|less|fewer)\s+than\s+(?:both\s+)?(?:the\s+|our\s+|its\s+)?"
                                r"(?:england|english|national|nationally|statistical|regional|comparator|similar|target|average|"
                                r"benchmark|neighbou?r)", _I)

# Target status in words. Above or below a target depends on which way the indicator is better.
TARGET_MET = re.compile(
    r"\bpositively\s+(?:below|above|under|over)\b|\b(?:met|achieved|exceeded|exceeding|meeting|meets|"
    r"surpassed|beat)\s+(?:our|the|its|their)?\s*(?:[\w.%]+\s+){0,2}target|\bon\s+target\b|"
    r"\bwithin\s+(?:the\s+|our\s+|its\s+)?(?:local\s+|agreed\s+|annual\s+)?target\b|"
    r"\bbetter\s+than\s+(?:the\s+|our\s+)?target|\btarget\s+(?:was|has\s+been|had\s+been)\s+(?:met|achieved|exceeded)|"
    r"\bon\s+track\b",
    _I,
)
TARGET_MISSED = re.compile(
    r"\bnegatively\s+(?:below|above|under|over)\b|\b(?:does|did|do)\s+not\s+meet\b|\bnot\s+(?:been\s+)?"
    r"(?:met|achieved|reached)\b|\b(?:short\s+of|missed|off|outside|behind)\s+(?:the\s+|our\s+|its\s+)?"
    r"(?:[\w.%]+\s+){0,2}target\b|\bworse\s+than\s+(?:the\s+|our\s+)?target|\boff\s+track\b|"
    r"\bclos(?:e|ing)\s+the\s+gap\s+(?:with|to|on)\s+(?:the\s+|our\s+)?(?:[\d.]+\s*%\s*)?target",
    _I,
)
_AGAINST_TARGET = re.compile(
    r"\b(?P<side>above|over|higher\s+than|below|under|lower\s+than)\s+(?:the\s+|our\s+|its\s+)?(?:[\w.%'\u2019]+\s+){0,3}?"
    r"target\b", _I)
RAG = re.compile(
    r"\b(?:rated|rating|marked|flagged|as|is|was|were|remains?|remained)\s+(?:as\s+)?['\u2018\"](?P<a>red|amber|green)['\u2019\"]"
    r"|['\u2018\"](?P<b>red|amber|green)['\u2019\"]\s+(?:rated|marked|rating)"
    r"|\b(?:rated|rag\s+rated)\s+(?P<c>red|amber|green)\b",
    _I,
)
_BULK = re.compile(r"\b(?:majority|most|all|many|several|number)\s+of\s+(?:the\s+|our\s+)?(?:key\s+)?"
                   r"(?:performance\s+)?(?:indicators|measures|targets|kpis)\b|\b(?:indicators|measures)\s+were\b", _I)


def trend_word(text: str) -> tuple[str, int] | None:
    """The direction a clause states ('up', 'down', 'same', or 'better'/'worse' for evaluative words)."""
    cleaned = _NOT_TREND_PHRASES.sub(lambda m: " " * len(m.group(0)), text)
    if NOT_A_TREND.search(text) and not re.search(r"\b(?:reduc|increas|decreas|lower|higher)", cleaned, _I):
        return None
    for trend, pattern in TREND_WORDS:
        m = pattern.search(cleaned)
        if m and not PERFORMANCE_CHANGE.search(cleaned[max(0, m.start() - 2): m.end() + 20]):
            return trend, m.start()
    for trend, pattern in EVALUATIVE:
        m = pattern.search(cleaned)
        if m:
            return trend, m.start()
    m = PERFORMANCE_CHANGE.search(cleaned)
    if m:
        better = not m.group(0).lower().startswith(("decrease", "reduction", "decline"))
        return ("better" if better else "worse"), m.start()
    return None


def evaluative_direction(word: str, indicator: str) -> str | None:
    """'better'/'worse' as up or down, when the indicator says which way is better; else None."""
    lower = lower_is_better(indicator)
    if lower is None:
        return None
    return "up" if (word == "better") != lower else "down"


def target_status(text: str, indicator: str = "") -> bool | None:
    """True/False when the text says the target was met or missed (RAG ratings included), else None."""
    if TARGET_MISSED.search(text):
        return False
    if TARGET_MET.search(text):
        return True
    against = _AGAINST_TARGET.search(text)
    if against:
        above = against.group("side").lower().startswith(("above", "over", "higher"))
        lower = lower_is_better(indicator or text)
        return above != bool(lower)
    rating = rag_rating(text)
    return rating


def rag_rating(text: str) -> bool | None:
    """A Red rating is a missed target, Green a met one; Amber says neither (records.md)."""
    m = RAG.search(text)
    if not m:
        return None
    colour = (m.group("a") or m.group("b") or m.group("c")).lower()
    return {"red": False, "green": True}.get(colour)


@dataclass(frozen=True)
class Statement:
    """A status-only statement found in a sentence: what it names, and where."""

    indicator: str
    trend: str | None
    target_met: bool | None
    start: int
    end: int


# A clause opens a sentence (after its paragraph number: '3.6 Timeliness of ...'), follows punctuation or an
# inline heading ('Child protection. The timeliness of ...'), or a conjunction or verb of saying.
_CLAUSE_LEAD = (r"(?:^(?:\s*\d{1,2}(?:\.\d{1,2}){0,2}\.?\s+)?|(?<=[,;:(])\s*|(?<=[a-z]\.)\s+(?=[A-Z])|(?<=\s[-\u2013\u2014])\s+|\b(?:that|and|but|while|whereas|although|however|though|where|with|"
                r"showed|noted|reported|highlighted|explained|confirmed|said|stated)\s+(?:that\s+)?)")
# A subject's words: never a verb, an auxiliary or a clause word, so a subject starts at its own clause.
_NP_WORD = (r"(?!(?:had|has|have|was|were|is|are|been|be|but|that|which|who|while|there|it|this|will|would|"
            r"could|should|saw|seen|showed|noted|reported|said)\b)[\w'\u2018\u2019&/-]+")
_NP = rf"(?P<np>{_NP_WORD}(?:,?\s+{_NP_WORD}){{0,8}}?)"
_AUX = r"(?:(?:had|has|have|was|were|is|are)\s+(?:been\s+)?)?"
_ADVERBS = (r"(?:(?:also|now|further|slightly|significantly|greatly|considerably|gradually|steadily|overall|"
            r"generally|continually|consistently|again|marginally|broadly|still|just|well|sharply|substantially)\s+)*")
_CONTINUE = r"(?:(?:continued|continues|continue|continuing|started|starts|begun|began|beginning)\s+to\s+)?"
_MOVE = (r"(?P<verb>increas(?:e|es|ed|ing)|ris(?:en|ing|e|es)|rose|reduc(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|"
         r"fall(?:en|ing|s)?|fell|declin(?:e|es|ed|ing)|dropp(?:ed|ing)|drops?|dipp(?:ed|ing)|dips?|improv(?:e|es|ed|ing)|"
         r"deteriorat(?:e|es|ed|ing)|worsen(?:s|ed|ing)?|stabilis(?:e|es|ed|ing)|plateau(?:s|ed|ing)?|grow(?:n|ing|s)?|grew|"
         r"doubled|halved|tripled|slipp(?:ed|ing)|spiked|peaked|recover(?:s|ed|ing)?|"
         r"(?:gone|went|going|go|come|came|coming)\s+(?:up|down))")
_PREDICATE = (
    r"(?:" + _MOVE
    # 'were on an upward trend', 'was showing an improving trajectory'
    + r"|(?P<verb2>(?:on|showing|following)\s+an?\s+(?:\w+\s+)?(?:upward|downward|improving|declining|worsening|"
    r"increasing|decreasing|rising|falling)\s+(?:trend|trajectory))"
    r"|(?P<cmp>higher|lower|better|worse|up|down)\s+(?:than|on|compared|from|against|when\s+compared)\b"
    r"|(?:remain(?:ed|s|ing)?\s+)?(?:broadly\s+|largely\s+|relatively\s+|fairly\s+)?"
    r"(?P<stable>stable|steady|static|level|unchanged|maintained|the\s+same|similar|in\s+line\s+with\s+(?:last|the\s+previous)|"
    r"(?:high|low|good|strong|consistent)(?=\s*(?:[,;.]|$|and|but|at\b)))"
    r"|(?:(?:remain|stay)(?:ed|s|ing)?\s+|continu(?:e|es|ed|ing)\s+to\s+be\s+)?(?P<target>(?:on|off)\s+(?:target|track)|(?:above|below|under|over|within|outside)\s+"
    r"(?:the\s+|its\s+|our\s+)?(?:\w+\s+)?target|(?:not\s+(?:yet\s+)?)?(?:met|achieved|exceeded|missed|beat|reached)\s+(?:(?:the|its|our|their)\s+)?"
    r"(?:\w+\s+)?target|(?:rated|showing)\s+(?:as\s+)?['\u2018\"]?(?:red|green)['\u2019\"]?"
    r"|(?:now\s+|moved\s+(?:from\s+\w+\s+)?to\s+|rag\s+rated\s+)?['\u2018\"]?(?:red|green)['\u2019\"]?(?=\s*(?:[,;.]|$|and\b|but\b|while\b))"
    r"|performing\s+(?:well\s+|strongly\s+|poorly\s+)?(?:above|below|under|over|on|against)\s+(?:the\s+|its\s+)?target))"
)
_SUBJECT_STATES = re.compile(
    _CLAUSE_LEAD + _NP + r"\s+" + _AUX + _ADVERBS + _CONTINUE + _ADVERBS + _PREDICATE + r"\b", _I)
_TARGET_OF = re.compile(
    r"\bthe\s+target\s+(?:for|on|of)\s+(?P<np>[^,;.]+?)\s+(?:was|were|has\s+been|had\s+been|is)\s+"
    r"(?P<target>met|achieved|exceeded|missed|not\s+(?:been\s+)?(?:met|achieved))\b", _I)
_VERB_IN_NP = re.compile(r"\b(?:was|were|had|has|have|is|are|been|which|who|that|saw|seen|showed|shows|will|would)\b",
                         _I)
_TREND_NOUN = (r"(?P<noun>increases?|rises?|decreases?|declines?|reductions?|falls?|dips?|drops?|improvements?|"
               r"deterioration|upturn|downturn|growth|spike|surge|upward\s+trend|downward\s+trend|"
               r"upward\s+trajectory|downward\s+trajectory)")
_TREND_ADJ = (r"(?:(?:small|slight|significant|large|further|continued|sharp|marked|notable|considerable|steady|modest|"
              r"overall|general|positive|welcome|pleasing|encouraging|concerning|worrying|good|big|substantial|"
              r"gradual|continuing|sustained|real)\s+)*")
_CHANGE_IN = re.compile(
    rf"(?:\b(?:a|an|the)\s+|\b(?:note|notes|noted|reported|highlighted|saw|seen|showed|shown|welcome|welcomed)\s+)"
    rf"(?:\d+(?:\.\d+)?\s*%\s+)?"
    rf"{_TREND_ADJ}{_TREND_NOUN}\s*(?:\([^)]{{0,20}}\)\s*)?in\s+(?:the\s+)?"
    r"(?:(?:number|numbers|proportion|percentage|rate|level|levels)\s+of\s+)?(?P<np>[^,;.()]+?)"
    r"(?=\s+(?:alongside|and\s+(?:a|an)\b|but|while|whereas|which|as\s+|due|because|following|compared|since|"
    r"in\s+comparison|from|over\s+the|during|this|last|in\s+the\s+(?:last|past|previous)|was|were|has|had)\b|[,;.()]|$)",
    _I,
)
_SAW_CHANGE = re.compile(
    _CLAUSE_LEAD + _NP + r"\s+(?:saw|has\s+seen|have\s+seen|had\s+seen|experienced|showed|shows|has\s+shown|have\s+shown|"
    rf"had\s+shown|recorded|(?:was\s+|were\s+|is\s+|are\s+)?showing)\s+(?:(?:a|an|some)\s+)?{_TREND_ADJ}{_TREND_NOUN}\b(?!\s+(?:in|of)\b)", _I)
_RISING_NUMBER = re.compile(
    r"(?:\b(?:a|an|the)\s+|\b(?:are|were|is|was|saw|seen|seeing)\s+)(?P<verb>rising|increasing|growing|falling|declining|"
    r"reducing|decreasing)\s+(?:number|numbers|proportion|"
    r"rate|level|percentage)\s+of\s+(?P<np>[^,;.()]+?)(?=\s+(?:who|which|that|were|was|had|has|being|in\s+the)\b|[,;.()]|$)", _I)
_FEWER_MORE = re.compile(
    r"\b(?P<cmp>fewer|more)\s+(?P<np>[^,;.\d]{3,80}?)\s+than\s+"
    r"(?:last|the\s+previous|previously|before|the\s+same|in\s+(?:the\s+)?(?:last|previous))", _I)
_NUMBER_OF_MOVES = re.compile(
    r"\bthe\s+(?:number|numbers|proportion|percentage|rate|level)\s+(?:of|in)\s+(?P<np>[^;.]+?)\s+"
    r"(?:which\s+)?(?:had\s+|has\s+|have\s+)?(?:been\s+)?" + _ADVERBS
    + r"(?:(?:continued|started|begun)\s+to\s+)?(?P<verb>fallen|fell|falling|risen|rose|rising|increased|increasing|"
    r"(?<=to\s)(?:fall|rise|increase|decrease|decline|reduce|drop|improve)|"
    r"decreased|decreasing|declined|declining|dropped|reduced|reducing|improved|was\s+(?:lower|higher)|were\s+(?:lower|higher)|"
    r"remained\s+(?:broadly\s+|largely\s+|relatively\s+|fairly\s+)?(?:stable|the\s+same|level|similar|static|steady|high|low)"
    r"|not\s+changed)\b"
    r"|\bthe\s+(?:number|numbers|proportion|percentage|rate|level)\s+of\s+(?P<np2>[^;.]+?)\s+(?:is|was|are|were|remains?|"
    r"remained|has\s+been|had\s+been)\s+(?:consistently\s+|still\s+|now\s+)?(?P<target>(?:above|below|under|over|on|off|within|"
    r"outside)\s+(?:the\s+|its\s+|our\s+)?target)\b",
    _I,
)
_PROGRESS_IN = re.compile(
    r"\b(?:progress|success|succeeded)\s+in\s+(?P<verb>reducing|increasing|improving|lowering|raising)\s+"
    r"(?:the\s+(?:number|numbers|proportion|percentage|rate|level)\s+of\s+)?(?P<np>[^,;.]+)",
    _I,
)
_INDICATOR_TITLE = re.compile(
    r"\b(?:indicators?|kpis?|pis?|measures?)\s+\d+[a-z]?(?:/\d+)?\s*:\s*(?P<np>[^;]+?)"
    r"(?=\s+(?:which|that|where|for\s+which|was|were|is|are|had|has|continued|remained)\b|,\s+and\b|;|\.(?:\s|$)|$)",
    _I,
)
_RATED_IN_RELATION = re.compile(
    r"\brated\s+(?:as\s+)?['\u2018\"]?(?:red|green)['\u2019\"]?\s+(?:in\s+relation\s+to|for|on|against)\s+"
    r"(?:the\s+)?(?P<np>[^.;()]+?)(?=\s*\(|[.;,]|$)",
    _I,
)
NOT_STATUS = re.compile(
    r"\b(?:available|capacity|places|vacanc\w*|budget|spend\w*|cost\w*|overspend|funding|demand|anticipated|expected|"
    r"planned|projected|forecast|hoped|aim\w*|ambition|will|would|could|should|need\s+to|nationally|national|"
    r"across\s+the\s+country|in\s+england|statistical\s+neighbou?rs?|regionally|other\s+authorities|"
    # a question, a wish or thanks is commentary, not a status: 'Members asked whether numbers had increased'
    r"asked\s+(?:whether|if|why|how|what|about|for)|queried|hoped|hopes|hoping|wish\w*|wants?\s+to\s+see|"
    r"would\s+like|thanked|(?:neighbouring|other|comparator)\s+(?:authorities|councils|areas)|elsewhere|"
    # offers and programmes: who came to an activity is no service's measure (GUIDELINES: offers)
    r"activit(?:y|ies)|events?|courses?|attending\s+the|training\s+(?:for|sessions?|courses?|offered))\b",
    _I,
)
# A trend named as the cause or context of something else is not a statement of its own.
_CONTEXT_LEAD = re.compile(
    r"\b(?:comparable\s+to|in\s+line\s+with|reflect\w*|due\s+to|because\s+of|result\s+of|following|linked\s+to|"
    r"driven\s+by|owing\s+to|caused\s+by|attributed\s+to|consistent\s+with|despite|given)\s+(?:the\s+|an?\s+)?\S*$", _I)
# A verb with an object: 'had improved the quality of ...' says what the subject changed, not how it moved.
_TRANSITIVE = re.compile(r"\s+(?:the|an?|its|their|our|his|her|how|what)\b(?!\s+(?:same|previous|last|period|quarter|year|month)\b)",
                         _I)
_COORDINATED = re.compile(r"^(?P<items>(?:[\w'-]+(?:\s+[\w'-]+)?,\s+)*[\w'-]+(?:\s+[\w'-]+)?\s+and\s+[\w'-]+)\s+"
                          r"(?P<head>rates?|numbers?|figures?|levels?)$", _I)


def _verb_trend(verb: str, indicator: str) -> str | None:
    found = trend_word(verb)
    if found is None:
        return None
    trend = found[0]
    if trend in ("better", "worse"):
        return evaluative_direction(trend, indicator) or ("up" if trend == "better" else "down")
    return trend


def _clean_np(np: str) -> str:
    np = re.sub(r"^(?:(?:although|though|but|and|while|whereas|however|that|the|our|overall),?\s+)+", "",
                np.strip(" ,"), flags=_I)
    return np[:1].upper() + np[1:] if np else np


def _split_coordinated(np: str) -> list[str]:
    """'contacts, referrals and assessments rates' names three indicators: one record each."""
    m = _COORDINATED.match(np)
    if not m:
        return [np]
    items = re.split(r",\s+|\s+and\s+", m.group("items"))
    return [f"{item} {m.group('head')}" for item in items if item]


def _trend_of(m: re.Match[str], name: str) -> tuple[str | None, bool | None]:
    """The trend and target status a matched statement states."""
    groups = m.re.groupindex
    get = lambda key: m.group(key) if key in groups else None  # noqa: E731
    if get("target"):
        said = get("target").lower()
        if said.startswith(("met", "achieved", "exceeded", "beat")):
            return None, True
        colour = re.search(r"\b(red|green)\W*$", said)
        if colour:
            return None, colour.group(1) == "green"
        return None, target_status(said, name)
    if get("better"):
        return _verb_trend("improved", name), None
    if get("stable"):
        return "same", None
    if get("cmp") or get("cmp2"):
        word = (get("cmp") or get("cmp2")).lower()
        if word in ("better", "worse"):
            return evaluative_direction(word, name) or ("up" if word == "better" else "down"), None
        return ("up" if word in ("higher", "up", "more") else "down"), None
    word = get("noun") or get("verb") or get("verb2")
    return (_verb_trend(word, name) if word else None), None


def _subject(np: str) -> str | None:
    """The indicator a subject names, or None when it names no service measure: 'Performance on initial
    health assessments' names the assessments; 'Demand' or 'The budget' names none."""
    np = re.sub(r"^(?:(?:although|though|but|and|while|whereas|however|that|the|our|overall|also),?\s+)+", "", np.strip(" ,"),
                flags=_I)
    lead = re.match(r"(?:performance|timeliness)\s+(?:in\s+relation\s+to|with\s+regards?\s+to|regarding|on|in|for|"
                    r"against|around|of|with)\s+(?:the\s+)?(?P<rest>.+)", np, _I)
    if lead and re.search(SERVICE_NOUN, lead.group("rest"), _I):
        return _clean_np(lead.group("rest"))
    if _VERB_IN_NP.search(np) or re.match(r"(?:performance|it|this|that|there|these|they|we)\b", np, _I):
        return None
    return _clean_np(np) if re.search(rf"\b{SERVICE_NOUN}", np, _I) else None


def listed_status(intro: str) -> tuple[bool | None, str | None] | None:
    """The status a list's introduction gives its items ('The following areas had improved:',
    'Indicators rated red were:'), as (target_met, trend); None when it gives none."""
    met = rag_rating(intro)
    if met is None and re.search(r"\brated\s+(?:as\s+)?(red|green)\b", intro, _I):
        met = re.search(r"\brated\s+(?:as\s+)?(red|green)\b", intro, _I).group(1).lower() == "green"
    if met is None:
        met = target_status(intro)
    said = trend_word(intro)
    trend = None
    if said and not NOT_STATUS.search(intro):
        trend = said[0] if said[0] in ("up", "down", "same") else ("up" if said[0] == "better" else "down")
        if re.search(r"\bperformance\b", intro, _I) and said[0] in ("up", "down"):
            trend = None  # 'a decline in performance' says better or worse, not which way the number went
    return None if met is None and trend is None else (met, trend)


_INLINE_LIST = re.compile(
    r"\b(?:indicators?|measures?|areas?|kpis?|targets?)\s+(?:were|are|was|is|have\s+been|had\s+been|that\s+\w+(?:\s+\w+)?)"
    r"\s+(?P<status>[^:;.]{2,40}?)\s*:\s*(?P<items>[^.;]+)", _I)


def _inline_list(text: str) -> list[Statement]:
    """'Two indicators were off target: timeliness of conferences and review health assessments.'"""
    m = _INLINE_LIST.search(text)
    said = listed_status(m.group("status")) if m else None
    if not m or said is None:
        return []
    items = [item.strip() for item in re.split(r",\s+|\s+and\s+", m.group("items")) if item.strip()]
    return [Statement(_clean_np(item), said[1], said[0], m.start("items"), m.end("items"))
            for item in items if 1 <= len(item.split()) <= 12]


def statements(text: str) -> list[Statement]:
    """Status-only statements in one sentence (for a clause that prints no number of its own)."""
    found: list[Statement] = _inline_list(text)
    if found:
        return found
    if _BULK.search(text) and not _INDICATOR_TITLE.search(text):
        return found
    rating = rag_rating(text)
    if rating is not None:
        for m in [*_INDICATOR_TITLE.finditer(text), *_RATED_IN_RELATION.finditer(text)]:
            found.append(Statement(_clean_np(m.group("np")), None, rating, 0, len(text)))
        if found:
            return found
    patterns = (_TARGET_OF, _NUMBER_OF_MOVES, _SAW_CHANGE, _SUBJECT_STATES, _CHANGE_IN, _PROGRESS_IN, _FEWER_MORE,
                _RISING_NUMBER, PROGRESS_MADE, MORE_OR_FEWER, PICTURE, NOTED_CHANGE, SEEN_LEVELS)
    for pattern in patterns:
        for m in pattern.finditer(text):
            if any(m.start() < s.end and s.start < m.end() for s in found):
                continue
            window = text[max(0, m.start() - 40): m.end() + 25]
            if NOT_STATUS.search(window) or _CONTEXT_LEAD.search(text[max(0, m.start() - 30):m.start() + 4]):
                continue
            if pattern is _SUBJECT_STATES and _TRANSITIVE.match(text, m.end()):
                continue  # 'A review of the process had improved the way ...': the subject changed something else
            np = m.group("np") or m.groupdict().get("np2") or ""
            name = _subject(np) if pattern in (_SUBJECT_STATES, _SAW_CHANGE) else _clean_np(np)
            if not name or re.match(r"\s*(?:performance|it|this|that|there)\b", np, _I) and name == _clean_np(np):
                continue
            for part in _split_coordinated(name):
                trend, met = _trend_of(m, part)
                if met is None:
                    met = target_status(text, part)
                found.append(Statement(part, trend, met, m.start(), m.end()))
    return found


# Words that make a bullet's 'Indicator - comment' a status statement.
STATUS_SPEC_WORDS = re.compile(
    r"\b(?:improved|improvement|declined?|dip|dipped|reduction|reduced|increased?|decreased?|"
    r"fallen|risen|worsened|deteriorat\w*|(?:below|under|above|on|off)\s+target|not\s+(?:been\s+)?"
    r"(?:met|achieved)|met|achieved|exceeded|stable|maintained)\b",
    _I,
)
