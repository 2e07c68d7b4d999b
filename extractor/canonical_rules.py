"""How minutes word a measure, read into comparable features: the rules of indicators.md as data.

canonical.py decides ids; this module reads a text (a record's indicator or evidence, or a catalogue
row's name and wordings) into `Features`:

- `words`: the content words, with population names, timescales and number words each read as one
  token (`looked after children`, `CLA`, `children we care for` are all `xcla`; `within 45 working
  days` and `within 45 days` are `t45d`; `on time`, `in timescale`, `timeliness` are `tok`), plurals
  folded, and words that never tell measures apart (`the`, `number of`, `children`) dropped;
- `populations`: which of the populations of rule 1 the text names (`xcla`, `xleaver`, `xcin`, `xcp`,
  `xuasc`); `children` names no population but is not care leavers (`bare_children`);
- `phases`: starts, leavers, re-entries, events, offers (rules 4, 5, 7): `xstart`, `xceased`,
  `xreentry`, `xevent`, `xoffer`;
- `timescales`: the stated timescales (rule 3), `t<N><d|h|m|y>` (`within 12 months`: `t12m`);
- `ages`: age bands (subgroups, rule 1; care leaver bands, rule 7);
- `unit_words`: which units the words allow a status-only record (rule 7: `the number of` is a count).

Every pattern describes how minutes word things in general; none names a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .textnorm import normalise

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "forty-five": "45", "seventy-two": "72",
}

_CHILD = r"(?:children|child|young people|young persons?|pupils|cyp)"
# Rule 1: the populations, each read as one token. Order matters: the narrower first.
_POPULATIONS: list[tuple[str, str]] = [
    ("xuasc", r"unaccompanied(?: asylum[- ]seek(?:ing|ers?))?(?: " + _CHILD + r")?"
              r"(?: (?:looked after|in care|in our care))?|uasc"),
    ("xleaver", r"care leavers?|former relevant " + _CHILD + r"|care experienced " + _CHILD
                + r"|" + _CHILD + r" leaving care (?=(?:in|who are in) (?:education|suitable))"),
    ("xcla", r"(?:looked after|in care|in our care|we care for|we look after|cared for) " + _CHILD
             + r"|" + _CHILD + r" (?:who are |who were |were |are |being )?"
             r"(?:looked after|in (?:our |the )?care(?: of the (?:local authority|council))?"
             r"|we (?:care for|look after))|looked after|cla|lac|cic|ciic|cla's|lac's"),
    ("xcin", r"" + _CHILD + r" (?:classed as (?:being )?)?(?:in need|in need)|child in need|cin|cinp"),
    ("xcp", r"child protection|cp|cpp|cpps"),
]
POPULATIONS = tuple(token for token, _ in _POPULATIONS)

# One measure's long and short names, read as one word.
_SHORT_NAMES: list[tuple[str, str]] = [
    ("pep", r"personal education plans?|peps"),
    ("iha", r"initial health assessments?|ihas"),
    ("rha", r"review health assessments?|rhas"),
    ("rhi", r"(?:independent )?return (?:home )?interviews?|rhis"),
    ("icpc", r"initial child protection (?:case )?conferences?|initial conferences?|icpcs"),
    ("rcpc", r"review child protection conferences?|rcpcs"),
    ("sgo", r"special guardianship orders?|sgos"),
    ("not eet", r"neet"),
    # the front door and its assessments, whatever a council calls them
    ("mash", r"multi[- ]agency safeguarding hubs?|mash|front door"),
    ("assessment", r"child and family assessments?|c ?& ?f assessments?"),
    ("eet", r"(?:education|employment|training)(?:,? (?:and |or )?(?:education|employment|training)){2}|ete|eet"),
]

# Rules 4, 5 and 7: starts, leavers, re-entries; events rather than people; offers rather than completions.
_PHASES: list[tuple[str, str]] = [
    ("xreentry", r"re-?ent(?:ry|ries|ering|ered|ers?)(?: (?:in)?to)?(?: care)?|returned to care"
                 r"|previously (?:been )?(?:xcla|in care)|repeat episodes? of care"),
    ("xstart carein", r"enter(?:s|ed|ing)? (?:the )?care|(?:came|come|comes|coming|taken|brought) into care"
                      r"|new(?:ly)? (?:in)?to care|start(?:s|ed|ing)? to be (?:xcla|looked after)"
                      r"|admissions? (?:in)?to care|admitted (?:in)?to (?:the )?care"
                      r"|becom(?:e|es|ing) xcla|became xcla"),
    ("xstart", r"becom(?:e|es|ing) subject|became subject|starts?|starting|new|newly|recruited|recruitment"
               r"|approvals?"),
    ("xceased careout", r"leav(?:e|es|ing) care|left care|discharged from care|ceas(?:e|ed|es|ing) (?:to be )?xcla"
                        r"|ceas(?:e|ed|es|ing) (?:to be )?in care|ceas(?:e|ed|es|ing) care"),
    ("xceased", r"ceas(?:e|ed|es|ing)|ending|ended"),
    ("xevent", r"episodes?|incidents?|occasions?|instances?"),
    ("xoffer", r"offered|offers?"),
]
PHASES = ("xreentry", "xstart", "xceased", "xevent", "xoffer")

_UNITS_OF_TIME = {"working day": "d", "working days": "d", "day": "d", "days": "d", "hour": "h", "hours": "h",
                  "working hours": "h", "month": "m", "months": "m", "year": "y", "years": "y"}
_TIMESCALE = re.compile(r"\b(?:within|in|of|under)(?: the (?:last|previous|past|preceding))? (\d+) "
                        r"(working days?|days?|working hours|hours?|months?|years?)\b")
_TIMELY = re.compile(r"\b(?:(?:with)?in (?:the )?(?:required |statutory |set )?timescales?|on time|in time"
                     r"|timely|timeliness|timescales?|when due|up to date visits)\b")
_AGE = re.compile(r"\b(?:aged |age )?(?:under|over|below|above) (\d{1,2})s?\b"
                  r"|\baged (\d{1,2})(?: ?(?:-|to|and) ?(\d{1,2}))?"
                  r"|\bbetween (\d{1,2}) ?(?:-|and|to) ?(\d{1,2})\b"
                  r"|\b(\d{1,2}) ?(?:-|to) ?(\d{1,2})(?: year olds?| years?)?\b"
                  r"|\b(\d{1,2}) years? olds?\b|\b(\d{1,2})\+ ?(?:year|age)")

# Words that never tell two measures apart (the bag of a wording is what must be present).
STOPWORDS = frozenset(
    "a an the of in on to for with by from and or who which that had have has been being were was are is "
    "their its our at as this these those than number numbers no total all overall percentage proportion "
    "percent % children child young people person persons pupils cyp there figure figures performance "
    "data measure indicator rate_word".split()
)
# A status-only record (unit null) allows these units by its words (rule 2, rule 7).
_COUNT_WORDS = re.compile(r"\b(?:number|numbers|how many|count|counts|cohort|volumes?|caseloads?)\b")
_PCT_WORDS = re.compile(r"\b(?:percentage|proportion|per cent|percent|%|share)\b")
_RATE_WORDS = re.compile(r"\brates?\b|\bper 10,?000\b")
# Rule 7: a status-only record maps to a count row only when it speaks of a level, not of quality.
QUANTITY_WORDS = re.compile(
    r"\b(?:numbers?|increas\w*|decreas\w*|reduc\w*|ris(?:e|es|en|ing)|rose|f(?:a|e)ll\w*|higher|lower|high|low"
    r"|level|stable|steady|static|grow\w*|grew|drop\w*|dip|fewer|down|count|volumes?|more children|less)\b"
)


@dataclass(frozen=True)
class Features:
    """What a text says about a measure, in comparable tokens."""

    words: tuple[str, ...]
    tokens: tuple[str, ...]  # every word in order, stop words included (for `with`/`by` and `not`)
    populations: frozenset[str]
    bare_children: bool
    phases: frozenset[str]
    timescales: frozenset[str]
    timely: bool
    ages: tuple[tuple[int, int], ...]
    unit_words: frozenset[str]
    quantity: bool


def stem(word: str) -> str:
    """A word with its plural folded (`placements` -> `placement`); tokens are kept."""
    if word.startswith("x") or word.startswith("t") and word[1:2].isdigit():
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def plain(text: str) -> str:
    """Lower-case words of a text, with number words as digits and `3+` read as `3 or more`."""
    text = normalise(text).lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"(\d),(\d{3})\b", r"\1\2", text)
    text = re.sub(r"\b(\d+)\s*\+", r"\1 or more", text)
    text = re.sub(r"[^a-z0-9%'+ -]+", " ", text)
    text = re.sub(r"(?<![a-z0-9])'|'(?![a-z])", " ", text)
    text = re.sub(r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b",
                  lambda m: _NUMBER_WORDS[m.group(1)], text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    text = re.sub(r"\bre ent", "re-ent", text)
    return " ".join(text.split())


def _ages(text: str) -> tuple[tuple[int, int], ...]:
    found = []
    for match in _AGE.finditer(text):
        numbers = [int(n) for n in match.groups() if n is not None]
        if not numbers or max(numbers) > 25:
            continue
        low, high = min(numbers), max(numbers)
        if "under" in match.group(0) or "below" in match.group(0):
            low, high = 0, high - 1
        elif "over" in match.group(0) or "above" in match.group(0):
            low, high = low + 1, 25
        found.append((low, high))
    return tuple(found)


@lru_cache(maxsize=4096)  # a sentence holding several records is read once; Features are immutable
def read(text: str) -> Features:
    """The features of a text (a record's indicator or evidence, or a catalogue wording)."""
    text = plain(text)
    timescales = {_timescale_token(match) for match in _TIMESCALE.finditer(text)}
    timely = bool(_TIMELY.search(text)) or any(t[-1] in "dh" for t in timescales)  # months: a period, not a deadline
    ages = _ages(text)
    unit_words = set()
    if _COUNT_WORDS.search(text):
        unit_words.add("count")
    if _PCT_WORDS.search(text):
        unit_words.add("percent")
    if _RATE_WORDS.search(text):
        unit_words.update(("rate_per_10000", "percent"))
    quantity = bool(QUANTITY_WORDS.search(text))
    text = _TIMESCALE.sub(lambda m: f" {_timescale_token(m)} ", text)
    text = _TIMELY.sub(" tok ", text)
    text = re.sub(r"\bper 10000\b", " xper10000 ", text)
    for token, pattern in _SHORT_NAMES:
        text = re.sub(r"\b(?:" + pattern + r")\b", f" {token} ", text)
    populations = set()
    for token, pattern in _POPULATIONS:
        text, found = re.subn(r"\b(?:" + pattern + r")\b", f" {token} ", text)
        if found:
            populations.add(token)
    text = " ".join(text.split())  # one space between tokens, so phase patterns read 'became xcla' as written
    bare_children = bool(re.search(r"\b" + _CHILD + r"\b", text))
    phases = set()
    for tokens, pattern in _PHASES:
        text, found = re.subn(r"\b(?:" + pattern + r")\b", f" {tokens} ", text)
        if found:
            phases.add(tokens.split()[0])
    words = tuple(stem(w) for w in text.split() if w not in STOPWORDS)
    tokens = tuple(stem(w) for w in text.split())
    return Features(words=words, tokens=tokens, populations=frozenset(populations), bare_children=bare_children,
                    phases=frozenset(phases), timescales=frozenset(timescales), timely=timely, ages=ages,
                    unit_words=frozenset(unit_words), quantity=quantity)


def _timescale_token(match: re.Match[str]) -> str:
    """`t<N><d|h|m|y>` for one `within N (working) days/hours/months/years`; 24 hours is the front
    door's 1 working day."""
    number, unit = int(match.group(1)), _UNITS_OF_TIME[match.group(2)]
    if unit == "h" and number == 24:
        number, unit = 1, "d"
    return f"t{number}{unit}"


# Rule 1: words that name a subgroup of a population (a placement type, a legal status, a group of
# children). A record naming one maps only to a row whose own wordings name it.
SUBGROUP_WORDS = frozenset(stem(word) for word in (
    "unregistered semi residential foster fostering kinship connected secure "
    "house agency ifa disabled disability disabilities send ehcp boys girls male female ethnic black asian "
    "white mixed sibling siblings parent parents area distance mile miles custody remand remanded "
    "mainstream unconnected key stage gcse gcses ks2 ks4 attainment exclusion excluded pregnant mothers babies infants "
    "adopted adoption sgo guardianship placed pupil pupils continuously unclosed closed "
    "closure outstanding".split()
))
