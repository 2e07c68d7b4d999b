"""Indicator names a person can read: the rules backend's names on sentences invented in the style of
council minutes (none is taken from the corpus). Each test is one rule of naming.py / wording.py."""

import pytest

from extractor.backends.rules import extract
from extractor.backends.rules.trimming import (
    about_lead,
    antecedent,
    cut_at_level,
    heading_prefix_end,
    is_anaphor,
    said_frame_end,
    tidy,
    trim_ends,
)
from extractor.documents import document_from_text


def names(text: str) -> list[tuple[float | None, str]]:
    return [(r.value, r.indicator) for r in extract(document_from_text(text, name="t.txt")).records]


def name_of(text: str, value: float) -> str:
    found = [name for v, name in names(text) if v == value]
    assert found, names(text)
    return found[0]


# Who said it, and the verb of speech, are not what was measured.
@pytest.mark.parametrize(("text", "value", "expected"), [
    ("The Head of Service reported that 84% of child protection visits were completed within 10 working days.",
     84, "Child protection visits completed within 10 working days"),
    ("In answer to a question, the Assistant Director advised that 91% of reviews were held on time.",
     91, "Reviews held on time"),
    ("The Chair noted that the number of children subject to a child protection plan had risen to 245.",
     245, "Number of children subject to a child protection plan"),
    ("The Service Manager for Early Help reported 1,204 contacts.", 1204, "Contacts"),
    ("She confirmed that 45 foster carers had been approved.", 45, "Foster carers approved"),
    ("Councillor Patel asked why only 62% of personal education plans were up to date.",
     62, "Personal education plans up to date"),
    ("The Portfolio Holder welcomed the fact that 96% of initial health assessments were completed within "
     "20 working days.", 96, "Initial health assessments completed within 20 working days"),
    ("It was explained to Members that 73% of care leavers aged 19-21 were in suitable accommodation.",
     73, "Care leavers aged 19-21 in suitable accommodation"),
    ("The dashboard showed that 38 children were placed with parents.", 38, "Children placed with parents"),
])
def test_speaker_and_verb_of_speech_go(text, value, expected):
    assert name_of(text, value) == expected


def test_a_measure_worded_as_speech_is_kept():
    # 'children who said that ...' is a survey measure, not a frame of speech.
    assert said_frame_end("Children who said that they felt safe at home: 85%", 40) == 0
    assert name_of("Children who said that they felt safe at home: 85%.", 85).startswith("Children who said")


def test_frame_end_is_the_last_frame_before_the_value():
    text = "Officers confirmed that 23 young people had three or more placement moves."
    assert text[said_frame_end(text, text.index("23")):].startswith("23 young people")


# A heading run into its text is not part of the name; a short acronym may be the measure itself.
@pytest.mark.parametrize(("text", "value", "expected"), [
    ("PLACEMENTS - 71% of children in care were placed within 20 miles of home.",
     71, "Children in care placed within 20 miles of home"),
    ("OUTCOMES: 58% of care leavers were in education, employment or training.",
     58, "Care leavers in education, employment or training"),
    ("EARLY HELP - Early help assessments completed within 45 days stood at 76%.",
     76, "Early help assessments completed within 45 days"),
])
def test_heading_prefix_goes(text, value, expected):
    assert name_of(text, value) == expected


def test_heading_prefix_rules():
    assert heading_prefix_end("SAFEGUARDING: 12 children") == len("SAFEGUARDING: ")
    assert heading_prefix_end("EARLY HELP - x") == len("EARLY HELP - ")
    assert heading_prefix_end("4.2- Referrals") == len("4.2- ")
    assert heading_prefix_end("NEET: 12%") == 0  # an acronym that may name the measure
    assert heading_prefix_end("Care leavers - a small dip") == 0  # not capitals: the indicator itself


# The verb that gives the level ends the name; what follows the number is kept only when it still
# names the measure (a cohort, a unit), not a time or a comment.
@pytest.mark.parametrize(("text", "value", "expected"), [
    ("Care leavers in suitable accommodation has remained at 89% since the last quarter.",
     89, "Care leavers in suitable accommodation"),
    ("The proportion of care leavers in suitable accommodation had continued to improve to 93% in March 2024.",
     93, "Proportion of care leavers in suitable accommodation"),
    ("Repeat referrals within 12 months have now reduced to 17%, in line with statistical neighbours.",
     17, "Repeat referrals within 12 months"),
    ("The rate of children in need was 356 per 10,000, below the national average.",
     356, "Rate of children in need per 10,000"),
    ("Single assessments were averaging at 81% completed within 45 working days.",
     81, "Single assessments completed within 45 working days"),
])
def test_level_verb_ends_the_name(text, value, expected):
    assert name_of(text, value) == expected


