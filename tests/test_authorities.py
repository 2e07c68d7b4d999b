"""Authorities by name: LAIT's own names, the forms minutes print, and names that are no authority."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.authorities import ALIASES, areas, authorities, name_key, resolve_authority
from extractor.meta import detect_authority

LAIT = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "lait"


@pytest.mark.parametrize(("printed", "number"), [
    ("Rotherham", 372), ("Rotherham MBC", 372), ("Rotherham Metropolitan Borough Council", 372),
    ("Kingston upon Hull", 810), ("Hull City Council", 810), ("Hull", 810), ("Kingston Upon Hull, City of", 810),
    ("Bristol", 801), ("City of Bristol", 801), ("Bristol City Council", 801), ("Bristol, City of", 801),
    ("Durham", 840), ("County Durham", 840), ("Durham County Council", 840),
    ("Herefordshire", 884), ("Herefordshire, County of", 884), ("Herefordshire Council", 884),
    ("St Helens", 342), ("St. Helens", 342), ("St Helens Borough Council", 342),
    ("Brighton & Hove", 846), ("Brighton and Hove City Council", 846),
    ("London Borough of Hammersmith & Fulham", 205), ("Royal Borough of Windsor and Maidenhead", 868),
    ("Southend on Sea", 882), ("Southend-on-Sea City Council", 882), ("Stockton-on-Tees", 808),
    ("Stockton on Tees Borough Council", 808), ("Bedford", 822), ("Bedford Borough Council", 822),
    ("Leicester City Council", 856), ("Leicestershire County Council", 855), ("Newcastle", 391),
    ("Telford & Wrekin", 894), ("Council of the Isles of Scilly", 420), ("City of London", 201),
    ("Cumbria County Council", 909),
    ("  rotherham  ", 372), ("ROTHERHAM MBC", 372),
])
def test_printed_forms_resolve_to_their_la_number(printed: str, number: int) -> None:
    found = resolve_authority(printed)
    assert found is not None and found.la_number == number, printed


@pytest.mark.parametrize("printed", [
    "Kingston",  # Kingston upon Thames or Kingston upon Hull: neither
    "London", "England", "North East", "Yorkshire and the Humber",  # areas, not authorities
    "Rotherhm", "Bristow", "Nowhere Borough Council", "", "   ", None,  # no nearest-name guessing
])
def test_names_that_are_no_authority_resolve_to_none(printed: str | None) -> None:
    assert resolve_authority(printed) is None


def test_every_lait_authority_resolves_by_its_own_name_and_with_council() -> None:
    for number, authority in authorities().items():
        assert resolve_authority(authority.name).la_number == number
        assert resolve_authority(f"{authority.name} Council").la_number == number
        assert resolve_authority(authority.name.upper()).la_number == number


def test_the_table_holds_lait_s_list_and_every_alias_names_an_authority() -> None:
    assert len(authorities()) == 158 and len(areas()) == 170
    assert areas()[970] == "England" and 970 not in authorities()
    assert all(number in authorities() for number in ALIASES.values())
    assert all(alias == name_key(alias) for alias in ALIASES)


def test_the_shipped_table_is_what_the_script_writes_from_lait_s_list(tmp_path: Path) -> None:
    if not (LAIT / "la_code_list.xlsx").exists():
        pytest.skip(f"the LAIT snapshot is not at {LAIT}")
    import openpyxl

    workbook = openpyxl.load_workbook(LAIT / "la_code_list.xlsx", read_only=True)
    listed = {int(row[0]): row[1] for row in list(workbook.worksheets[0].iter_rows(values_only=True))[1:]
              if row[0] is not None and "discontinued" not in str(row[1])}
    assert listed == areas()


def test_the_names_that_meta_reads_from_text_all_resolve() -> None:
    text = (Path(__file__).resolve().parents[1] / "extractor" / "data" / "authorities.txt").read_text("utf-8")
    names = [line.strip().rstrip("*") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert names and [name for name in names if resolve_authority(name) is None] == []
    detected = detect_authority("Rotherham Metropolitan Borough Council\nImproving Lives Select Commission")
    assert resolve_authority(detected).la_number == 372  # what meta reads resolves too
