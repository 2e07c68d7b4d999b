"""Words of committee minutes the rules backend reads by: what is counted, and which way is better.

Every list describes how English council reports word children's-services performance in
general; none is drawn from one document's phrases.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE


def words(*items: str) -> str:
    """An alternation of words or phrases, longest first, for use inside a larger pattern."""
    return "(?:" + "|".join(sorted(items, key=len, reverse=True)) + ")"


# Things a report or a meeting counts about itself, never a service's population or activity:
# 'nine of the twelve indicators', 'three parts', 'four meetings', 'two separate scorecards'.
REPORT_NOUN = words(
    r"indicators?", r"measures?", r"metrics?", r"kpis?", r"pis?", r"targets?", r"scorecards?",
    r"dashboards?", r"reports?", r"appendix", r"appendices", r"pages?", r"paragraphs?", r"sections?",
    r"items?", r"recommendations?", r"actions?", r"priorities", r"priority", r"objectives?", r"themes?",
    r"workstreams?", r"work\s*streams?", r"areas?", r"groups?", r"categories", r"category", r"parts?",
    r"questions?", r"members?", r"councillors?", r"cllrs?", r"meetings?", r"sessions?", r"workshops?",
    r"events?", r"consultations?", r"surveys?", r"petitions?", r"declarations?", r"apologies",
    r"agendas?", r"papers?", r"documents?", r"teams?", r"posts?", r"vacanc(?:y|ies)", r"places?", r"beds?",
    r"options?", r"proposals?", r"points?", r"issues?", r"domains?", r"strands?", r"pillars?", r"phases?",
    r"stages?", r"schemes?", r"projects?", r"programmes?", r"initiatives?", r"contracts?", r"slides?",
    r"charts?", r"graphs?", r"tables?", r"votes?", r"abstentions?", r"seats?", r"sites?", r"buildings?",
    r"offices?", r"wards?", r"hubs?", r"providers?", r"partners?", r"agencies", r"organisations?",
    r"services?", r"steps?", r"criteria", r"principles?", r"commitments?", r"ambitions?",
    r"aims?", r"goals?", r"outcomes?", r"pledges?", r"strategies", r"strategy", r"homes?", r"settings?",
    r"pilots?", r"units?", r"aldermen", r"alderman", r"representatives?", r"co-opted", r"nominees?", r"governors?",
    r"trustees?", r"observers?", r"deputies", r"chairs?", r"vice-chairs?", r"speakers?",
)

# Ratings a report gives its indicators in bulk: "11 'On Target'", "rated green".
RAG_LABEL = r"['\u2018\u2019\"]?(?:red|amber|green|on\s+target|off\s+target|on\s+track|off\s+track|within\s+tolerance)['\u2018\u2019\"]?"

# The people and events a children's service measures: the head nouns of a KPI.
SERVICE_NOUN = words(
    r"child(?:ren)?", r"young\s+(?:people|persons?)", r"care\s+leavers?", r"pupils?", r"learners?",
    r"babies", r"infants?", r"families", r"households?", r"(?:foster\s+)?carers?", r"adopters?",
    r"referrals?", r"re-?referrals?", r"assessments?", r"plans?", r"reviews?", r"visits?", r"placements?",
    r"moves?", r"adoptions?", r"approvals?", r"de-?registrations?", r"caseloads?", r"cases?", r"entrants?",
    r"offen(?:ces?|ders?|ding)", r"episodes?", r"incidents?", r"attendance", r"exclusions?", r"contacts?",
    r"enquiries", r"applications?", r"registrations?", r"orders?", r"allocations?", r"interviews?",
    r"checks?", r"conferences?", r"notifications?", r"missing", r"numbers?", r"rates?", r"figures?",
    r"timeliness", r"stability", r"social\s+workers?", r"staff", r"workers?", r"leavers?", r"UASC",
    r"CiC", r"LAC", r"CLA", r"CIN", r"CP", r"EHCPs?", r"PEPs?", r"IHAs?", r"RHIs?", r"NEET", r"EET",
    r"disposals?", r"arrests?",
)

# The people a children's service counts: a report noun after one of these ('children achieving a good
# level') is not what is counted.
PERSON_NOUN = words(
    r"child(?:ren)?", r"young\s+(?:people|persons?)", r"care\s+leavers?", r"pupils?", r"learners?", r"babies",
    r"infants?", r"families", r"households?", r"(?:foster\s+)?carers?", r"adopters?", r"boys", r"girls",
)

# What a children's-services measure is about: its people, its work, its settings and its outcomes. A
# number whose name and clause name none of these ('30% affordable housing', '71% of the affected staff
# are women', '63% of audits') counts something else.
SERVICE_SUBJECT = re.compile(
    rf"\b(?:{SERVICE_NOUN}|{PERSON_NOUN}|" + words(
        r"foster\w*", r"adopt\w*", r"care", r"looked\s+after", r"custody", r"remand\w*", r"education",
        r"employment", r"training", r"health\w*", r"dental", r"immunis\w*", r"take[\s-]?up", r"entitlement",
        r"SGOs?", r"special\s+guardianship", r"EHC\w*", r"SEND", r"social\s+work\w*", r"agency", r"turnover",
        r"sickness", r"vacanc\w*", r"CSC", r"MASH", r"LADO", r"IROs?", r"youth\s+justice", r"reoffend\w*",
        r"exploitation", r"CSE", r"CCE", r"safeguarding", r"protection", r"neglect", r"abuse", r"parents?",
        r"asylum", r"permanence", r"timescales?", r"absen\w*", r"attain\w*", r"suspensions?", r"students?",
        r"accommodation", r"cohorts?", r"disposals?", r"arrests?", r"strategy\s+discussions?", r"step[\s-]?(?:downs?|ups?)",
        r"in\s+touch", r"secure\s+estate", r"famil(?:y|ies)",
    ) + r")\b",
    _I,
)

# Indicators where a smaller number is the better performance: above target means missed.
LOWER_IS_BETTER = re.compile(
    r"\b(?:re-?referr\w*|repeat\w*|second\s+or\s+subsequent|subsequent\s+time|missing|offend\w*|"
    r"custody|remand\w*|(?:placement\s+)?moves?|three\s+or\s+more\s+placements|caseloads?|agency|"
    r"vacanc\w*|sickness|turnover|NEET|not\s+in\s+education|exclu\w*|absen\w*|late|overdue|out\s+of\s+"
    r"(?:timescale|area|borough)|unregulated|unregistered|waiting|delay\w*|days?\s+to|average\s+(?:time|days?)|"
    r"entrants?|re-?offend\w*|unsuitable|distance|miles|breakdowns?|disruptions?)\b",
    _I,
)
# Indicators where a larger number is the better performance (work done on time, outcomes met).
HIGHER_IS_BETTER = re.compile(
    r"\b(?:on\s+time|in\s+time|timely|within|timescales?|up\s+to\s+date|completed|suitable|"
    r"allocated|stable|stability|engag\w*|in\s+education|employment|attendance|achiev\w*|seen|visited|"
    r"take[\s-]?up|good\s+level|in\s+touch|approv\w*)\b",
    _I,
)


# Work done in time is better higher, whoever it is for ('return interviews for missing children within 72 hours').
_TIMELY = re.compile(r"\b(?:within|on\s+time|in\s+time|timely|timeliness|in\s+timescales?|up\s+to\s+date)\b", _I)


# Repeats are worse however soon they come: 're-referrals within 12 months' is no timeliness measure.
_REPEATED = re.compile(r"\b(?:re-?referr\w*|repeat\w*|second\s+or\s+subsequent|subsequent\s+time|re-?offend\w*)\b", _I)


def lower_is_better(indicator: str) -> bool | None:
    """True when a smaller value is better, False when a larger one is, None when the name does not say."""
    if _REPEATED.search(indicator):
        return True
    if _TIMELY.search(indicator) and not re.search(r"\b(?:late|overdue|out\s+of\s+timescale|outside)\b", indicator, _I):
        return False
    if LOWER_IS_BETTER.search(indicator):
        return True
    if HIGHER_IS_BETTER.search(indicator):
        return False
    return None


# What council pages count that is no service's people or activity: housing and planning, elections,
# procurement, audit, consultations, buildings and the council's own establishment. A number counting
# one of these ('146 dwellings', '19 bids', 'Turnout: 34.2%', '58% of respondents') is no KPI.
NON_SERVICE_NOUN = words(
    r"dwellings?", r"flats?", r"storeys?", r"hectares?", r"acres?", r"(?:car\s+|cycle\s+)?(?:parking\s+)?spaces",
    r"vehicles?", r"routes?", r"letters?", r"objections?", r"representations?", r"comments?", r"responses?",
    r"respondents?", r"signatures?", r"e-?mails?", r"bids?", r"tenders?", r"tenderers?",
    r"lots?", r"suppliers?", r"audits?", r"audit\s+days", r"matches", r"votes?", r"seats?", r"ballot\s+papers?",
    r"electorate", r"turnout", r"majority", r"candidates?", r"roles?", r"allowances?", r"grades?", r"FTE",
    r"trade\s+unions?", r"employees?", r"schools?", r"classrooms?", r"forms?\s+of\s+entry", r"bedrooms?",
    r"buses", r"bus", r"councils?", r"authorities", r"organisations?", r"applicants?", r"preferences?",
    r"sessions?", r"signatories", r"residents?", r"roof\s+replacements?", r"boiler\s+replacements?",
)

# Political groups: 'Labour 29, Conservative 18' counts seats or votes.
PARTY = (r"(?:Labour|Conservatives?|Liberal\s+Democrats?|Lib\s+Dems?|Greens?|Green\s+Party|Independents?|"
         r"Reform(?:\s+UK)?|Plaid\s+Cymru|SNP|UKIP)")
