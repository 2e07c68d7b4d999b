"""The one mapper from a record to its canonical indicator id (indicators.md), for every backend.

It runs after extraction, on every record of every backend (the pipeline calls it), and decides
from the record's indicator, evidence and unit alone; no model is asked (a backend may suggest an
id, but the mapper has the last word). How it decided is kept beside the id, as `method`:

- `wording`: every content word of one of the row's wordings (its name or a synonym; population
  names, timescales and number words read alike, see canonical_rules.py) is in the indicator, and
  the row passes every rule below; when several rows do, the narrowest (the population named
  exactly, then the longest wording) and only if it is one row;
- `evidence`: no row fits the indicator's words, and the evidence sentence names exactly one row
  that passes every rule, for the evidence and for the indicator, and of whose text every measure
  word of the indicator is (the indicator can be short: `Now standing at`);
- `suggested`: no wording decides, and the backend's own suggestion passes every rule;
- `unmapped`: no row is the measure, or it is not certain which (indicator_id null).

The rules (indicators.md), each a reason to refuse a row:

1. population: a population the record names (CLA, care leavers, children in need, child
   protection, UASC) must be one the row names, and the row's own; bare `children` is never care
   leavers; a subgroup (an age band, a placement type, a legal status) only maps to a row that names
   it; a care leaver row takes any age band within 17-21;
2. unit: the row's unit (a duration row takes days, weeks or months); a status-only record takes
   only units its words allow (`the number of` a count), and maps to a count row only when it
   speaks of a level (`increased`, `numbers`), not of quality (`improved`);
3. timescale: a stated timescale (`within 35 days`) must be the row's; a row that names one (or
   `within timescale`) needs the record to state it or to say `on time`, `in timescale`, `timely`;
4. and 5. starts, leavers, re-entries, episodes and offers: the record's must be among the row's
   wordings', and the row name's must be the record's (`entering care` is not `cla_count`,
   `missing episodes` not `children who went missing`, `offered` not `completed`);
7. the indicator names no other measure (a word of another row's name the row's text lacks:
   `the number of care leavers in EET` is not `care_leavers_count`); a wording met only after
   `with` or `by` is not what is counted (`placed with foster carers`), and
   a `not` the wording lacks turns the measure round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .canonical_rules import QUANTITY_WORDS, SUBGROUP_WORDS, Features, plain, read, stem
from .indicators import Indicator, catalogue

if TYPE_CHECKING:
    from .schema import DocumentResult, KPIRecord

# How an id was decided, stored beside it (see the module docstring).
WORDING = "wording"
EVIDENCE = "evidence"
SUGGESTED = "suggested"
UNMAPPED = "unmapped"
METHODS = (WORDING, EVIDENCE, SUGGESTED, UNMAPPED)

# Words of row names that name no measure on their own (`an average of`, `rate`).
_GENERIC = frozenset({"average", "rate", "xper10000", "completed", "held", "tok", "more", "period", "service",
                      "social", "care", "local", "authority", "year", "month", "day", "week", "time", "subject",
                      "made", "received", "supported", "open", "new", "initial", "review", "last", "during",
                      "including", "population", "level", "point", "whose", "who"})
# A subgroup's row is taken from the evidence only when the indicator names the subgroup too.
_SUBGROUP_POPULATIONS = frozenset({"xuasc"})
CARE_LEAVER_AGES = (17, 21)  # indicators.md, clarification 7
_NEGATIONS = frozenset({"not", "non", "without", "never"})
_MODIFIED = frozenset({"with", "by"})
# A population or its cases before `with`: the wording after it is their condition (`CLA with 3+ moves`).
_SUBJECTS = frozenset({"xcla", "xleaver", "xcin", "xcp", "xuasc", "children", "child", "young", "people", "pupil",
                       "case", "plan", "carer", "household"})


@dataclass(frozen=True)
class IdDecision:
    """A record's canonical id (None: no row is its measure) and how it was decided."""

    indicator_id: str | None
    method: str


@dataclass(frozen=True)
class Profile:
    """A catalogue row read into features: its name, its wordings, and what all its text names."""

    row: Indicator
    name: Features
    wordings: tuple[Features, ...]
    populations: frozenset[str]  # named by the name or any synonym
    phases: frozenset[str]
    timescales: frozenset[str]
    vocabulary: frozenset[str]  # every word of the name, synonyms and definition, stop words too
    wording_words: frozenset[str]  # every word of the name and synonyms (what the row itself names)
    ages: frozenset[tuple[int, int]]


