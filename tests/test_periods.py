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


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Q3 2023-24", "2023/24 Q3"),
        ("quarter three 2023/24", "2023/24 Q3"),
        ("Quarter 4 of 2022/23", "2022/23 Q4"),
        ("Q1 2023/2024", "2023/24 Q1"),
        ("2023 to 2024", "2023/24"),
        ("end of March 2024", "2024-03"),
        ("October 2023 to December 2023", "2023-10..2023-12"),
        ("Apr-Sep 2023", "2023-04..2023-09"),
        ("Jan-Mar 2024", "2024-01..2024-03"),
        ("H1 2023/24", "2023-04..2023-09"),
        ("H2 2023/24", "2023-10..2024-03"),
        ("first half of 2023/24", "2023-04..2023-09"),
        ("the second half of the year 2023-24", "2023-10..2024-03"),
        ("the year ending 31 March 2023", "2022/23"),
        ("1st April 2022 - 31st March 2023", "2022/23"),
        ("Quarter 2 (September 2022)", "2022/23 Q2"),
        ("Mar-22", "2022-03"),
        ("17/11/2022", "2022-11-17"),
    ],
)
def test_common_variants_with_uk_financial_quarters(text, canonical):
    found = [p.canonical for p in find_periods(text) if p.canonical]
    assert found == [canonical]


def test_year_end_alone_names_no_period_so_the_report_period_applies():
    assert [p.canonical for p in find_periods("Performance at year end") if p.canonical] == []


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


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Quarter Three 2023 to 2024", "2023/24 Q3"),          # gov.uk style financial year
        ("(Q1/Q2 2017-2018)", "2017-04..2017-09"),               # two quarters: their months
        ("Quarters 1 & 2 of 2017/18", "2017-04..2017-09"),
        ("Q2 202223", "2022/23 Q2"),                            # a year printed without its separator
        ("2018/19 - Quarter 3", "2018/19 Q3"),
        ("Quarter 2 (September 2022)", "2022/23 Q2"),
        ("Meeting: 17/11/2022 - Panel", "2022-11-17"),          # UK numeric dates, day first
        ("held on 07.02.22.", "2022-02-07"),
        ("as at Mar-22", "2022-03"),
        ("in 22/23", "2022/23"),
        ("the year ending 31st March 2022", "2021/22"),
        ("1st April 2022 - 31st March 2023", "2022/23"),
        ("between 1 July 2022 and 30 September 2022", "2022-07..2022-09"),
    ],
)
def test_more_printed_forms(text, canonical):
    assert [p.canonical for p in find_periods(text) if p.canonical] == [canonical]


def test_partial_periods_carry_their_month_or_quarter():
    month = find_periods("At the end of November, 91% had a plan")[0]
    assert (month.kind, month.part, month.canonical) == ("month_only", 11, None)
    assert find_periods("Indictors 25/26: Average Caseloads") == []  # not a year without 'in', 'FY'...


def test_quarter_of_range():
    from extractor.periods import quarter_of_range

    assert quarter_of_range("2022-07..2022-09") == "2022/23 Q2"
    assert quarter_of_range("2023-01..2023-03") == "2022/23 Q4"
    assert quarter_of_range("2022-07..2022-10") is None


# Periods relative to the meeting, and months or quarters without a year (issue 20), in invented wording.
from extractor.backends.rules.timing import Timeline  # noqa: E402


def _resolved(text, report=None, meeting=None):
    return [p.canonical for p in Timeline(report, meeting).periods(text)]


def test_two_months_without_a_year_are_one_span_in_the_reports_year():
    assert _resolved("Missing episodes fell in October and November.", "2023/24 Q3") == ["2023-10..2023-11"]
    assert _resolved("during November to January", "2023/24 Q4") == ["2023-11..2024-01"]
    assert _resolved("Missing episodes fell in October and November.") == [None]


def test_as_at_today_is_the_meeting_date_and_since_the_last_meeting_is_no_period():
    assert _resolved("As at today, 412 children were in care", "2021/22 Q2", "2021-11-09") == ["2021-11-09"]
    assert _resolved("as of this meeting there were 40 carers", "2021/22 Q2") == [None]
    found = Timeline("2021/22 Q2", "2021-11-09").periods("Since the panel last met, 14 children were adopted")
    assert [(p.kind, p.canonical) for p in found] == [("since_last", None)]


def test_a_quarter_without_a_year_takes_the_reports_financial_year():
    assert _resolved("In Quarter 3, 88% of visits", "2023/24 Q2", "2023-11-15") == ["2023/24 Q3"]
    assert _resolved("In Quarter 1, 80% of visits", "2023/24 Q2", "2023-11-15") == ["2023/24 Q1"]
    # A quarter that had not begun by the meeting is the previous year's.
    assert _resolved("In Quarter 4, 88% of visits", "2023/24 Q1", "2023-08-15") == ["2022/23 Q4"]


def test_periods_sort_by_their_end_then_shortest_first():
    from extractor.periods import sort_key

    periods = ["2023/24", "2024-03", "2023", "2023/24 Q2", "2022-04..2023-10", "2024-03-31", "2023/24 Q4", "2022/23"]
    assert sorted(periods, key=sort_key) == ["2022/23", "2023/24 Q2", "2022-04..2023-10", "2023", "2024-03-31",
                                            "2024-03", "2023/24 Q4", "2023/24"]


@pytest.mark.parametrize(("text", "canonical"), [
    ("referrals had fallen in each of January, February and March 2024", "2024-01..2024-03"),
    ("episodes fell over November, December and January 2024", "2023-11..2024-01"),
    ("the first time entrant rate in the year to December 2023", "2023"),
    ("in the 12 months to June 2024", "2023-07..2024-06"),
    ("in the year ending 31 March 2024", "2023/24"),
])
def test_month_lists_and_years_to_a_month(text, canonical):
    assert [p.canonical for p in find_periods(text)] == [canonical]
