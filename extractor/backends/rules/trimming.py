"""How minutes wrap a measure in words that are not its name: who said it, the verb of speech, a
heading's prefix, the verb that gives its level, and the words a cut clause leaves dangling.

naming.py cuts a name from a clause; these rules trim it to the noun phrase that names the measure.
Every pattern is about how minutes are worded, never about one document's phrases.
"""

from __future__ import annotations

import functools
import re

from .lexicon import SERVICE_NOUN

_SERVICE = re.compile(rf"\b{SERVICE_NOUN}\b", re.I)

# Verbs of speech and report, in the forms minutes use ('reported', 'was pleased to note').
_SPEECH = (
    r"(?:reported|reports|noted|notes|heard|advised|advises|explained|explains|confirmed|confirms|informed|"
    r"told|stated|states|said|says|highlighted|highlights|welcomed|welcomes|indicated|indicates|commented|"
    r"added|clarified|acknowledged|observed|outlined|outlines|emphasi[sz]ed|stressed|pointed\s+out|"
    r"responded|replied|updated|mentioned|showed|shows|demonstrated|assured|agreed|recogni[sz]ed|accepted|"
    r"learn(?:ed|t)|remarked|reiterated|announced|suggested|presented|summari[sz]ed|concluded|queried|"
    r"asked|enquired|questioned|understood|were\s+told|was\s+told|discussed|considered|debated|"
    r"scrutini[sz]ed|examined|received|reviewed|"
    r"(?:was|were|is|are)\s+(?:very\s+)?(?:pleased|happy|delighted|concerned|disappointed|encouraged|"
    r"reassured|interested)\s+(?:to\s+(?:note|hear|report|see|learn)))"
)
# Whom it was said to: 'advised the Committee that', 'explained to Members that'.
_AUDIENCE = (
    r"(?:(?:to\s+)?(?:the\s+)?(?:members|committee|sub-committee|panel|board|meeting|forum|group|cabinet|"
    r"councillors?|us|them|him|her)\s+)?"
)
# A speech verb and the conjunction that opens what was said: '... reported that', 'asked why',
# 'welcomed the fact that', 'referred to the table where'.
_SAID_THAT = re.compile(
    rf"\b{_SPEECH}\s+{_AUDIENCE}(?:with\s+(?:some\s+|great\s+)?(?:concern|interest|pleasure|regret|satisfaction|"
    r"disappointment)\s+)?(?:by\s+(?:the\s+)?(?:[\w'-]+\s+){1,6}?)?(?:the\s+fact\s+)?(?:that|whether|why|how|if)\b\s*|"
    r"\bit\s+(?:was|is)\s+(?:\w+\s+)?(?:pleasing|encouraging|positive|good|noted|disappointing|concerning|"
    r"reassuring|clear|evident|important)\s+(?:to\s+(?:note|see|hear|report)\s+)?that\b\s*|"
    r"\breferred\s+(?:members\s+)?to\s+(?:[\w.'-]+\s+){1,4}?where\b\s*|\b(?:noting|reporting)\s+that\b\s*",
    re.I,
)
# Who said it, when nothing but the verb stands between them and the figures: 'The Head of Service
# reported 1,204 contacts', 'Officers highlighted 45 ...', 'Councillor Green noted ...'.
_ROLE = (
    r"(?:chair(?:man|woman|person)?|vice-chair|director|head|manager|member|members|officers?|lead|holder|"
    r"committee|sub-committee|panel|board|cabinet|report|dashboard|data|figures|presentation|scorecard|"
    r"councillors?|advis[eo]r|worker|commissioner|executive|mayor|leader|minister|inspectors?|ofsted|"
    r"service|services|team)"
)
_SPEAKER = (
    r"(?:it|he|she|they|we|i|members|officers?|councillors?(?:\s+[A-Z][\w'-]+){0,2}|"
    r"(?:the\s+)?(?:[\w'-]+\s+){0,5}?" + _ROLE + r"(?:\s+(?:of|for)\s+(?:[\w'&-]+\s+){0,3}?[\w'&-]+?)?|"
    r"(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][\w'-]+)"
)
_SPEAKER_SAID = re.compile(
    rf"(?:^|(?<=[,;:]\s))\s*{_SPEAKER}\s+(?:(?:also|further|then|again|had|has|have|was|were|then)\s+)*"
    rf"{_SPEECH}\b\s*{_AUDIENCE}",
    re.I,
)
# A heading run into its text: 'OUTCOMES - 85% of ...', 'EARLY HELP: ...', '3.1- ...', '(b) ...'.
_HEADING = re.compile(
    r"^\s*(?:(?P<caps>[A-Z][A-Z&/'’]*(?:[\s-][A-Z][A-Z&/'’]*)*)\s*[-–—:]+\s+|"
    r"(?:\d+(?:\.\d+)*|[a-h]|[ivx]{1,4})[.)]?\s*[-–—:)]\s*(?=[A-Za-z\"'‘“]))"
)
# The verb that gives the measure's level or movement: what comes before it names the measure.
_LEVEL_VERB = re.compile(
    r"(?<!\s)\s+(?P<aux>(?:(?:has|have|had|was|were|is|are|being|been)\s+)*)(?:(?:now|also|currently|still|further|then|"
    r"again|\w+ly)\s+)*(?:(?:continued?|continues|started|starts|begun|began)\s+to\s+(?:be\s+)?\w+|"
    r"averag(?:ing|ed)|rang(?:ing|ed)\s+(?:from|between)|var(?:ying|ied)\s+(?:from|between)|"
    r"remained|remains|remain|stood|stands|standing|increased|decreased|rose|risen|fell|fallen|reduced|"
    r"dropped|improved|declined|deteriorated|grew|grown|maintained|doubled|halved|"
    r"(?:had|has|have|saw|seen|shows?|showed|shown)\s+an?\s+(?:[\d.,]+\s*%?\s*)?(?:\w+\s+)?"
    r"(?:increase|decrease|reduction|rise|fall|drop|improvement|decline|jump|dip)|"
    r"(?:just\s+|slightly\s+|well\s+)?(?:above|below|under|over|on|off|within)\s+(?:the\s+)?target|"
    r"(?:above|below|higher\s+than|lower\s+than|in\s+line\s+with)\s+(?:the\s+)?(?:national|regional|"
    r"statistical|England|target))\b.*$",
    re.I | re.S,
)
# 'the Virtual School maintained 100% PEPs completion': a verb with nothing after it, and no auxiliary
# before it, takes the figures as its object; the name is not cut there.
_BARE_END = re.compile(r"^\s+\w+\s*$")
_COPULA_END = re.compile(
    r"(?<!\s)\s+(?:(?:was|were|is|are)(?:\s+(?:reported|recorded|shown|given|measured)\s+as)?|stood\s+at|stands\s+at|"
    r"at)\s*$", re.I)