def test_cut_at_level():
    assert cut_at_level("Care leavers in suitable accommodation has remained at ") == (
        "Care leavers in suitable accommodation", True)
    assert cut_at_level("the figure had been maintained at around ")[0] == "the figure"
    # a verb inside a relative clause belongs to the name
    assert cut_at_level("children who had improved attendance ")[1] is False
    # a bare verb with the figures as its object is not cut: 'the school sustained 100% attendance'
    assert cut_at_level("the school sustained ")[1] is False


# Words a cut clause leaves dangling go; an auxiliary of a relative clause stays.
@pytest.mark.parametrize(("raw", "expected"), [
    ("young people had", "young people"),
    ("the 16-17 year olds who", "the 16-17 year olds"),
    ("children placed with foster carers and", "children placed with foster carers"),
    ("only care leavers in touch with", "care leavers in touch"),
    ("children subject to a plan with a rate of", "children subject to a plan"),
])
def test_dangling_ends_go(raw, expected):
    assert trim_ends(raw) == expected


def test_relative_clause_keeps_its_auxiliary():
    text = "There were 44 children in care who were placed outside the county."
    assert name_of(text, 44) == "Children in care who were placed outside the county"


def test_cohort_in_the_lead():
    text = "Of the 16-17 year olds who were looked after, 88% had an up to date pathway plan."
    assert name_of(text, 88) == "16-17 year olds who were looked after had an up to date pathway plan"
    # a count as the lead is the denominator, not a cohort to repeat
    assert not name_of("Of the 240 referrals received, 31 were repeat referrals.", 31).startswith("240")


def test_those_takes_the_cohort_named_before():
    text = ("The percentage of care leavers in employment stood at 51% for care leavers aged 19-21 "
            "and 44% for those aged 22-25.")
    assert name_of(text, 44) == "Care leavers aged 22-25"


# A clause that only points back at a measure takes it from the sentence's lead, or the value before.
def test_anaphor_named_in_the_lead():
    text = "In relation to care leavers aged 19-21 in education, employment or training, this stood at 61%."
    assert name_of(text, 61) == "Care leavers aged 19-21 in education, employment or training"
    assert about_lead("Regarding adoption timeliness, the figure was", 45) == "adoption timeliness"


def test_anaphor_takes_the_previous_measure_of_the_paragraph():
    text = ("Between April and June, 74% of reviews were held on time. Since then, this has risen to 82%.")
    assert name_of(text, 82) == name_of(text, 74) == "Reviews held on time"


def test_measure_named_after_the_value():
    text = ("The service had met its target of 10% (currently at 8.2%) in relation to the percentage of "
            "children in care with three or more placement moves.")
    assert name_of(text, 8.2) == "Children in care with three or more placement moves"


def test_is_anaphor():
    assert is_anaphor("this") and is_anaphor("The figure") and is_anaphor("Numbers")
    assert not is_anaphor("Number of children in care")


def test_of_which_counts_the_clause_before():
    text = "All return interviews were offered to the children, 83% of which were offered within 72 hours."
    assert name_of(text, 83) == "All return interviews offered within 72 hours"
    assert antecedent("412 children were in care") == "children"
    assert name_of("There were 212 children in care, 31 of whom are unaccompanied asylum-seeking children.",
                   31) == "Unaccompanied asylum-seeking children"


def test_earlier_value_in_brackets_is_not_the_name():
    text = "We have seen a reduction in the number of children returning home (from 40) to 33."
    assert "from" not in name_of(text, 33).lower()


def test_status_anaphor_takes_the_measure_named_before():
    text = ("Regionally the numbers of children subject to a protection plan were rising, but the numbers "
            "were falling locally.")
    assert [n for v, n in names(text) if v is None][-1] == "Numbers of children subject to a protection plan"


def test_cause_of_a_status_is_another_measure():
    # the status and the value share a word ('children'), but the value is given as its cause
    text = ("Children in care numbers were rising, largely due to the number of unaccompanied children, "
            "now 52.")
    found = names(text)
    assert (52, "Unaccompanied children") in found
    assert any(v is None and n == "Children in care numbers" for v, n in found)


def test_tidy():
    assert tidy("Care leavers aged 22- 25") == "Care leavers aged 22-25"
    assert tidy("Children (per 10,000)") == "Children per 10,000"
    assert tidy("Care leavers \u2013 \u201csuitable accommodation") == "Care leavers \u2013 suitable accommodation"
    assert tidy("asylum-\nseekers") == "asylum-seekers"


def test_anaphor_under_a_heading_that_names_the_measure():
    text = ("Percentage of children adopted within 12 months of the decision\n\n"
            "Our aim\n\n"
            "Performance dipped in the spring. Since then, the figure has been maintained at around 64%.")
    assert name_of(text, 64) == "Percentage of children adopted within 12 months of the decision"


