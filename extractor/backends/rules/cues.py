"""The cue table: what marks a number in council minutes as noise, a comparison, or a value.

Each cue declares what it marks (its role), which side of the number it reads (`before`,
`after`, the number's own `token`, its `clause`, the whole `sentence`, or the `context` of
periods around it), how many characters it reads, and worked examples in which `[[...]]`
brackets the number it decides. The rules backend walks `CUES` in order and the first cue
that fires decides; a number no cue claims is a record's value. Every cue describes how
committee reports word things in general; none names a particular document's phrases.
A new rule is a new row here, with its examples (tests/test_cues.py checks each one).
"""

from __future__ import annotations

import re

from .cue_tests import (
    DURATION_MEASURE,
    MONEY_MEASURE,
    RANGE_TAIL,
    REFERENCE,
    TIME_UNIT,
    about_money,
    attached_earlier,
    code,
    compared,
    counts_other_things,
    earlier_parenthesis,
    earlier_when,
    framed,
    from_to,
    item_number,
    labelled_other,
    ordinal,
    percent_wrapped,
    re_,
    report_count,
)
from .lexicon import SERVICE_NOUN
from .reading import Cue, Match, Reading

_I = re.IGNORECASE
NEGATIVE_CHANGE = {"reduction", "decrease", "fall", "drop", "decline", "reduced", "decreased", "fell",
                   "dropped", "declined", "down", "lower", "fewer", "less", "worse", "below", "dip", "dipped"}


_NATIONAL_SUBJECT = re_(r"(?:^|[(,;]|\band\s|\bwith\s)\s*(?:(?:the|a|an)\s+)?(?:england|national)\b"
                        r"(?P<between>,?\s+[^;,()]{1,70}?)?\s*(?:\b(?:was|is|were|are|stood\s+at|stands\s+at|of)\s*|:\s*)$")
_TARGET_BEFORE = re_(r"\b(?:target|targets|aim|ambition|goal|threshold|standard|expectation)"
                     r"(?:\s+(?:set|was|is|of|being|at|to\s+be|to\s+be\s+at|to\s+reach|to\s+achieve|to\s+hit|for|which\s+is|"
                     r"level|figure|rate|range|"
                     r"band|has\s+been|had\s+been|remains|this\s+year))*\s*(?::|\(|\s)\s*$")
# 'within the four-weekly standard was 81%': a standard that defines the measure, as a timescale does
_WITHIN_STANDARD = re_(r"\bwithin\s+(?:the\s+|our\s+|its\s+)?(?:[\w-]+\s+){0,2}standards?\s+(?:was|is|were|are|stood\s+at)\s*$")
_EARLIER_AFTER = re_(r"^\s*%?\s*(?:in\s+|for\s+|at\s+|during\s+)?(?:the\s+)?(?:same\s+(?:period|time|quarter|point)\s+)?"
                     r"(?:last|previous|prior|preceding)\s+(?:year|quarter|month|period|reporting\s+period)\b")
_SMALL_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten)\b"
# A figure of its own before a number ('58% (52% last year)'); not a paragraph number, nor a timescale.
_FIGURE_BEFORE = re_(r"\d\s*%|(?<=[\s(])\d[\d,]*(?:\.\d+)?(?!\s*(?:working\s+)?(?:days?|weeks?|months?|hours?|years?)\b)"
                     r"(?=\s+[a-z])")


# --- the table ---------------------------------------------------------------------------------------