# 'children who had improved attendance': the verb is the cohort's. ('care numbers which had reduced
# from 449 to 442': the verb gives the level, and the relative pronoun goes with it.)
_RELATIVE_BEFORE = re.compile(r"\b(?:who|whom|whose)\s+(?:\S+\s+){0,2}$", re.I)
# What follows the number when the level verb came before it names the measure, unless it is a time,
# a comparison or a comment: 'stood at 89% since ...' (not the name), 'averaging at 52% completed in
# timescale' (the name goes on).
_NOT_QUALIFIER = re.compile(
    r"^\s*(?:%|per\s?cent)?\s*(?:since|there|compared|against|than|which|this|that|when|following|due|as|from|over|"
    r"during|between|along\s+with|in\s+line|above|below|higher|lower|the\s+same|similar|last|previous|up|down|an?\s+"
    r"(?:increase|decrease|rise|fall|drop|reduction|improvement)|and|but|,|;|\.|\(|-|\u2013|$|"
    r"(?:working\s+)?(?:days?|weeks?|months?|hours?)\s*[.,;]?\s*$)",
    re.I,
)
# Words a clause cut short leaves at either end of a name: 'young people had', 'the 16-17 year olds who'.
_DANGLING_END = re.compile(
    r"(?:[\s,;:(-]+|^)(?:who|whom|whose|which|that|where|when|while|had|has|have|were|was|is|are|be|been|"
    r"being|did|do|does|will|would|could|with|and|or|but|of|to|for|at|by|as|than|the|a|an|their|its|our|"
    r"from|in|on|also|now|only|just|currently|still|very|so|this|these|those|around|about|approximately|"
    r"nearly|almost|over|under|some|standing|stood|remained|total|number|"
    # the verb of a total or an average: 'Referrals to children's social care totalled 1,104'
    r"totall?ed|numbered|amounted\s+to|came\s+to|averag(?:ed|ing)(?:\s+(?:days|weeks|months|hours))?)$",
    re.I,
)
_DANGLING_START = re.compile(
    r"^(?:only|just|around|about|approximately|nearly|almost|some|roughly|also|now|currently|still|"
    r"so\s+far|overall|in\s+total|as\s+many\s+as|more\s+than|less\s+than|fewer\s+than|"
    r"(?:the\s+)?(?:figures?|performance|data|results?|outturn|position)\s+(?:for|on|against|in\s+relation\s+to)(?:\s+the)?|"
    # a paragraph's number, a count said twice and 'There (were)': '4.2 There were 742 referrals'
    r"\d{1,2}(?:\.\d{1,2}){1,2}\.?|[\d,]+(?=\s+[a-z])|there(?=\s+[a-z])|"
    # a share's approximation or proportion in words: 'Over 90% of', 'Just under half (48%) of', 'One in five'
    r"(?:over|under)(?:\s+(?:half|a\s+(?:third|quarter)))?(?:\s+of)?|(?:half|a\s+(?:third|quarter))\s+of|"
    r"(?:one|two|three|four)\s+in\s+(?:two|three|four|five|six|ten))\s+",
    re.I,
)
# 'We have also seen a reduction in the number of children ...': the measure follows the change.
_CHANGE_LEAD = re.compile(
    r"^(?:we|there|it|they)\s+(?:(?:has|have|had|also|now)\s+)*(?:seen|been|saw|see)\s+an?\s+(?:\w+\s+)?"
    r"(?:increase|decrease|reduction|rise|fall|drop|improvement|decline)\s+in\s+"
    r"(?:the\s+(?:number|proportion|percentage|rate)\s+of\s+)?",
    re.I,
)
# What a sentence gives as the cause of what it reports: 'largely due to', 'driven by'.
CAUSE = re.compile(r"\b(?:due\s+to|driven\s+by|because\s+of|as\s+a\s+result\s+of|owing\s+to|caused\s+by)\b", re.I)
# 'The quarter was significantly affected by six young people who ...': what did the affecting is
# the measure, unless the words before it name who was affected ('children affected by neglect').
_AFFECTED_BY = re.compile(
    r"^(?P<head>.*?)\b(?:\w+ly\s+)?(?:impacted|affected|influenced|driven|caused|accounted\s+for)\s+by\s+(?=\S)",
    re.I,
)
# A name that only points back at a measure named elsewhere.
ANAPHOR = re.compile(
    r"^(?:this|that|it|these|those|they|the\s+figure|this\s+figure|the\s+figures|this\s+indicator|"
    r"the\s+indicator|this\s+measure|the\s+measure|this\s+number|the\s+number|the\s+numbers|numbers?|"
    r"figures?|this\s+rate|the\s+rate|this\s+percentage|performance|the\s+performance|this\s+area)$",
    re.I,
)
# 'In relation to X, this stood at 61%': the measure is named in the lead.
_ABOUT_LEAD = re.compile(
    r"\b(?:in\s+relation\s+to|with\s+(?:regards?|respect|reference)\s+to|in\s+respect\s+of|regarding|"
    r"turning\s+to|in\s+terms\s+of|concerning|on\s+the\s+(?:issue|subject|matter)\s+of|"
    r"(?:discussion|debate|question|update|concerns?)(?:\s+[\w-]+){0,2}?\s+(?:around|about|on|regarding))\s+"
    r"(?:the\s+)?(?:(?:number|percentage|proportion|rate)\s+of\s+)?(?P<name>(?:[^,;:.]|,(?=\s(?:[\w-]+,?\s){1,2}(?:and|or)\s[\w-]+\b)){3,160}?)(?=\s*(?:[;:.]|,(?!\s(?:[\w-]+,?\s){1,2}(?:and|or)\s))|$)",
    re.I,
)


