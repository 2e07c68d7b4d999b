"""The canonical mapper (indicators.md), one invented record per rule, and its place in the pipeline."""

import pytest

from extractor.backends.base import Extraction, Identity
from extractor.canonical import EVIDENCE, METHODS, SUGGESTED, UNMAPPED, WORDING, decide_indicator_id
from extractor.documents import load_document
from extractor.pipeline import extract_documents
from extractor.schema import DocumentResult, KPIRecord


def decide(indicator, unit=None, evidence="", suggested=None):
    return decide_indicator_id(indicator, evidence=evidence, unit=unit, suggested=suggested)


def idof(indicator, unit=None, evidence=""):
    return decide(indicator, unit, evidence).indicator_id


@pytest.mark.parametrize("indicator", ["CLA", "children we care for", "looked after children (LAC)",
                                       "children in our care", "number of CiC"])
def test_rule_1_one_population_under_many_names(indicator):
    assert idof(indicator, "count") == "cla_count"


def test_rule_1_care_leavers_are_another_population():
    assert idof("care leavers aged 19-21 in suitable accommodation", "percent") == (
        "care_leavers_suitable_accommodation_pct")
    assert idof("looked after children in suitable accommodation", "percent") is None
    assert idof("children in education, employment or training", "percent") is None  # children are not care leavers


def test_rule_1_a_subgroup_maps_only_to_its_own_row():
    assert idof("unaccompanied asylum seeking children in care", "count") == "uasc_looked_after_count"
    assert idof("CLA aged under 1", "count") is None
    assert idof("children in care in unregistered placements", "count") is None
    assert idof("disabled children looked after", "count") is None


def test_rule_2_the_unit_must_be_the_rows():
    assert idof("children looked after", "rate_per_10000") is None
    assert idof("children looked after per 10,000", "rate_per_10000") == "cla_rate_per_10000"
    assert idof("CLA", "percent") is None
    assert idof("entering care to placement with adoptive family", "months") == (
        "adoption_entering_care_to_placement_days")


def test_rule_2_a_status_only_record_maps_by_what_it_describes():
    assert idof("the number of children in care has increased") == "cla_count"
    assert idof("rate of children in care remained high") == "cla_rate_per_10000"


def test_rule_3_the_timescale_must_agree():
    assert idof("assessments completed within 45 working days", "percent") == "assessments_within_45_working_days_pct"
    assert idof("assessments completed on time", "percent") == "assessments_within_45_working_days_pct"
    assert idof("assessments completed within 35 days", "percent") is None
    assert idof("ICPCs held within 15 working days", "percent") == "icpc_within_15_working_days_pct"
    assert idof("ICPCs held within 20 working days", "percent") is None
    assert idof("IHAs completed within 20 working days", "percent") == "cla_initial_health_assessment_in_timescale_pct"
    assert idof("return home interviews completed within 72 hours", "percent") == (
        "return_home_interviews_within_72_hours_pct")


def test_rule_3_a_stated_period_that_defines_the_measure_must_be_the_rows():
    assert idof("re-referrals within 12 months", "percent") == "re_referrals_within_12_months_pct"
    assert idof("CLA with 3 or more placements in the last 12 months", "percent") == "cla_three_plus_placements_pct"
    evidence = "332 children had a new referral within 12 months of a previous one"
    assert idof("children", "count", evidence) is None  # not referrals_count


def test_rule_3_a_row_with_a_timescale_needs_one_stated():
    assert idof("initial health assessments", "percent") is None


def test_rule_4_starts_stock_and_leavers_differ():
    assert idof("children entering care", "count") == "cla_starts_count"
    assert idof("children in care", "count") == "cla_count"
    assert idof("children ceasing to be looked after", "count") == "cla_ceased_count"
    assert idof("children leaving care", "count") == "cla_ceased_count"
    assert idof("care leavers", "count") == "care_leavers_count"
    assert idof("children becoming subject to a child protection plan", "count") == "cp_plan_starts_count"
    assert idof("children subject to a child protection plan", "count") == "cp_plans_count"


def test_rule_5_events_and_people_stay_apart():
    assert idof("missing episodes", "count") == "cla_missing_episodes_count"
    assert idof("children who went missing", "count") == "cla_went_missing_count"
    assert idof("occasions children came into care", "count") is None  # events; the row counts children


def test_rule_6_a_benchmark_valued_record_keeps_its_measures_id():
    evidence = "Nationally, 71 per 10,000 children are looked after"
    assert idof("children looked after per 10,000 (national)", "rate_per_10000", evidence) == "cla_rate_per_10000"


def test_rule_7_status_about_a_number_maps_only_to_a_count_row():
    assert idof("the number of care leavers in education, employment or training has risen") is None
    assert idof("care leavers in education, employment or training - a small dip") == "care_leavers_eet_pct"
    assert idof("child in need plans improved") is None  # quality, not a number


def test_rule_7_care_leaver_age_bands():
    assert idof("care leavers aged 17-18 in education, employment or training", "percent") == "care_leavers_eet_pct"
    assert idof("care leavers aged 22-25", "count") is None