@cache
def profiles() -> tuple[Profile, ...]:
    """Every catalogue row as a Profile, in the catalogue's order."""
    found = []
    for row in catalogue().values():
        wordings = tuple(read(text) for text in (row.name, *row.synonyms))
        definition = read(row.definition)
        everything = (*wordings, definition)
        found.append(Profile(
            row=row, name=wordings[0], wordings=wordings,
            populations=frozenset().union(*(w.populations for w in wordings)),
            phases=frozenset().union(*(w.phases for w in wordings)),
            timescales=frozenset().union(*(w.timescales for w in everything)),
            vocabulary=frozenset(word for w in everything for word in w.tokens)
            | {stem(word) for text in (row.name, *row.synonyms, row.definition) for word in plain(text).split()},
            ages=frozenset(age for w in everything for age in w.ages),
            wording_words=frozenset(word for w in wordings for word in w.tokens)
            | {stem(word) for text in (row.name, *row.synonyms) for word in plain(text).split()},
        ))
    return tuple(found)


def _contains(record: Features, wording: Features, record_words: frozenset[str]) -> bool:
    """Whether every content word of the wording is in the record (whose words are record_words, made once
    per record: this runs for every wording of the catalogue), and not met only as a modifier."""
    if not wording.words or not record_words.issuperset(wording.words):
        return False
    if _NEGATIONS & set(record.tokens) - set(wording.tokens):
        return False
    first = record.tokens.index(wording.words[0])
    own_before = set(wording.tokens[:wording.tokens.index(wording.words[0])])
    for at in range(max(0, first - 2), first):
        word = record.tokens[at]
        if word in _MODIFIED and word not in own_before and (at == 0 or record.tokens[at - 1] not in _SUBJECTS):
            return False  # `placed with foster carers`: the wording qualifies something else
    return True


def _population(record: Features, context: Features | None) -> frozenset[str]:
    """The populations a record names: its indicator's, else the evidence's when it names just one.
    Unaccompanied children looked after are the UASC population ('UASC being looked after by the Council')."""
    if record.populations:
        return record.populations - {"xcla"} if "xuasc" in record.populations else record.populations
    if context is not None and len(context.populations) == 1:
        return context.populations
    return frozenset()


def _refusal(profile: Profile, record: Features, context: Features | None, unit: str | None, *,
             subgroups: bool = True) -> str | None:
    """Why the row cannot be the record's measure (indicators.md), or None when it can (subgroups=False:
    the record is an evidence sentence, whose other clauses may name other groups)."""
    row = profile.row
    about = [record] if context is None else [record, context]
    if not row.takes_unit(unit):
        return "unit"
    if unit is None:
        allowed = record.unit_words or (context.unit_words if context else frozenset())
        if allowed and row.unit not in allowed and not (row.unit == "days" and "days" in allowed):
            return "unit words"
        if row.unit == "count" and not any(f.quantity for f in about):
            return "status not about a number"
    populations = _population(record, context)
    if populations:
        if not populations <= profile.populations:
            return "population"
        if profile.name.populations and populations != profile.name.populations:
            return "population"
    elif record.bare_children and profile.name.populations == {"xleaver"}:
        return "children are not care leavers"
    if not record.phases <= profile.phases or not profile.name.phases <= record.phases:
        return "starts, stock, leavers or events"
    # A timescale the evidence states may be another clause's measure's ('of the 27 children who came into
    # care, 22 had an assessment within 20 working days'): it refuses only a row that names a timescale,
    # and never a record that states its own ('review conferences held within timescale').
    stated = record.timescales or (context.timescales if context and profile.timescales and not record.timely
                                   else frozenset())
    if stated and not stated <= profile.timescales:
        return "timescale"
    if profile.name.timely and not any(f.timely for f in about):
        return "no timescale stated"
    leavers = profile.name.populations == {"xleaver"}
    for low, high in record.ages:
        inside = CARE_LEAVER_AGES[0] <= low and high <= CARE_LEAVER_AGES[1]
        if not ((leavers and inside) or (low, high) in profile.ages):
            return "age band"
    if subgroups and {w for w in record.tokens if w in SUBGROUP_WORDS} - profile.wording_words:
        return "subgroup"
    return None