def said_frame_end(sentence: str, before: int) -> int:
    """Where the last frame of speech before offset `before` ends ('The Head of Service reported that',
    'It was noted that', 'Members were told that'), or 0 when there is none."""
    return max((end for end in _frame_ends(sentence) if end <= before), default=0)


@functools.lru_cache(maxsize=1024)
def _frame_ends(sentence: str) -> tuple[int, ...]:
    """Where each frame of speech in the sentence ends; found once per sentence, not once per value."""
    ends = []
    for match in _SAID_THAT.finditer(sentence):
        lead = sentence[: match.start()].rstrip()
        # 'children who said that they felt safe' is a measure, not a frame.
        if not re.search(r"\b(?:who|which|whom)$|%$", lead, re.I):
            ends.append(match.end())
    ends += [match.end() for match in _SPEAKER_SAID.finditer(sentence)]
    return tuple(ends)


def heading_prefix_end(text: str) -> int:
    """Where a heading run into the sentence ends ('OUTCOMES - ', 'EARLY HELP: ', '3.1- '), or 0.
    An acronym that may be the measure itself ('NEET: 12%') is kept: a capitals prefix goes only
    when it is two words or a word of six letters or more."""
    match = _HEADING.match(text)
    if not match:
        return 0
    caps = match.group("caps")
    if caps is not None and len(caps.split()) < 2 and len(re.sub(r"\W", "", caps)) < 6:
        return 0
    return match.end()


