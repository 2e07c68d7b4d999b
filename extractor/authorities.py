"""Authorities by name: a council as minutes print it resolves to its DfE LA number, or to nothing.

The table is LAIT's own list of local authorities (extractor/data/lait_authorities.csv, written
from LAIT's la_code_list.xlsx by scripts/make_authorities_csv.py), each name also reachable in
the forms councils print it: with `Council`, `MBC`, `City Council`, `County Council`, `London
Borough of`, `City of`, `, County of` around it, `&` for `and`, `St.` for `St`, hyphens as spaces,
and a short list of hand-written variants (ALIASES: `Hull`, `Newcastle`, `BCP`, ...). Nothing is
matched by similarity: a name that is none of these resolves to None, and callers say so. A form
that two authorities share (`Kingston`) resolves to neither.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

ENGLAND = 970  # LAIT's LA number for England; 980-990 are the regions

# Variants that no rule derives from LAIT's name: the form printed -> LAIT's LA number.
ALIASES: dict[str, int] = {
    "hull": 810,
    "newcastle": 391,
    "southend": 882,
    "stockton": 808,
    "redcar": 807,
    "stoke": 861,
    "blackburn": 889,
    "telford": 894,
    "east riding": 811,
    "bcp": 839,
    "richmond": 318,
    "windsor": 868,
    "brighton": 846,
    "scilly": 420,
}

# Words printed around a name (after normalisation: lower case, punctuation as spaces, & as and).
# Longest first, so `metropolitan borough council` goes before `council`.
_SUFFIXES = ("metropolitan borough council", "metropolitan district council", "royal borough council",
             "borough council", "city council", "county council", "district council", "unitary authority",
             "county borough council", "council", "mbc", "city of", "county of", "borough", "city")
_PREFIXES = ("the royal borough of", "royal borough of", "london borough of", "the london borough of",
             "metropolitan borough of", "borough of", "city and county of", "city of", "county of",
             "council of the", "the", "county")


@dataclass(frozen=True)
class Authority:
    """A local authority of LAIT's list."""

    la_number: int
    name: str  # as LAIT prints it
    region: str  # LAIT's region of the authority (`Inner London`, `Yorkshire and The Humber`)
    type: str  # LAIT's: OLB, ILB, MD, UA, SC


def name_key(name: str) -> str:
    """A name folded for lookup: lower case, `&` as `and`, `St.` as `St`, punctuation and hyphens as spaces."""
    text = name.lower().replace("&", " and ").replace("\u2019", "'").replace("'", "")
    text = re.sub(r"\bst\.", "st", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _stripped(key: str) -> list[str]:
    """The key and every form left by taking printed words off its ends, least taken first."""
    forms = [key]
    for current in forms:  # grows as it is read: each new form is stripped in turn
        for suffix in _SUFFIXES:
            if current.endswith(" " + suffix) and current[: -len(suffix) - 1] not in forms:
                forms.append(current[: -len(suffix) - 1])
        for prefix in _PREFIXES:
            if current.startswith(prefix + " ") and current[len(prefix) + 1:] not in forms:
                forms.append(current[len(prefix) + 1:])
    return forms


def _table_rows() -> list[dict[str, str]]:
    text = resources.files("extractor.data").joinpath("lait_authorities.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def authorities() -> dict[int, Authority]:
    """Every local authority of LAIT's list by LA number (England and the regions are not authorities)."""
    found = {}
    for row in _table_rows():
        number = int(row["la_number"])
        if row["type"] != "NA":
            found[number] = Authority(number, row["name"], row["region"], row["type"])
    return found


@cache
def areas() -> dict[int, str]:
    """Every area of LAIT's list by LA number: the authorities, the regions and England, as LAIT names them."""
    return {int(row["la_number"]): row["name"] for row in _table_rows()}


@cache
def _index() -> dict[str, int | None]:
    """Each folded form -> its LA number; a form two authorities share -> None (ambiguous)."""
    index: dict[str, int | None] = {}
    exact: dict[str, int] = {}
    not_authorities = {name_key(name) for number, name in areas().items() if number not in authorities()}
    for authority in authorities().values():
        key = name_key(authority.name)
        exact[key] = authority.la_number
        for form in _stripped(key):
            if not form or form in not_authorities:  # `City of London` does not make `London` an authority
                continue
            if index.get(form, authority.la_number) != authority.la_number:
                index[form] = None
            else:
                index[form] = authority.la_number
    index.update(exact)  # an authority's own name always wins over another's shortened form
    for alias, number in ALIASES.items():
        index.setdefault(alias, number)
    return index


def resolve_authority(name: str | None) -> Authority | None:
    """The authority a printed name means (`Rotherham MBC`, `City of Bristol`), or None when no entry is that name."""
    if not name or not name.strip():
        return None
    index = _index()
    for form in _stripped(name_key(name)):
        if form in index:
            number = index[form]
            return authorities()[number] if number is not None else None
    return None
