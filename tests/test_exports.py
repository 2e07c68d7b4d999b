"""Exports: each format opens in the tool it is for, one row per record, typed, filtered."""

import csv
import json
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.evaluate import evaluate
from extractor.goldcheck import load_result_file
from extractor.store import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp("export")
    manifest = folder / "manifest.csv"
    manifest.write_text("path,url,authority,committee,meeting_date\n"
                        f"{corpus / '000_c572b18e3f951390.txt'},https://example.gov.uk/0,Rotherham,Cabinet,2024-01-15\n"
                        f"{corpus / '004_36426df94b734508.txt'},,Kirklees,,2019-06-03\n", "utf-8")
    path = folder / "k.db"
    result = CliRunner().invoke(cli, ["run", str(corpus), "--manifest", str(manifest), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _export(db, *args):
    result = CliRunner().invoke(cli, ["export", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result


def test_csv_has_one_typed_row_per_record_with_its_source_and_flattened_comparisons(db):
    rows = list(csv.DictReader(_export(db, "--format", "csv").output.splitlines()))
    assert len(rows) == Store(db).db["records"].count == 109
    entered = next(r for r in rows if r["evidence"].startswith("78 children entered"))
    assert (entered["value"], entered["previous_year_change"], entered["authority"], entered["url"],
            entered["meeting_date"]) == ("78", "-13", "Rotherham", "https://example.gov.uk/0", "2024-01-15")
    assert json.loads(entered["comparisons"]) == [{"basis": "previous_year", "value": None, "change": -13,
                                                   "period": None}]
    assert all(not r["value"].endswith(".0") for r in rows)  # counts print as counts


def test_json_and_jsonl_keep_comparisons_whole(db):
    array = json.loads(_export(db, "--format", "json").output)
    lines = [json.loads(line) for line in _export(db, "--format", "jsonl").output.splitlines()]
    assert array == lines and len(lines) == 109
    assert all(isinstance(r["comparisons"], list) and isinstance(r["suspect"], bool) for r in lines)
    assert any(r["target_value"] is not None for r in lines)


def test_xlsx_opens_in_openpyxl_typed_with_a_frozen_filtered_header(db, tmp_path):
    out = tmp_path / "kpis.xlsx"
    _export(db, "--format", "xlsx", "--output", str(out))
    sheet = openpyxl.load_workbook(out)["records"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.max_row == 110 and sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    rows = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    dated = [r for r in rows if r["document"] == "000_c572b18e3f951390.txt"]
    assert dated and all(r["meeting_date"].date() == date(2024, 1, 15) for r in dated)
    assert all(isinstance(r["value"], int | float) for r in rows if r["value"] is not None)
    assert not (tmp_path / "kpis.xlsx.part").exists()


def test_filters_narrow_the_rows(db):
    def count(*args):
        return len(_export(db, "--format", "jsonl", *args).output.splitlines())

    rows = [json.loads(line) for line in _export(db, "--format", "jsonl").output.splitlines()]
    assert count("--authority", "rotherham") == sum(r["authority"] == "Rotherham" for r in rows) > 21
    for since in ("2019-06-03", "2019-06-04", "2024-01-15"):
        assert count("--since", since) == sum((r["meeting_date"] or "") >= since for r in rows)
    assert count("--since", "2019-06-03") - count("--since", "2019-06-04") >= 5  # Kirklees' day is included
    assert count("--document", "004_36426df94b734508.txt") == 5
    assert 0 < count("--indicator", "care") < 109
    bad = CliRunner().invoke(cli, ["export", "--db", str(db), "--since", "15/01/2024"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_kpi_records_files_score_like_the_database(db, tmp_path, corpus):
    folder = tmp_path / "pred"
    _export(db, "--format", "kpi-records", "--output", str(folder))
    predictions = [load_result_file(path) for path in sorted(folder.glob("*.json"))]
    assert len(predictions) == 5 and predictions[0].meta.authority == "Rotherham"
    gold = [load_result_file(path) for path in sorted((corpus.parent / "gold").glob("*.json"))]
    report, _ = evaluate(gold, predictions, {p.name: p.read_text("utf-8") for p in corpus.glob("*.txt")})
    assert report["records"]["f1"] == 1.0 and report["grounding_rate"] == 1.0


CANONICAL = ("indicator", "indicator_id", "indicator_name", "polarity", "indicator_id_method", "value")


def test_every_format_carries_the_canonical_indicator_beside_the_councils_wording(db, tmp_path):
    text = _export(db, "--format", "csv").output
    header = next(csv.reader(text.splitlines()))
    at = header.index("indicator")
    assert tuple(header[at:at + len(CANONICAL)]) == CANONICAL  # the measure right after the council's words
    rows = list(csv.DictReader(text.splitlines()))
    in_care = next(r for r in rows if r["indicator"] == "Children in care")
    assert (in_care["indicator_id"], in_care["indicator_name"], in_care["polarity"],
            in_care["indicator_id_method"]) == ("cla_count", "Children looked after (children in care)", "neutral",
                                                "wording")
    unmapped = [r for r in rows if not r["indicator_id"]]
    assert unmapped and all(r["indicator_name"] == r["polarity"] == "" for r in unmapped)
    assert all(r["indicator_id_method"] for r in rows)  # unmapped says so: the mapper decided every record
    lines = [json.loads(line) for line in _export(db, "--format", "jsonl").output.splitlines()]
    assert list(lines[0])[at:at + len(CANONICAL)] == list(CANONICAL)
    assert all(r["indicator_id"] is None and r["indicator_name"] is None for r in lines if not r["indicator_id"])
    assert sum(r["indicator_id"] is not None for r in lines) == sum(bool(r["indicator_id"]) for r in rows) > 40
    out = tmp_path / "kpis.xlsx"
    _export(db, "--format", "xlsx", "--output", str(out))
    sheet = openpyxl.load_workbook(out)["records"]
    header = [cell.value for cell in sheet[1]]
    assert tuple(header[at:at + len(CANONICAL)]) == CANONICAL
    cells = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert {r["polarity"] for r in cells} == {None, "neutral", "higher_is_better", "lower_is_better"}
    assert next(r for r in cells if r["indicator"] == "Children in care")["indicator_id"] == "cla_count"


def test_export_by_canonical_indicator_id(db):
    measure = "cla_long_term_placement_stability_pct"  # four reports, three wordings
    rows = [json.loads(line) for line in _export(db, "--format", "jsonl", "--indicator-id", measure)
            .output.splitlines()]
    wordings = {r["indicator"] for r in rows}
    assert len(wordings) > 2  # one measure, however each council words it
    assert all(r["indicator_id"] == measure for r in rows)
    everything = [json.loads(line) for line in _export(db, "--format", "jsonl").output.splitlines()]
    assert len(rows) == sum(r["indicator_id"] == measure for r in everything)
    narrowed = _export(db, "--format", "jsonl", "--indicator-id", measure, "--authority", "kirklees").output
    assert 0 < len(narrowed.splitlines()) < len(rows)
    absent_id = "contacts_decided_within_1_working_day_pct"
    known_but_absent = _export(db, "--format", "csv", "--indicator-id", absent_id).output
    assert len(known_but_absent.splitlines()) == 1  # the header: a catalogue id no record has is not an error


def test_an_unknown_indicator_id_is_a_usage_error_that_says_where_the_ids_are(db, tmp_path):
    bad = CliRunner().invoke(cli, ["export", "--db", str(db), "--indicator-id", "cla_cuont"])
    assert bad.exit_code == 2
    assert "'cla_cuont' is not in the canonical catalogue" in bad.output and "cla_count" in bad.output
    assert "kpi-extract indicators" in bad.output
    whole = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "kpi-records", "--output",
                                     str(tmp_path / "pred"), "--indicator-id", "cla_count"])
    assert whole.exit_code == 2 and "whole documents" in whole.output and not (tmp_path / "pred").exists()


def test_kpi_records_files_carry_the_indicator_id_in_the_contracts_order(db, tmp_path):
    folder = tmp_path / "pred"
    _export(db, "--format", "kpi-records", "--output", str(folder))
    payload = json.loads((folder / "002_db4118e4560db15c.txt.json").read_text("utf-8"))
    assert all(list(r)[:3] == ["indicator", "indicator_id", "value"] for r in payload["records"])  # records.md
    assert "indicator_id_method" not in payload["records"][0]  # ours, not the contract's
    ids = {r["indicator"]: r["indicator_id"] for r in payload["records"]}
    assert ids["Children in care"] == "cla_count" and None in ids.values()
