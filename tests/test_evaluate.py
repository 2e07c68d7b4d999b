"""The scorer on small hand-made cases (scoring.md)."""

from pathlib import Path

import pytest

from extractor.evaluate import evaluate, prf
from extractor.schema import DocumentResult

TEXT = (
    "91% of reviews were completed on time, with 93.4% of visits up to date. "
    "There were 11 children adopted in this quarter. There had been 8 approvals and 11 de-registrations. "
    "Care leavers in Education - a small dip."
)


def rec(indicator, value, evidence, unit=None, **extra):
    unit = unit if unit is not None else (None if value is None else "percent")
    return {"indicator": indicator, "value": value, "unit": unit, "evidence": evidence, **extra}


def doc(records, name="d.txt", meta=None):
    return DocumentResult.model_validate({"document": name, "meta": meta or {}, "records": records})


def run(gold, pred, text=TEXT):
    report, scores = evaluate([doc(gold)], [doc(pred)] if pred is not None else [], {"d.txt": text})
    return report, scores[0]


def test_perfect_prediction():
    gold = [rec("Reviews on time", 91, "91% of reviews were completed on time")]
    report, _ = run(gold, gold)
    assert report["records"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["grounding_rate"] == 1.0


def test_values_must_match_after_rounding():
    gold = [rec("Reviews on time", 91, "91% of reviews were completed on time")]
    report, score = run(gold, [rec("Reviews on time", 91.0004, "91% of reviews were completed on time")])
    assert report["pairs"] == 1
    report, score = run(gold, [rec("Reviews on time", 92, "91% of reviews were completed on time")])
    assert report["pairs"] == 0 and len(score.missed) == 1 and len(score.unpaired) == 1


def test_duplicate_values_pair_one_to_one_by_weight():
    adopted = "There were 11 children adopted in this quarter."
    dereg = "There had been 8 approvals and 11 de-registrations."
    gold = [rec("Children adopted", 11, adopted, "count"), rec("De-registrations", 11, dereg, "count")]
    pred = [rec("De-registrations", 11, dereg, "count"), rec("Children adopted", 11, adopted, "count")]
    _, score = run(gold, pred)
    assert {(p.gold.indicator, p.pred.indicator) for p in score.pairs} == {
        ("Children adopted", "Children adopted"), ("De-registrations", "De-registrations"),
    }


def test_ties_go_to_gold_order_then_prediction_order():
    evidence = "There had been 8 approvals and 11 de-registrations."
    gold = [rec("De-registrations", 11, evidence, "count"), rec("De-registrations", 11, evidence, "count")]
    pred = [rec("De-registrations", 11, evidence, "count", note="first"),
            rec("De-registrations", 11, evidence, "count", note="second")]
    _, score = run(gold, pred)
    assert [p.pred.model_extra["note"] for p in score.pairs] == ["first", "second"]
    assert score.pairs[0].gold is score.gold[0]


def test_null_values_pair_only_through_overlapping_evidence():
    gold = [rec("Care leavers in EET", None, "Care leavers in Education - a small dip.", trend="down")]
    near = [rec("Care leavers in EET", None, "a small dip.", trend="down")]
    elsewhere = [rec("Care leavers in EET", None, "There were 11 children adopted", trend="down")]
    assert run(gold, near)[0]["status_only"]["f1"] == 1.0
    assert run(gold, elsewhere)[0]["pairs"] == 0


def test_ungrounded_prediction_pairs_by_indicator_but_lowers_grounding():
    gold = [rec("Reviews completed on time", 91, "91% of reviews were completed on time")]
    pred = [rec("Reviews completed on time", 91, "91% of all reviews happened on time")]
    report, _ = run(gold, pred)
    assert report["pairs"] == 1
    assert report["grounding_rate"] == 0.0


def test_missing_prediction_file_misses_every_gold_record():
    gold = [rec("Reviews on time", 91, "91% of reviews were completed on time")]
    report, score = run(gold, None)
    assert report["records"] == {"precision": None, "recall": 0.0, "f1": 0.0}
    assert not score.predicted_file and len(score.missed) == 1


def test_empty_denominators_are_null_not_invented():
    report, _ = run([], [])
    assert report["records"] == {"precision": None, "recall": None, "f1": None}
    assert report["fields"]["unit"] is None and report["suspect"]["recall"] is None


def test_comparisons_are_scored_as_multisets_ignoring_period():
    evidence = "91% of reviews were completed on time"
    gold = [rec("Reviews", 91, evidence, comparisons=[
        {"basis": "previous_year", "value": 84.1, "period": "2022/23"},
        {"basis": "previous_year", "value": 84.1},
        {"basis": "target", "value": 90},
    ])]
    pred = [rec("Reviews", 91, evidence, comparisons=[
        {"basis": "previous_year", "value": 84.1},
        {"basis": "national", "value": 90},
    ])]
    report, _ = run(gold, pred)
    assert report["comparisons"] == pytest.approx({"precision": 0.5, "recall": 1 / 3, "f1": 0.4})


def test_strict_and_fields():
    evidence = "91% of reviews were completed on time"
    gold = [rec("Reviews completed on time", 91, evidence, period="2023/24", trend="up")]
    pred = [rec("Reviews", 91, evidence, period="2023/24 Q2", trend="up")]
    report, _ = run(gold, pred)
    assert report["strict"]["f1"] == 0.0
    assert report["fields"]["period"] == 0.0 and report["fields"]["trend"] == 1.0
    assert report["fields"]["indicator"] == 1.0  # token_set_ratio of a subset is 100


def test_suspect_recall_and_false_flags():
    gold = [rec("Visits", 93.4, "93.4% of visits up to date", suspect=True),
            rec("Reviews", 91, "91% of reviews were completed on time")]
    pred = [rec("Visits", 93.4, "93.4% of visits up to date", suspect=True),
            rec("Reviews", 91, "91% of reviews were completed on time", suspect=True)]
    report, _ = run(gold, pred)
    assert report["suspect"] == {"recall": 1.0, "false_flags": 1}


def test_meta_scored_only_where_gold_states_it():
    gold = doc([], meta={"authority": "Rotherham", "committee": None})
    pred = doc([], meta={"authority": "Rotherham", "committee": "Cabinet"})
    report, _ = evaluate([gold], [pred], {"d.txt": TEXT})
    assert report["meta"] == {"authority": 1.0, "committee": None, "meeting_date": None, "report_period": None}


def test_report_has_exactly_the_scoring_md_keys():
    report, _ = run([rec("Reviews", 91, "91% of reviews")], [rec("Reviews", 91, "91% of reviews")])
    assert list(report) == [
        "documents", "gold_records", "predicted_records", "pairs", "records", "strict", "numeric",
        "status_only", "fields", "comparisons", "grounding_rate", "suspect", "meta", "per_document",
    ]
    assert list(report["fields"]) == ["indicator", "unit", "period", "numerator", "denominator", "target_met", "trend"]
    assert report["per_document"][0]["document"] == "d.txt"


def test_prf_f1_is_harmonic_mean():
    assert prf(3, 4, 6)["f1"] == pytest.approx(2 * 0.75 * 0.5 / 1.25)


DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev"


@pytest.mark.skipif(not DEV.is_dir(), reason="the development corpus (../shared/corpus/dev) is not beside the project")
def test_rules_backend_on_the_dev_corpus_is_grounded_and_its_gold_valid():
    from extractor.backends.rules import extract
    from extractor.documents import load_document
    from extractor.evaluate import evaluate, split_documents
    from extractor.goldcheck import check_dir, load_result_file

    assert check_dir(DEV / "gold", DEV / "docs") == []
    check = split_documents(DEV / "split.csv", "check")
    golds = [load_result_file(DEV / "gold" / (name[:-4] + ".json")) for name in sorted(check)]
    documents = [load_document(DEV / "docs" / gold.document) for gold in golds]
    report, _ = evaluate(golds, [extract(d) for d in documents], {d.name: d.text for d in documents})
    assert report["documents"] == 17
    assert report["grounding_rate"] == 1.0  # every record's evidence is in its document and prints its value


def test_indicator_ids_are_scored_only_where_the_gold_carries_them():
    plain, _ = run([rec("Reviews", 91, "91% of reviews")], [rec("Reviews", 91, "91% of reviews")])
    assert "canonical" not in plain and "indicator_id" not in plain["fields"]


def test_fields_indicator_id_counts_null_equal_to_null_and_canonical_is_over_ids():
    on_time = "91% of reviews were completed on time"
    gold = [rec("Reviews on time", 91, on_time, indicator_id="cla_reviews_in_timescale_pct"),
            rec("Visits", 93.4, "93.4% of visits up to date", indicator_id=None),
            rec("Adopted", 11, "11 children adopted", unit="count", indicator_id="adoptions_count")]
    pred = [rec("Reviews on time", 91, on_time, indicator_id="cla_reviews_in_timescale_pct"),
            rec("Visits", 93.4, "93.4% of visits up to date", indicator_id=None),
            rec("Adopted", 11, "11 children adopted", unit="count", indicator_id="cla_ceased_count"),
            rec("Approvals", 8, "8 approvals", unit="count", indicator_id="foster_carer_approvals_count")]
    report, _ = run(gold, pred)
    assert report["fields"]["indicator_id"] == pytest.approx(2 / 3)  # null == null counts; the wrong id does not
    # one right id among 3 predicted with an id (the unpaired one counts) and 2 gold with an id
    assert report["canonical"] == {"precision": pytest.approx(1 / 3), "recall": 0.5, "f1": pytest.approx(2 / 5)}


def test_headline_only_drops_per_document_rows_and_keeps_the_noise_on_negatives():
    from extractor.evaluate import headline_only

    negative = doc([], name="x_negative.txt")
    report, _ = evaluate([doc([rec("Reviews", 91, "91% of reviews")]), negative],
                         [doc([rec("Reviews", 91, "91% of reviews")]),
                          doc([rec("Reviews", 91, "91% of reviews"), rec("Visits", 93.4, "93.4% of visits")],
                              name="x_negative.txt")],
                         {"d.txt": TEXT, "x_negative.txt": TEXT})
    kept = headline_only(report)
    assert "per_document" not in kept and kept["false_per_negative"] == 2.0
    assert kept["records"] == report["records"]