def test_rule_7_an_average_of_a_count_keeps_unit_count():
    assert idof("average caseload", "count") == "social_worker_average_caseload"


def test_rule_7_offered_and_completed_are_different_rows():
    assert idof("return home interviews offered within 72 hours", "percent") == (
        "return_home_interviews_offered_within_72_hours_pct")


def test_a_negation_turns_the_measure_round():
    assert idof("care leavers not in education, employment or training", "percent") == "care_leavers_neet_pct"


def test_a_wording_after_with_qualifies_something_else():
    assert idof("young people placed with in-house foster carers", "count") is None


def test_a_subgroup_named_by_the_indicator_refuses_the_evidences_row():
    evidence = "there were 6 foster carer approvals, 5 were kinship and 1 was a mainstream approval"
    assert idof("a mainstream approval", "count", evidence) is None


def test_the_evidence_decides_a_short_indicator_only_when_it_names_one_row():
    decision = decide("now standing at", "count", "Looked after children now standing at 412.")
    assert decision.indicator_id == "cla_count" and decision.method == EVIDENCE
    two = "412 children in care, and 38 unaccompanied asylum seeking children, now standing at 412"
    assert idof("now standing at", "count", two) is None
    assert idof("assessments rate", None, "contacts, referrals and assessments rates were reducing") is None
    assert idof("children on the last day", "count", "400 children in care, including 39 UASC") is None


def test_the_method_is_stored_and_meaningful():
    assert decide("children in care", "count").method == WORDING
    assert decide("a made-up measure", "count").method == UNMAPPED
    assert decide("a made-up measure", "count", suggested="cla_count") == decide(
        "a made-up measure", "count", suggested="cla_count")
    suggested = decide("a made-up measure", "count", suggested="cla_count")
    assert (suggested.indicator_id, suggested.method) == ("cla_count", SUGGESTED)
    refused = decide("a made-up measure", "percent", suggested="cla_count")  # a count row takes no percent
    assert (refused.indicator_id, refused.method) == (None, UNMAPPED)
    assert decide("children in care", "count", suggested="care_leavers_count").indicator_id == "cla_count"
    assert set(METHODS) == {WORDING, EVIDENCE, SUGGESTED, UNMAPPED}


class _ThirdParty:
    """A backend from another package: it knows nothing of ids, or suggests a wrong one."""

    identity = Identity("third-party")
    concurrency = 1

    async def extract(self, document):
        records = [
            KPIRecord(indicator="Children in care", value=248, unit="count", evidence="248 children in care"),
            KPIRecord(indicator="Odd figure", value=7, unit="count", evidence="7 widgets",
                      indicator_id="care_leavers_count"),
        ]
        return Extraction(DocumentResult(document=document.name, records=records))

    async def aclose(self):
        return None


def test_the_pipeline_sets_ids_for_a_third_party_backend(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text("There were 248 children in care. We counted 7 widgets.", "utf-8")
    [result] = extract_documents([load_document(path)], backend=_ThirdParty())
    first, second = result.records
    assert (first.indicator_id, first.indicator_id_method) == ("cla_count", WORDING)
    assert (second.indicator_id, second.indicator_id_method) == ("care_leavers_count", SUGGESTED)


@pytest.mark.parametrize("indicator", ["Children who became looked after", "Children becoming Looked After",
                                       "children starting to be looked after this year"])
def test_rule_4_becoming_looked_after_is_a_start_never_the_stock(indicator):
    decided = decide_indicator_id(indicator, unit="count")
    assert decided.indicator_id != "cla_count"
    assert decided.indicator_id in (None, "cla_starts_count")


@pytest.mark.parametrize("indicator", ["Suspensions of children in care", "Looked after reviews chaired by IROs",
                                       "Children in care open to the prevention programme"])
def test_a_population_row_is_not_what_counts_something_else_about_that_population(indicator):
    assert idof(indicator, "count") is None


@pytest.mark.parametrize(("indicator", "unit", "evidence", "expected"), [
    ("Contacts received by the Multi-Agency Safeguarding Hub", "count", "", "contacts_count"),
    ("Child and family assessments completed within 45 working days", "percent", "",
     "assessments_within_45_working_days_pct"),
    ("Unaccompanied asylum-seeking children being looked after by the Council", "count", "", "uasc_looked_after_count"),
    # the evidence's timescale is another clause's measure's
    ("Children who came into care", "count", "Of the 27 children who came into care, 22 had an initial health "
     "assessment within 20 working days.", "cla_starts_count"),
    # its own 'within timescale' is the record's: another clause's '15 working days' is not
    ("Review child protection conferences held within timescale", "percent", "91% of review child protection "
     "conferences were held within timescale, and initial conferences within 15 working days were 88%.",
     "cp_reviews_in_timescale_pct"),
])
def test_wordings_met_on_unseen_minutes(indicator, unit, evidence, expected):
    assert idof(indicator, unit, evidence) == expected
