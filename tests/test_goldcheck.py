import json
from pathlib import Path

import pytest

from extractor.goldcheck import check_dir, check_file

EVAL = Path(__file__).resolve().parent.parent / "eval"


def test_bundled_gold_is_valid(gold_dir, corpus):
    assert check_dir(gold_dir, corpus) == []


@pytest.mark.parametrize("group", ["scorecards", "negatives", "minutes", "narratives", "dashboards"])
def test_every_authored_groups_gold_is_valid(group):
    assert check_dir(EVAL / group / "gold", EVAL / group / "docs") == []


def test_errors_name_file_record_and_field(tmp_path, corpus):
    bad = {
        "format": "kpi-records/1",
        "document": "000_c572b18e3f951390.txt",
        "meta": {"report_period": "Q2 2023/24"},
        "records": [
            {"indicator": "Care plans", "value": 79, "unit": "percentage", "evidence": "79% of care plans"},
            {"indicator": "Care plans", "value": 80, "unit": "percent", "evidence": "79% of care plans"},
            {"indicator": "Invented", "value": 5, "unit": "count", "evidence": "5 invented things"},
            {"indicator": "Over 100", "value": 193.4, "unit": "percent", "suspect": False,
             "evidence": "79% of care plans"},
        ],
    }
    path = tmp_path / "000.json"
    path.write_text(json.dumps(bad))
    problems = check_file(path, corpus)
    text = "\n".join(problems)
    assert "000.json: meta: report_period" in text
    assert "000.json: record 0 ('Care plans'): unit" in text
    assert "record 1 ('Care plans'): evidence:" in text and "does not print the value 80" in text
    assert "record 2 ('Invented'): evidence:" in text and "not in the document" in text
    assert "record 3 ('Over 100'): suspect: must be true" in text


def test_wrong_format_and_missing_document(tmp_path, corpus):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"format": "kpi/0", "document": "nope.txt", "records": []}))
    problems = check_file(path, corpus)
    assert any("format: must be 'kpi-records/1'" in p for p in problems)
    assert any("document: 'nope.txt' is not a file" in p for p in problems)