def test_of_these_takes_the_measure_before():
    text = ("There were 48 pupils in Year 6 who were looked after at the end of the year. "
            "Of these, 21 (44%) reached the expected standard in reading.")
    assert name_of(text, 44).startswith("Pupils in Year 6 who were looked after")
    assert name_of(text, 44).endswith("reached the expected standard in reading")


def test_range_of_values_named_by_what_ranges():
    text = "Team caseloads were ranging from 14 to 23 with an average of 18 children per worker."
    assert name_of(text, 14) == "Team caseloads"


def test_what_a_figure_is_impacted_by_is_the_name():
    text = "The quarter was significantly affected by six young people who went missing from placement."
    assert name_of(text, 6) == "Young people who went missing from placement"
    # who was affected names the measure: kept
    assert trim_ends("children affected by domestic abuse") == "children affected by domestic abuse"


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("Members were told by the Head of Service that 34 young people were in custody.", 34, "Young people in custody"),
    ("The Head of Safeguarding reported that there had been 156 child protection plans at the end of the quarter.",
     156, "Child protection plans"),
    ("3. Permanence - 18 children were adopted.", 18, "Children adopted"),
    ("Care leavers - 91% (target 90%).", 91, "Care leavers"),
    ("Initial health assessments - 45% completed within 20 working days (target 90%).",
     45, "Initial health assessments completed within 20 working days"),
    ("SUMMARY: the average time between entering care and adoption was 402 days.",
     402, "Average time between entering care and adoption"),
    ("It was reported that, of the 120 children in care, 14 were placed with parents.",
     14, "Children in care placed with parents"),
])
def test_more_minutes_wordings(text, value, expected):
    assert name_of(text, value) == expected


def test_another_values_number_is_not_in_the_name():
    text = ("212 children were in care at the end of June or 61 per 10,000 children, including 27 unaccompanied "
            "children.")
    assert not any(ch.isdigit() for ch in name_of(text, 61).replace("10,000", ""))


def test_which_after_a_preposition_is_part_of_the_noun_phrase():
    text = "The number of occasions on which a child returned home remained similar (42 occasions compared with 40)."
    assert name_of(text, 42) == "Number of occasions on which a child returned home"


def test_a_list_with_a_serial_comma_is_one_phrase():
    text = "81% of care leavers were in education, training, or employment."
    assert name_of(text, 81) == "Care leavers in education, training, or employment"


def test_what_follows_a_level_verb_after_its_period_is_a_comment():
    text = "Missing episodes among children in care have reduced to 4% in 2022-23 and there has been a 3 year trend."
    assert name_of(text, 4) == "Missing episodes among children in care"


def test_which_with_a_level_verb_goes_with_it():
    text = "Members discussed fostering households which had reduced from 180 to 171 as well as the recruitment plan."
    assert name_of(text, 171) == "Fostering households"


def test_who_did_the_work_is_not_the_name():
    text = ("The Head of Service explained that the service had received 2,104 contacts during the quarter, "
            "of which 41% progressed to referral.")
    assert name_of(text, 2104) == "Contacts received"
    assert name_of(text, 41) == "Contacts progressed to referral"
    assert name_of("We have supported 312 families through early help.", 312) == (
        "Families supported through early help")


def test_comparison_bracket_after_the_value_is_not_the_name():
    assert name_of("Children in care - 312 (last quarter 298)", 312) == "Children in care"


def test_an_age_band_in_the_name_is_kept():
    assert name_of("Young people NEET (16-17): 3.2%, better than the national average of 4.7%.", 3.2) == (
        "Young people NEET (16-17)")


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("There were 17 young people who, at the end of March, were living in unregulated placements.",
     17, "Young people who were living in unregulated placements"),
    ("Officers advised Members of the following: 45 children were adopted in 2022/23.", 45, "Children adopted"),
    ("Fostering: 14 new foster carers were approved, against a target of 20.", 14, "New foster carers approved"),
    ("The Cabinet Member noted with concern that 28 young people had been excluded.", 28, "Young people excluded"),
])
def test_leads_and_asides(text, value, expected):
    assert name_of(text, value) == expected


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("The figure for care leavers in suitable accommodation was 88%.", 88, "Care leavers in suitable accommodation"),
    ("Care leavers in employment, education or training was reported as 54%.",
     54, "Care leavers in employment, education or training"),
    ("The service had achieved 96% for visits to children in care within timescales.",
     96, "Visits to children in care within timescales"),
    ("The proportion of EHC plans completed within 20 weeks, excluding exceptions, was 48%.",
     48, "Proportion of EHC plans completed within 20 weeks, excluding exceptions"),
    ("The Youth Offending Service reported a reoffending rate of 34.5%.", 34.5, "A reoffending rate"),
])
def test_figure_for_reported_as_achieved_for_and_asides(text, value, expected):
    assert name_of(text, value) == expected