def _candidates(record: Features, context: Features | None, unit: str | None, *,
                subgroups: bool = True) -> list[tuple[tuple, str]]:
    """(rank, id) of every row one of whose wordings the record contains and that passes every rule."""
    found = []
    populations = _population(record, context)
    record_words = frozenset(record.words)
    for profile in profiles():
        matched = [w for w in profile.wordings if _contains(record, w, record_words)]
        if not matched or _refusal(profile, record, context, unit, subgroups=subgroups) is not None:
            continue
        if subgroups and not _names_nothing_else(record, profile.row.id):
            continue  # `the number of care leavers in EET` is not `care leavers`
        if subgroups and not _counts_only_the_population(record, matched):
            continue  # `suspensions of children in care` is not `children in care`
        exact = bool(populations) and populations == profile.name.populations
        found.append(((exact, max(len(set(w.words)) for w in matched)), profile.row.id))
    return sorted(found, reverse=True)


# Words a count of a population may carry besides its name ('the total number of children in our care').
_PLAIN_COUNT = frozenset({"total", "current", "currently", "overall", "cohort", "population", "now", "end", "march",
                          "quarter", "month", "year", "council", "authority", "local", "county", "borough", "city"})


def _counts_only_the_population(record: Features, matched: list[Features]) -> bool:
    """A row worded by its population alone (`children in care`, `care leavers`) is the record's measure
    only when the record names nothing else: 'suspensions of children in care', 'reviews of looked
    after children' or 'children in care known to youth justice' count something else."""
    if any(any(not word.startswith("x") for word in wording.words) for wording in matched):
        return True
    rest = {w for w in record.words if not w.startswith("x") and not w[:1].isdigit()
            and not QUANTITY_WORDS.fullmatch(w) and not _MOVED.fullmatch(w)} - _GENERIC - _PLAIN_COUNT
    return not rest


_MOVED = re.compile(r"(?:increas|decreas|reduc|improv|declin|stabilis|remain|continu|fell|fall|ris|rose|grew|grow)\w*")


@cache
def _name_words() -> frozenset[str]:
    """Every content word of a row's name: the words that say which measure a text is about."""
    return frozenset(word for p in profiles() for word in p.name.words if not word[:1].isdigit()) - _GENERIC


def _names_nothing_else(indicator: Features, row_id: str) -> bool:
    """Whether the indicator names no measure but the row found in the evidence (`Assessments rate` is
    not the referral rate of `contacts, referrals and assessments rates`)."""
    vocabulary = next(p.vocabulary for p in profiles() if p.row.id == row_id)
    return not {w for w in indicator.words if w in _name_words()} - vocabulary


def decide_indicator_id(indicator: str, *, evidence: str = "", unit: str | None = None,
                        suggested: str | None = None) -> IdDecision:
    """The catalogue id of the measure a record reports, by the rules of indicators.md, and how it was decided."""
    own = read(indicator)
    context = read(evidence) if evidence else None
    rows = {p.row.id: p for p in profiles()}
    found = _candidates(own, context, unit)
    if found and (len(found) == 1 or found[0][0] > found[1][0]):
        return IdDecision(found[0][1], WORDING)
    if context is not None and not found:
        found = _candidates(context, None, unit, subgroups=False)
        subgroup = rows[found[0][1]].name.populations & _SUBGROUP_POPULATIONS - own.populations if found else None
        if (len(found) == 1 and not subgroup and _names_nothing_else(own, found[0][1])
                and _refusal(rows[found[0][1]], own, context, unit) is None):
            return IdDecision(found[0][1], EVIDENCE)
    if suggested in rows and _refusal(rows[suggested], own, context, unit) is None:
        return IdDecision(suggested, SUGGESTED)
    return IdDecision(None, UNMAPPED)


def decide_for(record: KPIRecord) -> IdDecision:
    """decide_indicator_id for a record, its own indicator_id taken as a backend's suggestion."""
    return decide_indicator_id(record.indicator, evidence=record.evidence, unit=record.unit,
                               suggested=record.indicator_id)


def with_indicator_ids(result: DocumentResult) -> DocumentResult:
    """The result with every record's indicator_id (and how it was decided) set by the mapper."""
    records = []
    for record in result.records:
        decision = decide_for(record)
        records.append(record.model_copy(update={"indicator_id": decision.indicator_id,
                                                 "indicator_id_method": decision.method}))
    return result.model_copy(update={"records": records})
