"""The rules backend on small real-world phrasings, seen and unseen in the bundled corpus."""

import pytest

from extractor.backends.rules import extract
from extractor.documents import document_from_text


def records(text: str):
    return extract(document_from_text(text, name="t.txt")).records


def one(text: str):
    found = records(text)
    assert len(found) == 1, [(r.value, r.indicator) for r in found]
    return found[0]


def comparisons(record):
    return [(c.basis, c.value, c.change) for c in record.comparisons]


def test_fraction_gives_numerator_and_denominator():
    r = one("10.4% (29 / 278) of our Children in Care have been placed 20 or more miles away from home "
            "as at March 2024.")
    assert (r.value, r.unit, r.numerator, r.denominator, r.period) == (10.4, "percent", 29, 278, "2024-03")


def test_comparison_with_earlier_year_and_missed_target():
    found = records(
        "In 2023/24, 81.4% (1,119 / 1,374) of the children had their referral completed within 1 working day. "
        "This is decrease when compared with 84.1% in 2022/23 and does not meet our 90% target."
    )
    assert len(found) == 1
    r = found[0]
    assert sorted(comparisons(r), key=str) == [("previous_year", 84.1, None), ("target", 90, None)]
    assert (r.target_met, r.trend, r.period) == (False, "down", "2023/24")
    assert "within 1 working day" in r.indicator


def test_change_of_a_count_and_inherited_report_period():
    found = records(
        "Summary for Quarter 2 2023/2024.\n\n"
        "The number of children entering care was lower in comparison to the same period last year. "
        "78 children entered this year, which was a reduction of 13."
    )
    r = [x for x in found if x.value == 78][0]
    assert comparisons(r) == [("previous_year", None, -13)]
    assert (r.trend, r.period, r.unit) == ("down", "2023/24 Q2", "count")


def test_two_measures_in_one_sentence():
    found = records("91% of reviews were completed on time, with 93.4% of visits up to date.")
    assert [(r.value, r.unit) for r in found] == [(91, "percent"), (93.4, "percent")]


def test_national_and_statistical_neighbour_benchmarks():
    r = one("The rate of children looked after was 78.4 per 10,000, compared with a national average of 70 "
            "and statistical neighbours at 85.2.")
    assert r.unit == "rate_per_10000"
    assert comparisons(r) == [("national", 70, None), ("statistical_neighbours", 85.2, None)]


def test_number_words_and_none_as_zero():
    assert one("Seven children were adopted.").value == 7
    assert one("Forty-three care leavers were in education.").value == 43
    assert one("No children were placed in unregulated accommodation.").value == 0


def test_count_with_its_percentage_is_one_record():
    r = one("One hundred and fifty-five children (62.5%) had an up to date Personal Education Plan.")
    assert (r.value, r.unit, r.numerator) == (62.5, "percent", 155)


def test_average_duration_is_a_measure_but_timescales_are_not():
    r = one("The average time to adoption was 420 days, against a national figure of 367 days.")
    assert (r.value, r.unit, comparisons(r)) == (420, "days", [("national", 367, None)])
    assert one("57% of assessments were completed within 20 days.").value == 57


def test_from_to_change():
    r = one("Missing episodes increased to 212 from 180 in the previous quarter.")
    assert (r.value, r.trend, comparisons(r)) == (212, "up", [("previous_period", 180, None)])


@pytest.mark.parametrize(
    "text",
    [
        "Performance on a Page- Quarter 2 PDF 413 KB",
        "VIP Big Brother Project 2023 which was free gym memberships for 50 boys aged 11 to 15 years old.",
        "As resolved in Minute 118, the Panel would go into private session.",
        "The Children in Care Strategy 2024-2027 was noted.",
        "Please contact Jane Smith on 0113 222 4444 or Extension 6091.",
        "The meeting was held on 13 November 2023 at 10.00am.",
        "Care plans were updated within 10 days of the review.",
    ],
)
def test_noise_numbers_are_not_records(text):
    assert records(text) == []


def test_impossible_percentage_is_kept_and_flagged():
    r = one("193.4% of the young people, aged 19-21, were engaging in education.")
    assert (r.value, r.suspect) == (193.4, True)


def test_status_only_records_from_a_not_achieved_list():
    found = records(
        "The Director referred to the performance indicators that had not been achieved, which were:\n\n"
        "\u00b7 Care leavers in Education, Employment and Training \u2013 The Panel noted that there had been "
        "a small dip in the number of care leavers employed.\n\n"
        "\u00b7 Stability of Placement: length of placement \u2013 It was reported that work had been done."
    )
    assert [(r.indicator, r.value, r.target_met, r.trend) for r in found] == [
        ("Care leavers in Education, Employment and Training", None, False, "down"),
        ("Stability of Placement: length of placement", None, False, None),
    ]


def test_same_measure_stated_twice_is_one_record():
    found = records("12 young people were in unsuitable accommodation, with 6 in custody.\n\n"
                    "In relation to the 6 out of 12 children in custody, all had support.")
    assert [r.value for r in found] == [12, 6]


def test_every_record_is_grounded_with_offsets():
    text = ("Intro line.\n\n98.4% of our care leavers aged 19-21 were in\n"
            "suitable accommodation at the end of March 2024.")
    r = one(text)
    assert r.indicator.startswith("Care leavers aged 19-21")
    assert text[r.model_extra["start"]:r.model_extra["end"]].startswith("98.4%")