CUES: tuple[Cue, ...] = (
    # Noise the number's own characters and neighbours give away.
    Cue("file_size", "noise", "after", 12, (
        "Performance Scorecard pdf icon PDF [[2]] MB", "Minutes PDF [[70]] KB", "the 5MB pack is [[5]]mb",
    ), pattern=re_(r"^\s*(?:kb|mb|gb|bytes|pages?|pp)\b")),
    Cue("time_of_day", "noise", "after", 12, (
        "The meeting started at [[7.30]] pm.", "Tuesday, 4th March, 2025 [[5.45]] p.m.", "by [[4]] p.m. today",
        "by the deadline of [[12]] noon",
    ), pattern=re_(r"^\s*(?:am|pm|a\.m\.?|p\.m\.?|o'?clock|noon|midday|midnight)(?![a-z])")),
    Cue("date_pair", "noise", "after", 30, (
        "the weekend held on [[18]] and 19 January", "between [[3]] and 7 March 2025",
    ), pattern=re_(r"^\s*(?:and|to|-|\u2013|&)\s*\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")),
    Cue("code", "noise", "token", 0, (
        "Loxley House, Nottingham, NG[[2]] 3NG.", "Part 1 of Schedule [[12]]A", "the S[[11]] safeguarding duty",
        "as amended under ref ED/[[14]]/203", "Sandbach, CW11 [[1]]HZ",
    ), test=code),
    Cue("ordinal", "noise", "token", 0, (
        "in the [[21]]st century", "ranked [[40]]th of 151 councils", "by their [[18]]th birthday",
        "Thursday, [[9]]th October",
    ), test=ordinal),
    Cue("rank", "noise", "before", 40, (
        "ranked 40th of [[151]] councils", "we are now placed [[3]] in the region", "a league table position of [[12]]",
    ), pattern=re_(r"(?:\b(?:ranked|ranking|position(?:\s+of)?|placed|league\s+table\s+\w+(?:\s+of)?)\s+"
                   r"(?:\w+\s+){0,2}?|\d+(?:st|nd|rd|th)\s+(?:out\s+)?of\s+)$")),
    Cue("reference", "noise", "before", 40, (
        "as agreed at Minute [[57]]", "Indicator [[7]]: Timeliness of Health Assessments",
        "point [[5.7]] of the report", "(see pages 31 to [[36]])", "Page 1 of [[2]]", "Part [[1]] of Schedule 12A",
        "Key Indicator [[4]] shows", "as chart [[4.1]] shows", "see paragraphs 3.1 to [[3.4]]",
        "under Standing Order [[12]]",
    ), counts_only=True, pattern=re_(rf"\b{REFERENCE}{RANGE_TAIL}")),
    # The rest of a whole restates its complement: 'the remaining 2% were new to care'.
    Cue("remainder", "noise", "before", 20, (
        "98% had a PEP; the remaining [[2]]% were new to care", "with the remaining [[three]] to follow",
    ), pattern=re_(r"\b(?:the\s+)?remaining\s+$")),
    Cue("school_year", "noise", "before", 12, ("learners in Year [[9]] in our care",),
        pattern=re.compile(r"\bYear\s*$")),
    Cue("label", "noise", "after", 12, (
        "Measures 14/[[15]]: Placement Moves", "Measures [[14]]/15: Placement Moves", "Priority Two [[3]]: Children",
    ), pattern=re.compile(r"^(?:\s*/\s*\d+)?\s*:\s*[A-Z]")),
    Cue("figure_talk", "noise", "before", 40, (
        "a Member asked that the reference to [[6]]% on page 3 be checked",
        "Members queried the figure of [[90]]% in the report",
    ), pattern=re_(r"\b(?:references?\s+to|mention\s+of|the\s+figure\s+of|quoted|queried|query\s+about|"
                   r"asked\s+about|asked\s+why)\s+(?:the\s+)?$")),
    Cue("topic_clause", "noise", "token", 0, (
        "In relation to plans reviewed over [[four]] cycles, 81% were current",
    ), counts_only=True, test=lambda r: bool(
        re.match(r"\s*(?:in\s+relation\s+to|with\s+regards?\s+to|regarding|in\s+respect\s+of|in\s+terms\s+of)\b"
                 r"[^,;]*$", r.before, _I) and re.search(r"[,;][^.]*\d", r.after))),
    Cue("item_number", "noise", "token", 0, (
        "[[12]] Quarterly Performance Scorecard - Children's Services", "[[3.1]]- 15% gap discussed",
        "[[108]]. Minutes of the last meeting", "[[1.2]] The directorate is forecasting an overspend",
    ), test=item_number),
    # A heading's own number: 'Meeting 1 - Thursday 18 July', 'Lot 2: self-contained flats'.
    Cue("heading_label", "noise", "before", 20, (
        "Meeting [[1]] - Thursday 18 July 2024", "Lot [[2]]: self-contained flats",
    ), pattern=re.compile(r"(?:^|\n)\s*(?:Meeting|Lot|Round|Session|Workshop|Option|Phase|Stage|Tranche)\s*$")),
    Cue("named_number", "noise", "before", 40, (
        "the impact of COVID-[[19]] on visits", "during the Covid [[19]] pandemic",
        "the Healthy Child Programme [[0]]-19", "the Healthy Child Programme 0-[[19]] service",
        "the Family Hubs Phase [[2]] roll-out",
    ), counts_only=True, pattern=re_(
        r"(?:[A-Za-z]-|\b(?:covid|sars|wave|version|v|programme|project|scheme|strategy|service|hubs?|unit|centre|"
        r"pathway|model|framework|initiative|partnership|network|act|policy|bill|phase)\s*-?\s*"
        r"(?:\d+\s*(?:-|\u2013|to)\s*)?)$")),
    # A ratio stated 'for every N ..., one ...' is one measure: N is its value, the 'one' is its base.
    Cue("ratio_for_every", "value", "before", 12, (
        "for every [[1.4]] children who left care, one child entered", "For every [[3]] referrals, one led to a plan",
    ), pattern=re_(r"\bfor\s+every\s+$")),
    Cue("ratio_base", "noise", "before", 120, (
        "for every 1.4 children who left care, [[one]] child entered", "For every 3 referrals, [[1]] led to a plan",
    ), counts_only=True, pattern=re_(r"\bfor\s+every\s+[\d.]+\s+[^.;]{0,90}?,\s*$")),
    # Who is speaking or present is no measure: 'Cllr J Smith (7)', '(Head of Service) 3', 'JS 14'.
    Cue("person_beside", "noise", "before", 60, (
        "Cllr J Smith ([[7]]) and Councillor Patel 5 attended", "Cllr J Smith (7) and Councillor Patel [[5]] attended",
        "JS (Head of Service) [[3]]", "AB [[14]]", "HoP [[1]] - correct the figure at paragraph 4.6",
        "Councillor R Brandt (substitute) [[1]] of 1",
    ), counts_only=True, test=lambda r: bool(
        re.search(r"\b(?:cllr\.?|councillor|alderman|mr|mrs|ms|miss|dr)\s+(?:[A-Z][\w'.-]*\s+){0,2}[A-Z][\w'-]*\s*\(?\s*$",
                  r.before[-60:], _I)
        or re.search(r"\((?:[\w-]+\s+)?(?:chair(?:man|person)?|vice[\s-]chair|director|head\s+of\s+\w+|\w*\s*manager|"
                     r"officer|councillor|cabinet\s+member|portfolio\s+holder|lead\s+member|substitute|(?:independent\s+)?member)\)\s*[:,-]?\s*$", r.before[-60:], _I)
        or (re.search(r"(?:^|\n|[(;])\s*([A-Z][a-z]?[A-Z]{1,2})\s*[:)]?\s*$", r.before)
            and not re.search(rf"\b{SERVICE_NOUN}\s*[:)]?\s*$", r.before[-8:], _I)))),
    Cue("age_in_brackets", "noise", "before", 12, (
        "the children K ([[15]]), T (17) and M (9)", "siblings aged A ([[4]])",
    ), pattern=re.compile(r"\b[A-Z]{1,2}\s*\(\s*$")),
    Cue("age_band", "noise", "after", 24, (
        "[[15]]/16 year olds in the cohort", "15/[[16]] year olds", "the [[17]]-year-old", "[[18]] year olds",
    ), pattern=re_(r"^(?:\s*(?:/|-|\u2013|to|and)\s*\d+)?[\s-]*(?:years?|yrs?)[\s-]*olds?\b")),
    # A number hyphened to a word describes a thing ('a 3-storey block', 'a 26-place nursery'); it counts nothing.
    Cue("compound", "noise", "after", 12, (
        "a [[3]]-storey block of flats", "a [[26]]-place nursery", "where [[2]]-way flows reach 780",
    ), counts_only=True, pattern=re.compile(r"^-[A-Za-z]")),
    # A target stated as a bound: 'the partnership's aim of under [[20]]%', 'a target of no more than 15'.
    Cue("target_bound", "target", "before", 50, (
        "higher than the partnership's aim of under [[20]]%", "against a target of no more than [[15]]%",
    ), pattern=re_(r"\b(?:target|aim|ambition|goal)\s+(?:of|is|was|to\s+be)\s+(?:under|below|above|over|at\s+least|"
                   r"at\s+most|no\s+more\s+than|no\s+less\s+than|less\s+than|more\s+than|fewer\s+than)\s+$")),
    # Thresholds and timescales define an indicator ('within 10 days'); they are never values or comparisons.
    Cue("threshold", "noise", "before", 40, (
        "visits made within [[15]] days of the referral", "placed more than [[20]] miles away",
        "young people between 16-[[24]]", "when a child turns [[16]]", "aged [[16]] and over",
        "9 (41%) achieved [[4]] passes at grade 4", "plans updated every [[three]] months",
        "none of the children waited longer than [[18]] months",
        "Personal advisers hold a maximum of [[22]] young people each",
    ), counts_only=True, pattern=re_(
        r"\b(?:within|under|over|(?<!looked\s)after|at\s+least|atleast|more\s+than|less\s+than|fewer\s+than|up\s+to|no\s+later\s+than|"
        r"(?:a\s+)?(?:maximum|minimum)\s+of|no\s+more\s+than|"
        r"(?:longer|shorter|later|earlier|sooner)\s+than|"
        r"aged|age|ages|age\s+of|under\s+the\s+age\s+of|over\s+the\s+age\s+of|between|every|"
        r"(?:attain|achiev|gain|obtain)\w*|(?:person|child|they|he|she)\s+(?:reaches|reached|turns|turned))"
        r"\s*(?:\d+\s*(?:-|\u2013|to|and)\s*)?$")),
    Cue("threshold_after", "noise", "after", 24, (
        "children with [[2]] or more missing episodes", "[[20]] miles from home", "the [[18]]+ cohort",
    ), counts_only=True, pattern=re_(r"^\s*(?:or\s+(?:more|over|above|fewer|less|under|below)|\+|plus\b|miles?\b|km\b)")),
    Cue("timescale", "noise", "after", 24, (
        "64% of reviews were held within [[28]] days", "Each speaker may take up to [[5]] minutes",
        "the [[7]]- and 45- working day standards", "the 7- and [[45]]- working day standards",
    ), counts_only=True, test=lambda r: bool(
        re.match(rf"^\s*-?\s*(?:(?:and|or|to)\s+\d+\s*-?\s*)?{TIME_UNIT}\b", r.after, _I)
        and not DURATION_MEASURE.search(r.text))),
    # Comparisons that the text marks as targets, benchmarks, earlier values and changes.
    Cue("value_beside_target", "value", "before", 60, (
        "the measure ended the year slightly above target at [[68.2]]%",
        "below target at [[63]]% this quarter",
    ), pattern=re_(r"\b(?:above|below|under|over|on|off|exceeding|exceeded|meeting|met|missed|beat|beating|"
                   r"short\s+of|against)\s+(?:the\s+|our\s+|its\s+)?(?:\w+\s+)?target\s*(?:at|with|,)\s*$")),
    # Plans and forecasts are not measured levels, whatever comparison words they use.
    Cue("forecast", "noise", "clause", 80, (
        "numbers are expected to reach [[80]]", "the service aims to recruit [[20]] more carers",
        "this would rise to [[60]]", "to be achieved within 300 days over the next [[3]] years",
        "it would only be achievable if staffing was [[90]]% of establishment",
        "The aim is to reduce caseloads to [[16]] per worker",
        "The Handbook suggests a caseload of [[50]] to 70 children for a full-time reviewing officer",
    ), pattern=re_(
        r"\b(?:expected|anticipated|forecast(?:ed)?|projected|predicted|planned|planning|likely\s+to|aims?\s+to|"
        r"aiming\s+to|(?:aim|ambition|intention|plan)\s+is\s+to\s+(?!reach|achieve|hit|be\b)|suggests?|recommends?|advises?|will|would|could|should|shall|needs?\s+to|need(?:ed)?\s+to|due\s+to\s+(?:join|start|open|retire|"
        r"leave|be|complete|begin|close)|intends?\s+to|hopes?\s+to|set\s+to|next|if|unless)\b")),
    Cue("forecast_after", "noise", "after", 70, (
        "with [[six]] newly qualified social workers due to start in April",
        "[[80]] children are expected to leave care", "the concern that [[10]]/15% due to retire in 5 years",
    ), pattern=re_(r"^\s*(?:[\w'%/-]+\s+){0,4}?(?:(?:is|are)\s+)?(?:due\s+to\s+(?:join|start|open|retire|leave|be|complete|"
                   r"begin|close)|expected\s+to|anticipated\s+to|forecast\s+to|planned\s+to|to\s+be\s+(?:recruited|appointed))\b")),
    # A trajectory to a date is a plan's step, not a level reached: 'rising to 30 by 2027/28'.
    Cue("trajectory", "noise", "context", 0, (
        "25 households approved each year, rising to [[30]] by 2027/28",
        "reducing to [[15]]% by the end of March 2026",
    ), test=lambda r: bool(
        re.search(r"\b(?:rising|increasing|growing|falling|reducing|decreasing|reaching)\s+to\s+$", r.before, _I)
        and re.match(r"\s*%?\s*by\s+(?:the\s+end\s+of\s+)?(?:(?:19|20)\d\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                     r"nov|dec)\w*)\b", r.after, _I))),
    # How long something runs is no measure: 'for 4 years, with an option to extend for a further 2 years'.
    Cue("duration", "noise", "context", 0, (
        "a framework for [[4]] years from April", "an option to extend for a further [[2]] years",
        "funded for another [[18]] months", "431 days over the [[three]] years to March 2024",
    ), counts_only=True, test=lambda r: bool(
        re.search(r"\b(?:for\s+(?:a\s+further\s+|another\s+|an\s+additional\s+|a\s+period\s+of\s+|up\s+to\s+)?|"
                  r"(?:over|during|across|on|in)\s+the\s+(?:last\s+|past\s+|previous\s+|preceding\s+)?)$",
                  r.before, _I) and re.match(r"\s*(?:years?|months?|weeks?|quarters?)\b", r.after, _I))),
    # A sample examined is no service's count: 'an audit of 30 plans', 'a dip sample of 25 cases'.
    Cue("sample", "noise", "before", 30, (
        "an audit of [[30]] plans in April had found", "a dip sample of [[25]] cases",
    ), counts_only=True, pattern=re_(r"\b(?:audit(?:ed)?|(?:dip[\s-])?sample|review)\s+of\s+(?:the\s+)?$")),
    # A weighting or a share of marks scores a proposal: 'worth 10% of the total', 'a 60% weighting'.
    Cue("weighting", "noise", "context", 0, (
        "the social value questions, worth [[10]]% of the total", "quality carries a [[60]]% weighting",
        "price was weighted at [[30]]%",
    ), test=lambda r: bool(re.search(r"\b(?:worth|weighted\s+(?:at\s+)?|weighting\s+of)\s*$", r.before, _I)
                           or re.match(r"\s*%\s+weighting\b", r.after, _I))),
    # Two small whole numbers joined by a hyphen before a noun are a band of ages or sizes: '16-25 supported
    # accommodation', 'a 0-5 offer'; a range of percentages ('18-22%') is left to the target cues.
    Cue("age_span", "noise", "context", 0, (
        "[[16]]-25 supported accommodation", "16-[[25]] supported accommodation",
    ), counts_only=True, test=lambda r: r.token.is_integer and r.token.value <= 25 and bool(
        re.match(r"[-\u2013](?:1\d|2[0-5]|\d)\s+[a-z]", r.after)
        or (re.search(r"(?:^|[\s(])(?:1\d|2[0-5]|\d)[-\u2013]$", r.before) and re.match(r"\s+[a-z]", r.after)))),
    Cue("finance", "noise", "context", 0, (
        "The council tax rise of [[4.99]]% was agreed", "alongside a [[3]]% pay award for staff",
        "Inflation had increased the cost of placements by [[15]]%", "The savings target represents [[4]]% of the budget",
        "The budget is \u00a356.3 million, an increase of \u00a32.1m ([[3.9]]%) on last year",
    ), test=lambda r: about_money(r)),
    Cue("relative_change", "relative_change", "after", 30, (
        "a [[7.2]]% increase in the number of referrals", "a [[12.8]]% rise (from 1,210 to 1,365 assessments)",
    ), pattern=re_(r"^\s*%\s*(?P<word>increase|decrease|rise|fall|reduction|drop|improvement|decline)\b")),
    Cue("change_in_brackets", "relative_change", "before", 40, (
        "there was a small fall ([[2.3]]%) in the number", "an increase ([[12]]%) on last year",
    ), pattern=re_(r"\b(?P<word>increase|decrease|rise|fall|reduction|drop|dip|decline|improvement)\s*\(\s*$")),
    Cue("change_before", "change", "before", 40, (
        "78 children entered, which was a reduction of [[13]]", "the number of adopters had fallen by [[3]]",
        "a fall of [[6]] percentage points", "a rise of [[9]] children", "142 households, a net gain of [[2]]",
    ), pattern=re_(r"\b(?:(?:a|an)\s+(?:\w+\s+)?)?(?P<word>reduction|decrease|increase|rise|fall|drop|decline|dip|gain|loss|"
                   r"improvement|reduced|increased|decreased|rose|risen|fell|fallen|dropped|declined|improved|grown|grew|dipped|"
                   r"jumped|up|down)\s+(?:of|by)\s*$")),
    Cue("change_up_down", "change", "context", 0, (
        "Visits within timescale were 91%, up [[3]] percentage points on last year",
        "re-referrals at 21%, down [[2]]% compared with the previous quarter",
    ), test=lambda r: re.search(r"\b(?P<word>up|down)\s+$", r.before[-12:], _I) if re.match(
        r"\s*(?:%|percentage\s+points?|pp\b|points?)?\s*(?:on|from|compared|since|against|when\s+compared)\b",
        r.after, _I) else None),
    Cue("change_after", "change", "after", 60, (
        "This was [[2.4]]% lower than last year.", "There were 108 families, [[12]] lower than this time last year",
        "[[1.8]]% better than the previous quarter", "214 missing episodes, [[12]]% fewer episodes than in Quarter 3",
    ), pattern=re_(r"^\s*(?:%|percentage\s+points?|pp|points?)?\s*(?:\w+\s+)?(?P<word>higher|lower|more|fewer|less|"
                   r"better|worse|up|down|above|below|increase|decrease|rise|fall|reduction)\b"
                   r"(?:\s+(?![\d])[\w'-]+){0,2}?(?:\s+(?:than|on|compared|from|against|when))")),
    Cue("more_or_fewer", "change", "after", 60, (
        "There were [[31]] more children in care than in March", "[[four]] fewer adoption orders were granted",
    ), pattern=re_(rf"^\s*(?P<word>more|fewer|less)\s+(?:[\w'-]+\s+){{0,2}}?{SERVICE_NOUN}\b")),
    Cue("target_before", "target", "before", 45, (
        "The ambition is to reach [[75]]%.", "against a target of [[95]]%", "within the target range of [[18]]-22%",
        "the average wait was 24 weeks; the national target is [[20]] weeks",
    ), test=lambda r: bool(_TARGET_BEFORE.search(r.before)) and not _WITHIN_STANDARD.search(r.before)),
    Cue("target_after", "target", "after", 50, (
        "which remains under our [[95]]% target", "against the [[80]]% local target",
        "27%, well above the [[20]]% the plan is aiming for",
    ), pattern=re_(r"^\s*%?\s*\)?\s*(?:(?:internal\s+|local\s+|national\s+|annual\s+|agreed\s+|stretch\s+)?target\b|"
                   r"(?:that\s+)?(?:the|our|its)\s+(?:[\w'\u2019-]+\s+)?(?:plan|strategy|service|partnership|council|board)\s+"
                   r"(?:is\s+|are\s+)?aim(?:s|ing|ed)?\s+(?:for|at)\b)")),
    # A plan's or a strategy's aims, however far the number is from the verb: 'The strategy aims to approve
    # 30 households a year and to reduce agency placements to below [[30]]% by 2026'.
    Cue("plan_sentence", "noise", "before", 300, (
        "The strategy aims to approve 30 households a year and to reduce agency placements to below [[30]]% by 2026",
        "The priorities are to increase family-based placements to [[75]]% by March 2026",
        "The development plan aims for every PEP to be completed on time and for attendance of at least [[93]]%",
    ), pattern=re_(r"\b(?:aims?\s+(?:to|for)|aiming\s+(?:to|for)|priorit(?:y|ies)\s+(?:is|are|include)\s+to|"
                   r"(?:plan|strategy|ambition|intention|objective|goal)s?\s+(?:is|are)\s+to)\b[^.;]*$")),
    Cue("national_before", "national", "before", 45, (
        "compared with a national average of [[70]]", "the England average was [[71]] per 10,000",
        "above the national average ([[312]])",
    ), pattern=re_(r"\b(?:national(?:ly)?|england|english)\b(?:\s+(?:average|figure|rate|level|benchmark|"
                   r"performance|comparator|data))?(?:\s+(?:of|is|was|at|which\s+is|stood\s+at))?\s*[:(]?\s*$")),
    Cue("national_after", "national", "after", 30, (
        "compared to [[62]]% nationally", "against [[58]]% in England", "compared with [[34.6]]% for England and Wales",
    ), pattern=re_(percent_wrapped(r"(?:nationally|(?:in|for|across)\s+england(?:\s+and\s+wales)?|national(?:ly)?\b)"))),
    # A benchmark as a clause's subject, its figure at the end: 'the England rate of children in care at
    # 31 March 2023 was 71', 'the national re-referral rate in 2022/23 was 22.4%', '(England, children looked
    # after: 32%)'. Said alone it is no record; beside the council's own figure it is that figure's comparison.
    Cue("national_subject", "national", "before", 100, (
        "the England rate of children in care at 31 March 2023 was [[71]] per 10,000",
        "For context, the national re-referral rate in 2022/23 was [[22.4]]%",
        "38% reached the expected standard (England, children looked after: [[32]]%)",
        "compared with 90.1% in 2022/23 and a national figure for children looked after of [[90.6]]%",
    ), test=lambda r: bool(subject := _NATIONAL_SUBJECT.search(r.before)) and not re.search(
        r"\d", r.before_undated[subject.start("between"):subject.end("between")] if subject.group("between") else "")),
    Cue("neighbours_before", "statistical_neighbours", "before", 60, (
        "our statistical neighbours' rate is [[98]]", "statistical neighbours at [[85.2]]",
        "while statistical neighbours averaged [[52]]",
    ), pattern=re_(r"\bstatistical\s+neighbou?rs?(?:'|\u2019)?(?:\s+(?:average|figure|rate|level))?"
                   r"(?:\s+(?:of|is|was|at|averaged?(?:\s+at)?|stood\s+at))?\s*[:(]?\s*$")),
    Cue("neighbours_after", "statistical_neighbours", "after", 40, (
        "compared with [[64]]% for our statistical neighbours",
    ), pattern=re_(percent_wrapped(r"(?:for\s+|among\s+|amongst\s+)?(?:our\s+)?statistical\s+neighbou?rs?"))),
    Cue("regional_before", "regional", "before", 60, (
        "below the London ([[44]]) and national averages", "the regional average of [[66]]%",
    ), pattern=re_(r"\b(?:regional(?:ly)?|region|north\s+east|north\s+west|yorkshire\s+and\s+(?:the\s+)?humber|"
                   r"east\s+midlands|west\s+midlands|east\s+of\s+england|south\s+east|south\s+west|london)\b"
                   r"(?:\s+(?:average|figure|rate|level))?(?:\s+(?:of|is|was|at))?\s*[:(]?\s*$")),
    Cue("regional_after", "regional", "after", 30, (
        "against [[61]]% regionally", "compared to [[70]]% in the region", "342.7 in England and [[371.5]] across the North West",
    ), pattern=re_(percent_wrapped(r"(?:regionally|(?:in|across|for)\s+the\s+(?:region|north\s+east|north\s+west|south\s+east|"
                                   r"south\s+west|east\s+midlands|west\s+midlands|east\s+of\s+england)\b|"
                                   r"(?:in|across|for)\s+(?:london|yorkshire(?:\s+and\s+the\s+humber)?)\b)"))),
    Cue("benchmark_before", "other", "before", 40, (
        "The rate was 65%, against a benchmark of [[60]]%",
    ), pattern=re_(r"\bbenchmarks?(?:\s+(?:of|is|was|at|figure|rate|level))*\s*[:(]?\s*$")),
    # records.md: a comparator average is the statistical neighbours' basis.
    Cue("comparators_before", "statistical_neighbours", "before", 40, (
        "the comparator average ([[58]]%)", "our comparator authorities average [[112]]",
        "similar authorities average [[112]] per 10,000",
    ), pattern=re_(r"\b(?:comparators?|comparator\s+(?:authorities|councils|las|group)|"
                   r"(?:similar|comparable|neighbouring)\s+(?:authorities|councils|local\s+authorities|las))"
                   r"(?:\s+(?:of|is|are|was|were|at|figure|rate|level|averages?|averaged|stood\s+at|stand\s+at))*"
                   r"\s*[:(]?\s*$")),
    Cue("benchmark_frame", "national", "context", 0, (
        "Nationally, the rate is [[71]].", "In England, [[45]]% of care leavers were in education",
        "The Director said that nationally around [[30]]% of children starting school were overweight",
    ), test=lambda r: bool(re.search(r"(?:^|\bthat\s+)\s*(?:nationally|in\s+england|across\s+england|for\s+england|"
                                     r"england-wide|the\s+(?:national|england)\s+(?:average|figure|rate|picture))\b[^.;]*$",
                                     r.before, _I))),
    Cue("earlier_after", "earlier", "after", 50, (
        "rose to 58% ([[52]]% last year)", "84% compared to [[80]]% the same period last year",
    ), test=lambda r: bool(_EARLIER_AFTER.match(r.after[:50])) and (
        # 'was 81% last month' is the latest figure, dated: an earlier one follows a figure of its own
        "(" in r.before[-3:] or bool(_FIGURE_BEFORE.search(r.before_undated)))),
    Cue("earlier_beside_period", "earlier", "context", 0, (
        "81.4% in 2023/24, a decrease compared with [[84.1]]% in 2022/23",
        "In 2023/24 the figure was 79%; 2021/22, [[75.8]]%",
    ), test=attached_earlier),
    Cue("from_to", "earlier", "context", 0, (
        "Missing episodes increased to 212 from [[180]] in the previous quarter",
        "rose from [[210]] in March 2019 to 245 in January 2020", "improved from [[11]]% to 16%",
        "the cohort, which had grown from [[318]] to 331",
        "Unplanned endings fell to 12 in the six months, from [[19]] in the previous six months",
    ), test=from_to),
    Cue("compared_with", "earlier", "context", 0, (
        "86 approvals compared with [[79]] the year before", "27, compared to [[35]] in June 2022",
    ), test=compared),
    Cue("earlier_near", "earlier", "before", 30, (
        "rising to 84%, previously [[80]]%", "higher than [[12]]", "last year's figure of [[73]]%",
        "73%, slightly lower than last quarter's [[75]]%", "Missing episodes totalled 180 (previous quarter [[210]])",
    ), pattern=re_(r"\b(?:previously|the\s+previous\s+figure\s+(?:of|was)|(?:last|previous|prior)\s+(?:year|quarter|month|"
                   r"period)(?:'s|\u2019s)?(?:\s+(?:figure|rate|level|total))?(?:\s+(?:of|was))?\s*:?|than(?:\s+(?:last|the\s+"
                   r"previous)\s+(?:year|quarter|month)(?:'s|\u2019s))?|(?:up|down)\s+on)\s*(?:the\s+)?$")),
    Cue("earlier_in_brackets", "earlier", "context", 0, (
        "In 2023/24 84% were seen (2022/23, [[80.1]]%)",
    ), test=earlier_parenthesis),
    Cue("earlier_when", "earlier", "context", 0, (
        "In 2021/22 it stood at 88%, up since 2018 when this figure was about [[61]]%",
    ), test=earlier_when),
    Cue("comparison_frame", "earlier", "context", 0, (
        "In comparison with 2022/23, [[84]]% of plans were up to date",
    ), test=framed),
    # Noise the meaning of the clause gives away.
    Cue("report_count", "noise", "after", 80, (
        "nine of the [[twelve]] indicators were on track", "[[five]] (42%) of the measures are rated green",
        "five ([[42]]%) of the measures are rated green", "Only [[three]] 'Amber' rated measures remained",
        "in all [[6]] of the 20 targets were missed", "with [[14]] 'On Target'",
        "The report is set out in [[four]] sections", "[[four]] indicator groups", "The service runs [[3]] children's homes",
    ), test=report_count),
    Cue("votes_and_meetings", "noise", "before", 40, (
        "Councillor Smith was elected, having received 7 votes to [[4]]", "The Fostering Panel met on [[12]] occasions",
        "the panel has met [[11]] times",
    ), counts_only=True, pattern=re_(r"(?:\bvot(?:es?|ed|ing)\b[^.;\d]{0,15}|\b(?:met|meets|convened|sat)\s+(?:on\s+)?)$")),
    Cue("tally", "noise", "after", 30, (
        "18 of the 24 measures on track, [[4]] at risk and 2 off track", "the panel has met [[11]] times",
        "The motion was carried with [[10]] in favour and 2 against",
    ), counts_only=True, pattern=re_(r"^\s*(?:were\s+|are\s+|was\s+|is\s+)?(?:at\s+risk|on\s+track|off\s+track|on\s+target|"
                                     r"off\s+target|times\b|in\s+favour|against\b|abstain\w*|"
                                     r"['\u2018\"]?(?:red|amber|green)['\u2019\"]?(?!\w))")),
    Cue("enumeration", "noise", "context", 0, (
        "RESOLVED - That ([[1]]) the report be noted; (2) the actions be agreed",
        "RESOLVED - That (1) the report be noted; ([[2]]) the actions be agreed",
    ), counts_only=True, test=lambda r: r.token.is_integer and r.token.value <= 20 and bool(
        re.search(r"(?:^|[:;.\-\u2013]|\bthat|\band|\bor)\s*\(\s*$", r.before, _I) and re.match(r"\s*\)\s+[A-Za-z]", r.after))),
    Cue("staffing", "noise", "after", 60, (
        "the team comprises [[12]] social workers and 3 support workers", "[[15]] newly qualified social workers joined",
        "The fostering conference was attended by [[60]] people", "the team comprises 12 social workers and [[3]] support workers",
    ), counts_only=True, test=lambda r: bool(
        (re.match(r"^\s*(?:[\w-]+\s+){0,2}?(?:social\s+workers?|staff|support\s+workers?|practitioners?|managers?|officers?|"
                  r"posts?|FTEs?|attendees|delegates)\b", r.after, _I)
         # '18 children per social worker' is a caseload, not a head count
         and not re.match(r"^\s*(?:[\w-]+\s+)?per\s", r.after, _I))
        or re.search(r"\b(?:attended\s+by|comprises|comprising|consists\s+of|staffed\s+by)\s+$", r.before, _I))),
    # What council pages count besides services: planning, elections, procurement, audit, consultations.
    Cue("counted_other", "noise", "after", 80, (
        "Erection of [[146]] dwellings", "[[19]] bids were received from 12 organisations",
        "[[7]] of the 10 comparator councils had been judged Good", "There had been [[63]] letters of objection",
    ), test=counts_other_things),
    Cue("labelled_other", "noise", "before", 60, (
        "Electorate: [[8,412]].", "Turnout: [[34.2]]%.", "Labour [[29]], Conservative 18",
        "DALTON, Peter, Liberal Democrat, [[611]]",
    ), test=labelled_other),
    # Opinion on a proposal is no service's measure: '58% of respondents agreed or strongly agreed'.
    Cue("survey", "noise", "sentence", 0, (
        "[[58]]% of respondents agreed or strongly agreed with the proposal",
        "Of the questionnaire respondents, [[64]]% were parents",
    ), pattern=re_(r"\b(?:respondents?|(?:agreed|disagreed)\s+or\s+strongly|strongly\s+(?:agreed|disagreed))\b")),
    Cue("ratio", "noise", "context", 0, ("This equates to [[1]] in 5 children", "This equates to 1 in [[5]] children",
                                         "around [[one]] in five children", "[[Three]] in four of our children"),
        counts_only=True, test=lambda r: bool(re.match(rf"\s+in\s+(?:(?!(?:19|20)\d\d\b)\d+\b(?!\s*[/-]\s*\d)|{_SMALL_WORD})",
                                                       r.after, _I)
                                              or re.search(rf"\b(?:\d+|{_SMALL_WORD})\s+in\s+$", r.before, _I))),
    Cue("guests", "noise", "before", 40, (
        "The Panel welcomed the [[4]] young people from the Children in Care Council",
    ), counts_only=True, pattern=re_(r"\b(?:welcomed|thanked|introduced|joined\s+by|present(?:ed)?\s+by)\s+(?:the\s+|all\s+)?$")),
    Cue("population", "noise", "sentence", 0, (
        "Shropshire has a population of [[323,600]], of whom 62,000 are children",
        "Shropshire has a population of 323,600, of whom [[62,000]] are children",
    ), counts_only=True, pattern=re_(r"\bpopulation\s+(?:of|is|was|stands|stood|totals?|numbers?)\b|"
                                     r"\b(?:residents|inhabitants)\b")),
    Cue("offer", "noise", "sentence", 0, (
        "free swimming passes for [[40]] children", "capacity for [[12]] children in the new home",
    ), counts_only=True, pattern=re_(r"\b(?:free|offered\s+to|memberships?|places?\s+for|funding\s+for|capacity)\b")),
    Cue("money", "noise", "before", 3, (
        "an overspend of \u00a3[[1.2]]m was reported", "a weekly allowance of \u00a3[[285]] per child",
    ),
        test=lambda r: bool(re.search(r"\u00a3\s*$", r.before)) and not MONEY_MEASURE.search(r.text)),
)

BY_NAME = {cue.name: cue for cue in CUES}


def classify(reading: Reading) -> tuple[Cue | None, Match]:
    """The first cue of the table that claims the number, with its match; (None, None) for a value."""
    for cue in CUES:
        hit = cue.fires(reading)
        if hit:
            return cue, hit
    return None, None


def change_sign(match: Match) -> int:
    """-1 when a change cue's word says the number went down, else +1."""
    if isinstance(match, re.Match) and "word" in match.re.groupindex and match.group("word"):
        return -1 if match.group("word").lower() in NEGATIVE_CHANGE else 1
    return 1
