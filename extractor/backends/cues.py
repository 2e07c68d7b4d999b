"""The language of KPI statements in council minutes: what marks a number, a comparison, a trend.

Every pattern here describes how committee reports word performance in general; none names a
particular document's phrases. The rules backend reads sentences through these cues.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE
_TIME_UNIT = r"(?:working\s+|calendar\s+|school\s+|clear\s+)?(?:days?|hours?|hrs|weeks?|wks|months?|years?|yrs|minutes?|mins)"

PERCENT_AFTER = re.compile(r"^\s*(?:%|per\s?cent\b|percent\b|pc\b)", _I)
RATE_NEAR = re.compile(r"per\s+10,?000|per\s+10k\b|per\s+ten\s+thousand", _I)
RATE_WORD = re.compile(r"\brate\b", _I)
POUND_BEFORE = re.compile(r"\u00a3\s*$")
MONEY_MEASURE = re.compile(r"\b(?:average|unit\s+cost|cost\s+per|per\s+(?:child|placement|week|night|head))\b", _I)
PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")
CHANGE_VERB = re.compile(r"\b(?:increas|decreas|ris|rose|fell|fall|reduc|dropp|declin|improv|went|moved|up|down)\w*\b", _I)

# A number these words introduce is a reference, never a measure.
REFERENCE_BEFORE = re.compile(
    r"\b(?:minutes?|item|items|paragraphs?|paras?|pages?|appendix|appendices|section|sections|"
    r"agenda|no\.?|nos\.?|number|extension|ext\.?|tel\.?|telephone|phone|room|ward|version|"
    r"phase|tier|level|stage|key\s+stage|ks|year|grade|step|option|priority|chapter|part|"
    r"schedule|clause|regulation|article|section\s+47\s+and|pdf|except(?:\s+for)?|"
    r"top|ofsted\s+grade)\s*$",
    _I,
)
FILE_SIZE_AFTER = re.compile(r"^\s*(?:kb|mb|gb|bytes|pages?|pp)\b", _I)
TIME_AFTER = re.compile(rf"^\s*{_TIME_UNIT}\b", _I)
DURATION_MEASURE = re.compile(r"\b(?:averag\w*|median|mean|typically|duration)\b", _I)
THRESHOLD_AFTER = re.compile(
    r"^\s*(?:or\s+(?:more|over|above|fewer|less|under|below)|\+|plus\b|\s*miles?\b|km\b|"
    r"(?:years?|yrs)[\s-]+old|-?years?-olds?|am\b|pm\b|o'clock)",
    _I,
)
THRESHOLD_BEFORE = re.compile(
    r"\b(?:within|under|over|after|at\s+least|atleast|more\s+than|less\s+than|fewer\s+than|"
    r"up\s+to|aged|age|ages|age\s+of|under\s+the\s+age\s+of|over\s+the\s+age\s+of|between)\s*$",
    _I,
)
# Ages and age bands: 'aged 19-21', 'aged 10 to 17', 'aged under 16', '11 to 15 years old'.
AGE_SPAN = re.compile(
    r"\b(?:aged|ages?|age\s+of)\s+(?:between\s+|under\s+|over\s+)?\d+"
    r"(?:\s*(?:-|\u2013|to|and)\s*\d+)?(?:\s*(?:years?|yrs)(?:\s+old)?)?"
    r"|\b\d+\s*(?:-|\u2013|to)\s*\d+\s*(?:years?|yrs)[\s-]*old"
    r"|\bat\s+\d{1,2}\s+(?:and\s+\d+\s+months|years)",
    _I,
)
OFFER = re.compile(r"\b(?:free|offered\s+to|memberships?|places?\s+for|funding\s+for|capacity)\b", _I)

# Comparisons introduced before the number.
TARGET_BEFORE = re.compile(
    r"\b(?:target|targets|aim|ambition|goal|threshold|standard|expectation)"
    r"(?:\s+(?:set|was|is|of|being|at|to\s+be|to\s+be\s+at|for|which\s+is|level|figure|rate|"
    r"has\s+been|had\s+been|remains))*\s*(?::|\(|\s)\s*$",
    _I,
)
TARGET_AFTER = re.compile(r"^\s*%?\s*\)?\s*(?:internal\s+|local\s+|national\s+|annual\s+)?target\b", _I)
BENCHMARK_BEFORE = {
    "national": re.compile(
        r"\b(?:national(?:ly)?|england|english)\b(?:\s+(?:average|figure|rate|level|"
        r"benchmark|performance|comparator|data))?(?:\s+(?:of|is|was|at|which\s+is))?\s*[:(]?\s*$",
        _I,
    ),
    "statistical_neighbours": re.compile(
        r"\bstatistical\s+neighbou?rs?(?:'|\u2019)?(?:\s+(?:average|figure|rate|level))?"
        r"(?:\s+(?:of|is|was|at))?\s*[:(]?\s*$",
        _I,
    ),
    "regional": re.compile(
        r"\b(?:regional(?:ly)?|region|north\s+east|north\s+west|yorkshire\s+and\s+(?:the\s+)?humber|"
        r"east\s+midlands|west\s+midlands|east\s+of\s+england|south\s+east|south\s+west|london)\b"
        r"(?:\s+(?:average|figure|rate|level))?(?:\s+(?:of|is|was|at))?\s*[:(]?\s*$",
        _I,
    ),
}
BENCHMARK_AFTER = {
    "national": re.compile(r"^\s*%?\s*\)?\s*(?:nationally|in\s+england|national(?:ly)?\b)", _I),
    "statistical_neighbours": re.compile(r"^\s*%?\s*\)?\s*(?:for\s+|among\s+|amongst\s+)?(?:our\s+)?statistical\s+neighbou?rs?", _I),
    "regional": re.compile(r"^\s*%?\s*\)?\s*(?:regionally|in\s+the\s+region)", _I),
}
# An earlier figure: 'compared with 84.1%', 'a reduction on the 18', 'from 93.1%'.
COMPARE_CUE = re.compile(
    r"\b(?:compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|comparison\s+(?:with|to)|"
    r"against|versus|vs\.?|(?:reduction|decrease|increase|rise|fall|drop|decline|change)\s+(?:on|from)|"
    r"(?:down|up|fallen|risen|rose|fell|dropped|increased|decreased|reduced|improved|declined)\s+from)\b",
    _I,
)
# Weaker cues count only right before the number: 'previously 45%', 'than 12'.
NEAR_COMPARE_CUE = re.compile(
    r"\b(?:previously|the\s+previous\s+figure\s+(?:of|was)|last\s+year(?:'s)?(?:\s+(?:figure|rate|level))?"
    r"(?:\s+(?:of|was))?|than|(?:up|down)\s+on)\s*(?:the\s+)?$",
    _I,
)
FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", _I)
TO_AFTER = re.compile(r"^\s*%?\s*to\s+", _I)
FROM_TO = re.compile(r"\bfrom\s+(?:the\s+)?$", _I)
CLAUSE_END = re.compile(r"[.;]|\s(?:while|whereas|but|although|however)\s", _I)

# A change printed as a difference: 'a reduction of 13', '12 lower than', '3.7% higher than'.
CHANGE_BEFORE = re.compile(
    r"\b(?:(?:a|an)\s+(?:\w+\s+)?)?(?P<word>reduction|decrease|increase|rise|fall|drop|decline|"
    r"improvement|reduced|increased|decreased|rose|fell|dropped|declined|improved|up|down)\s+(?:of|by)\s*$",
    _I,
)
CHANGE_AFTER = re.compile(
    r"^\s*(?:%|percentage\s+points?|pp|points?)?\s*(?:\w+\s+)?(?P<word>higher|lower|more|fewer|less|better|worse|"
    r"up|down|above|below|increase|decrease|rise|fall|reduction)\b(?:\s+(?:than|on|compared|from|against|when))",
    _I,
)
RELATIVE_CHANGE_AFTER = re.compile(
    r"^\s*%\s*(?:increase|decrease|rise|fall|reduction|drop|improvement|decline)\b", _I
)
NEGATIVE_CHANGE = {"reduction", "decrease", "fall", "drop", "decline", "reduced", "decreased",
                   "fell", "dropped", "declined", "down", "lower", "fewer", "less", "worse", "below"}

# Periods named relative to the report.
PREVIOUS_YEAR = re.compile(
    r"\b(?:last\s+year|previous\s+year|prior\s+year|year\s+before|same\s+(?:period|time|quarter|point)\s+"
    r"(?:last|the\s+previous)\s+year|previous\s+years|last\s+\d+\s+years|year[\s-]on[\s-]year)\b",
    _I,
)
PREVIOUS_PERIOD = re.compile(
    r"\b(?:last|previous|prior|preceding)\s+(?:quarter|month|period|reporting\s+period|qtr)\b", _I
)
REPORT_RELATIVE = re.compile(
    r"\b(?:this\s+(?:quarter|year|month|period|reporting\s+year|reporting\s+period)|"
    r"year\s+to\s+date|ytd|currently|at\s+present|to\s+date)\b",
    _I,
)

# Direction stated against an earlier figure.
TREND_WORDS = [
    ("same", re.compile(
        r"\b(?:similar\s+(?:to|as)|same\s+as|(?:remained|remains|is|was|been)\s+stable|unchanged|maintained|consistent\s+with|"
        r"remained\s+(?:the\s+same|stable|steady|static|at)|no\s+change|in\s+line\s+with\s+last)\b", _I)),
    ("up", re.compile(
        r"(?:\b|(?<=an))(?:increase[sd]?|increasing|rise|risen|rising|rose|higher|grown|grew|growth|"
        r"doubled|tripled|upturn|up\s+from)\b", _I)),
    ("down", re.compile(
        r"(?:\b|(?<=a))(?:decrease[sd]?|decreasing|reduction|reduced|lower|fall|fallen|falling|fell|"
        r"declined?|declining|dip|dipped|drop|dropped|halved|down\s+from|fewer)\b", _I)),
]
EVALUATIVE = [
    ("up", re.compile(r"(?:\b|(?<=an))(?:improved|improvement|improving|better\s+than)\b", _I)),
    ("down", re.compile(r"\b(?:worsened|deteriorat\w*|worse\s+than|decrease\s+in\s+performance|"
                        r"reduction\s+in\s+performance|decline\s+in\s+performance)\b", _I)),
]
PERFORMANCE_CHANGE = re.compile(r"\b(?:increase|decrease|reduction|decline|improvement)\s+in\s+performance\b", _I)
# A percentage of work done on time rises when it improves: evaluative words are safe there.
HIGHER_IS_BETTER = re.compile(
    r"\b(?:on\s+time|in\s+time|timely|within|timescales?|up\s+to\s+date|completed|suitable|"
    r"allocated|stable|stability|engag\w*|in\s+education|employment|attendance|achiev\w*)\b",
    _I,
)
NOT_A_TREND = re.compile(
    r"\bup\s+to\s+date\b|\bto\s+(?:increase|reduce|lower|improve|decrease)\b|"
    r"\b(?:anticipated|expected|planned|projected|forecast|hoped|aim\w*)\b[^.]{0,20}$",
    _I,
)

TARGET_MET = re.compile(
    r"\bpositively\s+(?:below|above|under|over)\b|\b(?:met|achieved|exceeded|exceeding|meeting|meets|"
    r"surpassed|beat)\s+(?:our|the|its|their)?\s*(?:\w+\s+)?target|\bon\s+target\b|\bwithin\s+(?:the\s+)?target\b|"
    r"\bbetter\s+than\s+(?:the\s+|our\s+)?target",
    _I,
)
TARGET_MISSED = re.compile(
    r"\bnegatively\s+(?:below|above|under|over)\b|\b(?:does|did|do)\s+not\s+meet\b|\bnot\s+(?:been\s+)?"
    r"(?:met|achieved|reached)\b|\b(?:below|under|short\s+of|missed|off|outside|behind)\s+(?:the\s+|our\s+|its\s+)?"
    r"(?:\w+\s+)?target\b|\bremained\s+(?:under|below)\s+target\b",
    _I,
)

# Status-only statements: a direction without a number.
_TREND_NOUN = r"(?P<noun>increase|rise|decrease|decline|reduction|fall|dip|drop|improvement|deterioration|upturn|downturn)"
STATUS_CHANGE_IN = re.compile(
    rf"(?P<lead>(?:there\s+(?:has|had|have)\s+been|there\s+was|(?:we\s+)?(?:have|has|had)\s+seen|saw|"
    rf"showed?|shows|noted|alongside|as\s+well\s+as|and)\s+)?"
    rf"\b(?:a|an)\s+(?:(?:small|slight|significant|large|further|continued|sharp|marked|notable|"
    rf"considerable|steady|modest)\s+)*{_TREND_NOUN}\s+in\s+(?:the\s+)?"
    r"(?:(?:number|numbers|proportion|percentage|rate|level|levels)\s+of\s+)?(?P<np>[^,;.()]+?)"
    r"(?=\s+(?:alongside|and\s+(?:a|an)\b|but|while|whereas|which|as\s+|due|because|following|compared|since|"
    r"in\s+comparison|from|over\s+the|during)\b|[,;.()]|$)",
    _I,
)
STATUS_NUMBER_OF = re.compile(
    r"\bthe\s+(?:number|numbers|proportion|percentage|rate|level)\s+of\s+(?P<np>[^;.]+?)\s+"
    r"(?:had\s+|has\s+|have\s+)?(?:been\s+)?(?P<verb>fallen|fell|risen|rose|increased|decreased|declined|"
    r"dropped|reduced|improved|was\s+(?:lower|higher)|were\s+(?:lower|higher)|remained\s+(?:stable|the\s+same))\b",
    _I,
)
STATUS_SPEC = re.compile(r"^(?P<lead>[A-Z][^\n]{3,140}?)\s+[\u2013\u2014-]\s+(?P<rest>\S.*)$", re.S)
STATUS_WORDS = re.compile(
    r"\b(?:improved|improvement|declined?|dip|dipped|reduction|reduced|increased?|decreased?|"
    r"fallen|risen|worsened|deteriorat\w*|(?:below|under|above|on|off)\s+target|not\s+(?:been\s+)?"
    r"(?:met|achieved)|met|achieved|exceeded|stable|maintained)\b",
    _I,
)
NOT_STATUS = re.compile(
    r"\b(?:available|capacity|places|vacanc\w*|anticipated|expected|planned|projected|forecast|"
    r"hoped|aim\w*|ambition|will|would|could|should|need\s+to)\b",
    _I,
)
LIST_INTRO_MISSED = re.compile(r"\bnot\s+(?:been\s+)?(?:achieved|met)|below\s+target|off\s+target|red\b", _I)
LIST_INTRO_MET = re.compile(r"\b(?:been\s+)?(?:achieved|met|exceeded|on\s+target)\b", _I)


def last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of a pattern in text, or None."""
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the loop keeps the last match
        pass
    return found
