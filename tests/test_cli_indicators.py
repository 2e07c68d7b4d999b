"""kpi-extract indicators, and the eval output of canonical ids (eval --headline-only, eval-table)."""

import json

from click.testing import CliRunner

from extractor.cli import cli
from extractor.indicators import catalogue
from extractor.store import Store


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_indicators_lists_the_whole_catalogue_as_json():
    result = invoke("indicators", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == list(catalogue())
    assert rows[0].keys() == {"id", "name", "unit", "polarity", "lait"}


def test_indicators_search_and_table():
    rows = json.loads(invoke("indicators", "--search", "CARE LEAVERS", "--json").output)
    assert rows and all("care_leavers" in r["id"] or "care leaver" in r["name"].lower() for r in rows)
    table = invoke("indicators", "--search", "LACnum_Start")
    assert table.exit_code == 0 and "cla_starts_count" in table.output and "1 canonical indicators" in table.output


def test_indicators_with_a_database_counts_records_per_id(tmp_path, corpus):
    db = tmp_path / "k.db"
    assert invoke("run", str(corpus), "--db", str(db)).exit_code == 0
    stored = Store(db).indicator_counts()
    rows = {r["id"]: r["records"] for r in json.loads(invoke("indicators", "--db", str(db), "--json").output)}
    assert all(rows[i] == n for i, n in stored.items()) and sum(rows.values()) == sum(stored.values())
    assert invoke("indicators", "--db", str(db)).exit_code == 0


def test_indicators_with_a_missing_database_says_how_to_make_one(tmp_path):
    result = CliRunner().invoke(cli, ["indicators", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "kpi-extract run" in result.output


def _report(with_ids, per_document=True):
    report = {"documents": 2, "gold_records": 3, "predicted_records": 4, "pairs": 2, "grounding_rate": 1.0,
              **{k: {"precision": 0.5, "recall": 0.5, "f1": 0.5}
                 for k in ("records", "strict", "numeric", "status_only", "comparisons")},
              "fields": {"indicator": 0.9, "period": 0.8}}
    if with_ids:
        report["canonical"] = {"precision": 0.75, "recall": 0.6, "f1": 0.667}
        report["fields"]["indicator_id"] = 0.95
    if per_document:
        report["per_document"] = [{"document": "a_negative.txt", "predicted_records": 3, "pairs": 0}]
    else:
        report["false_per_negative"] = 1.5
    return report


def test_eval_table_shows_canonical_and_fields_rows_na_where_absent(tmp_path):
    a, b = tmp_path / "r-check.json", tmp_path / "r-samples.json"
    a.write_text(json.dumps(_report(True, per_document=False)))
    b.write_text(json.dumps(_report(False)))
    output = invoke("eval-table", str(a), str(b)).output
    lines = {label: line for line in output.splitlines()
             for label in ("canonical P", "canonical F1", "field indicator_id", "field indicator", "field period",
                           "false/negative") if line.strip().startswith(label + " ")}
    assert "0.750" in lines["canonical P"] and "n/a" in lines["canonical P"]
    assert "0.667" in lines["canonical F1"] and "0.950" in lines["field indicator_id"]
    assert "0.900" in lines["field indicator"] and "0.800" in lines["field period"]
    assert "1.500" in lines["false/negative"] and "3.000" in lines["false/negative"]


def test_eval_headline_only_writes_no_per_document_rows(tmp_path, corpus, gold_dir):
    path = tmp_path / "r.json"
    result = invoke("eval", "--gold", str(gold_dir), "--docs", str(corpus), "--backend", "rules", "--no-store",
                    "--headline-only", "--json", str(path))
    assert result.exit_code == 0, result.output
    report = json.loads(path.read_text())
    assert "per_document" not in report and "false_per_negative" in report
    assert "per document" not in result.output and "missed" not in result.output
