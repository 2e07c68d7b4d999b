import pytest
from pydantic import ValidationError

from extractor.schema import DocumentResult, KPIRecord

SOURCE = "In 2023/24, 81.4% (1,119 / 1,374) of the children had their referral completed within 1 working day."


def record(**overrides):
    data = {
        "indicator": "Referrals completed within 1 working day", "value": 81.4, "unit": "percent",
        "period": "2023/24", "numerator": 1119, "denominator": 1374,
        "evidence": "81.4% (1,119 / 1,374) of the children had their referral completed within 1 working day.",
    }
    return {**data, **overrides}


def test_grounded_record_validates_against_its_source():
    assert KPIRecord.model_validate(record(), context={"source": SOURCE}).value == 81.4


def test_evidence_not_in_source_is_rejected_with_a_fix():
    with pytest.raises(ValidationError, match="not in the document"):
        KPIRecord.model_validate(record(evidence="82% of referrals were on time."), context={"source": SOURCE})


def test_evidence_must_print_the_value():
    with pytest.raises(ValidationError, match="does not print the value"):
        KPIRecord.model_validate(record(value=82), context={"source": SOURCE})


def test_whitespace_and_dashes_may_differ_in_evidence():
    source = "Care leavers in Education \u2013 a small\n dip."
    KPIRecord.model_validate(
        {"indicator": "Care leavers in EET", "value": None, "unit": None, "trend": "down",
         "evidence": "Care leavers in Education - a small dip."},
        context={"source": source},
    )


@pytest.mark.parametrize(
    ("field", "bad"),
    [("unit", "percentage"), ("period", "Q2 2023"), ("trend", "better"), ("value", "lots")],
)
def test_vocabularies_and_canonical_periods_are_enforced(field, bad):
    with pytest.raises(ValidationError, match=field):
        KPIRecord.model_validate(record(**{field: bad}))


def test_value_and_unit_go_together():
    with pytest.raises(ValidationError, match="value and unit go together"):
        KPIRecord.model_validate(record(unit=None))


def test_comparison_basis_vocabulary():
    with pytest.raises(ValidationError, match="basis"):
        KPIRecord.model_validate(record(comparisons=[{"basis": "last_year", "value": 84.1}]))


def test_impossible_percentage_is_flagged_suspect():
    assert KPIRecord.model_validate(record(value=193.4, numerator=None, denominator=None)).suspect


def test_percentage_contradicting_its_fraction_is_suspect():
    assert KPIRecord.model_validate(record(value=50)).suspect


def test_json_out_is_kpi_records_1():
    result = DocumentResult(document="x.txt", records=[KPIRecord.model_validate(record(start=3, end=9))])
    data = result.to_kpi_json()
    assert list(data) == ["format", "document", "meta", "records"]
    assert data["format"] == "kpi-records/1"
    assert list(data["records"][0])[:12] == [
        "indicator", "indicator_id", "value", "unit", "period", "numerator", "denominator", "comparisons",
        "target_met", "trend", "suspect", "evidence",
    ]
    assert data["records"][0]["start"] == 3


def test_document_must_be_a_file_name():
    with pytest.raises(ValidationError, match="file's name"):
        DocumentResult(document="eval/corpus/x.txt")


def test_a_number_inside_a_date_is_not_a_value():
    # scoring.md: '18/04/2018' prints neither 4 nor 2018, so a model's record of either is rejected.
    source = "Meeting: 18/04/2018 - Children's Scrutiny Panel (Item 111)"
    for value in (4, 2018):
        with pytest.raises(ValidationError, match="does not print the value"):
            KPIRecord.model_validate(
                {"indicator": "Meeting", "value": value, "unit": "count", "evidence": source},
                context={"source": source},
            )


def test_a_model_answer_must_hold_records_and_nothing_else():
    from extractor.schema import ChunkRecords

    assert ChunkRecords.model_validate({"records": []}).records == []  # "none found", said explicitly
    for off_schema in ({}, {"id": 123, "title": "Agenda item"}, {"records": [], "summary": "x"}):
        with pytest.raises(ValidationError):
            ChunkRecords.model_validate(off_schema)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"indicator": "Care plans up to date", "value": None, "unit": None, "evidence": "Care plans up to date"},
         "must say how the indicator moved"),
        ({"indicator": "Care plans up to date", "value": 98.9, "unit": "percent", "evidence": "98.9"},
         "is only a number"),
        ({"indicator": "Care plans reviewed within twenty working days", "value": 98.9, "unit": "percent",
          "evidence": "98.9% of plans"}, "shorter than the indicator"),
    ],
)
def test_model_records_are_as_strict_as_records_md(record, message):
    from extractor.schema import ModelRecord

    with pytest.raises(ValidationError, match=message):
        ModelRecord.model_validate(record)
    KPIRecord.model_validate(record)  # the same record read from a file is only checked for its types