_TITLE = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?P<title>[A-Z][\w'&/]*(?:\s+[\w'&/]+){0,3})\s+[-\u2013\u2014]\s+|"
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?P<lead>[A-Z][\w'&/]*(?:\s+[\w'&/]+){0,7}):\s+"
)


def title_prefix_end(text: str) -> int:
    """Where a section title run into its text ends ('Permanence - 18 children were adopted'), or 0.
    Kept where it is the only words that name a measure ('Care leavers - 91%')."""
    match = _TITLE.match(text)
    if not match or _SERVICE.search(match.group("title") or match.group("lead")) or not _SERVICE.search(
            text[match.end():]):
        return 0
    return match.end()


# 'the service had received 1,876 contacts': who did the work is not what was counted; what they
# did to it is ('Contacts received').
_AGENT = re.compile(
    r"^\s*(?:the\s+|our\s+)?(?:service|services|council|local\s+authority|authority|department|directorate|"
    r"team|front\s+door|mash|hub|we|they|it)\s+(?:(?:has|had|have|also|now|then)\s+)*"
    r"(?P<verb>received|recorded|saw|seen|completed|carried\s+out|undert(?:ook|aken)|dealt\s+with|processed|"
    r"approved|held|made|supported|worked\s+with|placed|accommodated|issued|achieved|reached)\s*$",
    re.I,
)


def agent_verb(before: str) -> str | None:
    """The verb when the words before a value are only who did the work and what they did: 'the
    service had received' -> 'received'; the name is then what follows the value, with the verb."""
    match = _AGENT.match(before)
    return match.group("verb") if match else None


@functools.lru_cache(maxsize=4096)
def cut_at_level(before: str) -> tuple[str, bool]:
    """'Care leavers in suitable accommodation has remained at' -> ('Care leavers in suitable
    accommodation', True): the words before the verb that gives the level name the measure.
    The verb is kept where it belongs to a relative clause ('children who had improved ...')."""
    before = " ".join(before.split())  # a frame or prefix blanked before it is a run of spaces
    match = _LEVEL_VERB.search(before)
    while match is not None:
        head = before[: match.start()]
        bare = not match.group("aux") and _BARE_END.match(match.group(0))
        if head.strip() and not bare and not _RELATIVE_BEFORE.search(head + " "):
            return head, True
        match = _LEVEL_VERB.search(before, match.start() + 1)
    copula = _COPULA_END.search(before)
    if copula and before[: copula.start()].strip():
        return before[: copula.start()], True
    return before, False


def qualifier(after: str) -> str:
    """After a level verb, the words following the number name the measure only when they are a
    cohort or a unit ('for care leavers aged 19-21', 'per 10,000'); a time or a comment goes."""
    return "" if _NOT_QUALIFIER.match(after) else after


def trim_ends(name: str) -> str:
    """Drop the words a cut clause leaves dangling at either end, and a heading's prefix."""
    name = name[heading_prefix_end(name):]
    previous = None
    while previous != name:
        previous = name
        name = _CHANGE_LEAD.sub("", _DANGLING_START.sub("", name.strip()))
        affected = _AFFECTED_BY.match(name)
        if affected and not _SERVICE.search(affected.group("head")):
            name = name[affected.end():]
        name = _DANGLING_END.sub("", name).strip()
        name = re.sub(r"[\s,.;:(\u2013\u2014-]+$", "", name)
        # '146 children subject to a plan with a rate of': the next value's lead, not this name.
        name = re.sub(r"(?:^|\s+(?:with|at|and)\s+)(?:a|an|the)\s+(?:rate|total|figure|percentage|proportion|"
                      r"number|average|level)(?:\s+of)?$", "", name, flags=re.I)
    return name


