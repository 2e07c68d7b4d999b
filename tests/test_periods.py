import pytest

from extractor.periods import comparison_basis, find_periods, is_canonical


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2023/24", "2023/24"),
        ("2023-24", "2023/24"),
        ("2023/2024", "2023/24"),
        ("year end 2023/24", "2023/24"),
        ("Quarter 2 2023/2024", "2023/24 Q2"),
        ("Q2 23/24", "2023/24 Q2"),
        ("as at March 2024", "2024-03"),
        ("in November 2023", "2023-11"),
        ("31 March 2024", "2024-03-31"),
        ("January to December 2023", "2023"),
        ("between April and October 2023", "2023-04..2023-10"),
        ("April 2023 \u2014 March 2024", "2023/24"),
        ("the third quarter of 2022/23", "2022/23 Q3"),
    ],
)
def test_canonical_periods_from_records_md(text, canonical):
    found = [p.canonical for p in find_periods(text) if p.canonical]
    assert found == [canonical]


def test_year_ranges_and_bare_quarters_are_not_periods():
    kinds = {p.kind: p.canonical for p in find_periods("Strategy 2024-2027, Quarter 2, two years")}
    assert kinds == {"year_range": None, "quarter_only": None}
    assert [p.part for p in find_periods("Quarter 2")] == [2]


@pytest.mark.parametrize("period", ["2023/24", "2023/24 Q2", "2024-03", "2024-03-31", "2023", "2023-04..2023-10", None])
def test_is_canonical_accepts_spec_forms(period):
    assert is_canonical(period)


@pytest.mark.parametrize("period", ["2023/25", "Q2 2023/24", "March 2024", "2024-13", "2023-24"])
def test_is_canonical_rejects_others(period):
    assert not is_canonical(period)


@pytest.mark.parametrize(
    ("earlier", "current", "basis"),
    [
        ("2023-03", "2024-03", "previous_year"),
        ("2022/23", "2023/24", "previous_year"),
        ("2023/24 Q1", "2023/24 Q2", "previous_period"),
        ("2022/23 Q4", "2023/24 Q1", "previous_period"),
        ("2019-04", "2020-01", "other"),
    ],
)
def test_comparison_basis(earlier, current, basis):
    assert comparison_basis(earlier, current) == basis
