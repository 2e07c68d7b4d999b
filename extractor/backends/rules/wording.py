"""More ways minutes state a direction without a number (status-only statements, records.md include 4).

Each pattern has a group `np` (or `np2`) naming the indicator and one of `verb`, `noun`, `cmp`
(`cmp2`) or `better` giving its direction; status.statements() reads them like its own. Worked
examples, in invented wording, are in tests/test_rules.py.
"""

from __future__ import annotations

import re

from .lexicon import SERVICE_NOUN

_I = re.IGNORECASE
# Where a named indicator stops: a clause word, a period word, punctuation.
_NP_END = (r"(?=\s+(?:and|but|while|although|since|during|over|this|last|was|were|had|has|is|are|"
           r"in\s+the\s+(?:last|past))\b|[,;.()]|$)")

# 'Good progress had been made on how quickly assessments were completed': an improvement, named.
PROGRESS_MADE = re.compile(
    r"\b(?:good|significant|some|positive|considerable|real|further|excellent|steady|strong|notable|marked|"
    r"continued|pleasing)\s+(?P<better>progress)\s+(?:had\s+been\s+|has\s+been\s+|have\s+been\s+|was\s+|is\s+being\s+|being\s+)?"
    r"(?:made|achieved|seen|shown)\s+(?:on|in|with|around|regarding|towards?)\s+(?:improving\s+|the\s+)?"
    r"(?P<np>[^,;.()]+?)(?=\s+(?:and|but|while|although|since|during|over|this|last)\b|[,;.()]|$)", _I)
# 'even though more children were on child protection plans', 'there were fewer first-time entrants':
# more or fewer of what a service counts, stated without a number.
MORE_OR_FEWER = re.compile(
    r"(?:\bthere\s+(?:were|was|are|had\s+been|have\s+been|has\s+been)\s+(?P<cmp>more|fewer)\s+"
    rf"(?P<np>(?:[\w'-]+\s+){{0,3}}?{SERVICE_NOUN}\b[^,;.\d]{{0,60}}?)"
    r"|(?:^|[,;:]\s*|\b(?:that|though|although|as|while|whereas|with|but)\s+)(?P<cmp2>more|fewer)\s+"
    rf"(?P<np2>(?:[\w'-]+\s+){{0,3}}?{SERVICE_NOUN}\s+(?:were|are|was|is|had\s+been|have\s+been|has\s+been|entered|left|"
    r"became|started|returned|went|came)\s+"
    r"[^,;.\d]{3,60}?))(?=\s+(?:than|this|in\s+the|during|compared|over|since|at\s+the)\b|[,;.]|$)", _I)
# 'There was an improving picture for placement stability', 'a worsening trend in re-referrals'.
PICTURE = re.compile(
    r"\b(?:an?|the)\s+(?P<verb>improving|worsening|deteriorating|increasing|rising|decreasing|declining|reducing|falling)\s+"
    r"(?:picture|trend|position|trajectory)\s+(?:for|in|on|around|with|regarding)\s+(?:the\s+)?(?:number\s+of\s+)?"
    r"(?P<np>[^,;.()]+?)" + _NP_END, _I)
# 'Improvements were noted in the timeliness of reviews', 'a reduction was seen in missing episodes'.
NOTED_CHANGE = re.compile(
    r"\b(?P<noun>improvements?|increases?|reductions?|decreases?|rises?|falls?|declines?)\s+(?:were|was|had\s+been|have\s+been|"
    r"has\s+been)\s+(?:\w+ly\s+)?(?:noted|seen|reported|made|observed|recorded|achieved)\s+in\s+(?:the\s+)?"
    r"(?:(?:number|numbers|proportion|percentage|rate|level)\s+of\s+)?(?P<np>[^,;.()]+?)" + _NP_END, _I)
# 'had seen reduced numbers of first time entrants', 'we are seeing more children coming into care'.
SEEN_LEVELS = re.compile(
    r"\b(?:seen|seeing|saw|recorded|reported|experienced|showing|shown)\s+(?:(?P<verb>reduced|increased|rising|falling|"
    r"increasing|reducing|decreasing|decreased)\s+(?:numbers?|levels?|rates?)\s+of|(?P<cmp>more|fewer))\s+"
    rf"(?P<np>(?:[\w'-]+\s+){{0,3}}?{SERVICE_NOUN}\b[^,;.()\d]{{0,50}}?)" + _NP_END, _I)