def tidy(name: str) -> str:
    """Typography a reader should not see: an unpaired quote or bracket, '22- 25' for '22-25'."""
    name = re.sub(r"\(\s*(per\s+[\d,]+(?:\s+population)?)\s*\)", r"\1", name, flags=re.I)
    name = re.sub(r"\s[-\u2013\u2014]\s+(?=\w+ed\b)", " ", name)  # 'Assessments - [45%] completed within'
    name = re.sub(r"(?<=[a-z])-\s+(?=[a-z])", "-", name)  # 'asylum-\nseekers', a word broken at a line's end
    name = re.sub(r"(?<=\d)\s*-\s+(?=\d)|(?<=\d)\s+-\s*(?=\d)", "-", name)
    for left, right in (("(", ")"), ("\u201c", "\u201d"), ("\u2018", "\u2019")):
        if name.count(left) != name.count(right):
            name = name.replace(left, "").replace(right, "") if left != "\u2018" else name.replace(left, "")
    if name.count('"') % 2:
        name = name.replace('"', "")
    return " ".join(name.split())


def about_lead(sentence: str, before: int) -> str | None:
    """The measure a sentence names in its lead ('In relation to X, this ...'), before offset `before`."""
    found = None
    for match in _ABOUT_LEAD.finditer(sentence, 0, before):
        found = match.group("name")
    return found


def is_anaphor(name: str) -> bool:
    """Does the name only point back at a measure named elsewhere ('This', 'The figure')?"""
    return bool(ANAPHOR.match(name.strip()))


_THOSE = re.compile(
    r"^(?P<lead>(?:for|among|amongst|of)\s+)?those\s+(?=aged|who|in|with|under|over|leaving|placed)", re.I
)
_COHORT = re.compile(
    r"\b(?:for|among|amongst|of)\s+(?:the\s+|our\s+|all\s+)?(?P<noun>(?!those\b)(?:[\w-]+\s+){1,3}?)"
    r"(?=aged|who|in\s|with|under|over|leaving|placed)",
    re.I,
)


def those_named(name: str, before: str) -> str:
    """'... 22.6% for care leavers aged 19-21 and 14.6% for those aged 22-25': 'those' is the cohort
    named earlier in the sentence, 'care leavers aged 22-25'."""
    match = _THOSE.match(name)
    if not match:
        return name
    cohorts = [c.group("noun") for c in _COHORT.finditer(before)]
    if not cohorts:
        return name
    return cohorts[-1].strip() + " " + name[match.end():]


_OF_LEAD = re.compile(
    r"^[\s,;:]*(?:of|among|amongst)\s+(?:the\s+|our\s+)?(?P<cohort>(?!(?:the\s+|our\s+)?(?:these|those|them|which|whom)\b)[^,;:]{3,100}),\s*$",
    re.I,
)


def of_lead(sentence: str, start: int) -> str | None:
    """The cohort a sentence opens with when its clause names only what happened to it: 'Of the care
    leavers aged 19-21, 58% ...' -> 'care leavers aged 19-21'. None for 'Of these, ...'."""
    match = _OF_LEAD.match(sentence[:start])
    return match.group("cohort") if match else None


_MEASURE_OF = re.compile(
    r"\b(?:number|numbers|proportion|percentage|rate|level)\s+of\s+(?P<name>(?:[\w'-]+\s+){0,8}?[\w'-]+)"
    r"(?=\s+(?:was|were|is|are|has|have|had|remained|continued|increased|decreased|rose|fell|reduced)\b|[,;:.]|$)",
    re.I,
)


def pointed_at(before: str) -> str | None:
    """The measure an anaphor ('the numbers', 'this') points back at, from what the sentence said
    before it: 'the numbers of looked after children were increasing but the numbers were level' ->
    'numbers of looked after children'; or its lead ('Further to the discussion around X, ...')."""
    found = [m for m in _MEASURE_OF.finditer(before)]
    if found:
        last = found[-1]
        return before[last.start(): last.end()]
    return about_lead(before, len(before))


_SUBJECT_END = re.compile(r"\s(?:were|was|are|is|had|has|have|will|would|could)\b", re.I)


def antecedent(clause: str) -> str:
    """The subject of a clause, what a following 'of which' counts: 'All interviews (excluding X) were
    offered except for 2' -> 'All interviews (excluding X)'. A count printed before it goes."""
    clause = re.sub(r"^\s*there\s+(?:(?:had|have|has)\s+been|were|was|are|is)\s+", "", clause, flags=re.I)
    did = re.match(r"^(?P<agent>.*?)\s[\d,.]+\s+(?P<what>\S.*)$", clause)
    if did and agent_verb(did.group("agent")):  # 'the service had received 1,876 contacts' -> 'contacts'
        clause = did.group("what")
    cut = _SUBJECT_END.search(clause)
    subject = clause[: cut.start()] if cut else clause
    return re.sub(r"^\s*(?:all\s+|the\s+)?[\d,.]+\s+", "", subject.strip(), flags=re.I)
