"""Official figures beside each record: the export's official columns, show, the review page and compare's
official rows, on invented minutes with two measures of the LAIT snapshot loaded (skipped without it)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from officialdb import official_database

from extractor.cli import cli
from extractor.compare import OFFICIAL, Cell, Comparison, Row, Source, comparison
from extractor.compare_html import render_comparison
from extractor.compare_official import add_official, period_of_year
from extractor.exports import COLUMNS, rows_for_export
from extractor.exports import OFFICIAL as OFFICIAL_COLUMNS
from extractor.indicators import get_indicator
from extractor.review import render_review
from extractor.store import Store

SNAPSHOT = "LAIT 2026-04-08 snapshot"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return official_database(tmp_path_factory.mktemp("beside"))


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_official_columns_close_every_export_and_carry_both_figures(db: Path) -> None:
    assert COLUMNS[-len(OFFICIAL_COLUMNS):] == OFFICIAL_COLUMNS and COLUMNS[0] == "document"
    rows = list(csv.DictReader(io.StringIO(invoke("export", "--db", str(db), "--format", "csv").output)))
    by = {(r["indicator_id"], r["period"]): r for r in rows}
    count = by["cla_count", "2024-03"]
    assert (count["value"], count["official_value"], count["official_year"], count["official_measure"]) == (
        "612", "502", "2024", "LACnum")
    assert count["official_mismatch"] == "True" and count["official_england"] == "83530"
    rate = by["cla_rate_per_10000", "2024-03"]
    assert (rate["official_value"], rate["official_mismatch"], rate["official_region"]) == ("86", "False", "79")
    assert (rate["official_neighbours"], rate["official_neighbours_with_figure"]) == ("104.6", "10")
    assert SNAPSHOT.replace(" snapshot", "") in rate["official_snapshot"]
    in_year = by["cla_rate_per_10000", "2023-09"]  # September: no published year, so nothing beside it
    assert all(in_year[c] == "" for c in OFFICIAL_COLUMNS)
    as_json = [json.loads(line) for line in invoke("export", "--db", str(db), "--format", "jsonl").output.splitlines()]
    assert [r["official_mismatch"] for r in as_json if r["indicator_id"] == "cla_count"] == [True]


def test_without_official_figures_the_columns_are_there_and_empty(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    from extractor.documents import document_from_text
    from extractor.schema import DocumentResult, KPIRecord

    document = document_from_text("There were 612 children looked after.", name="m.txt")
    store.start_run("r", backend="rules", model=None, prompt_version=None, prompt_hash=None)
    store.save_result(document, DocumentResult(document="m.txt", records=[KPIRecord(
        indicator="children looked after", value=612, unit="count", period="2024-03",
        evidence="There were 612 children looked after", start=0, end=36)]), run_id="r", backend="rules")
    row = next(rows_for_export(store))
    assert list(row)[-len(OFFICIAL_COLUMNS):] == list(OFFICIAL_COLUMNS)
    assert all(row[c] is None for c in OFFICIAL_COLUMNS)


def test_show_prints_the_published_figures_and_marks_a_mismatch(db: Path) -> None:
    result = CliRunner().invoke(cli, ["show", "rotherham.txt", "--db", str(db)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "official: 86 (2024); England 69; region 79; neighbours 104.6 (10 of 10)" in result.output
    assert "official: 502 (2024); England 83530; region 9270; neighbours 591.9 (10 of 10)" in result.output
    assert "612 ≠" in result.output
    assert "≠ official_mismatch: minutes 612; published 502 (LACnum, 2024)" in result.output


def test_the_review_page_shows_the_line_and_a_marker_with_both_figures(db: Path) -> None:
    html = render_review(Store(db))
    assert ("<span class='official' title='DfE&#x27;s published figures (LAC, 2024); LAIT 2026-04-08") in html
    assert "official: 86 (2024); England 69; region 79; neighbours 104.6 (10 of 10)</span>" in html
    assert ("<span class='mismatch' title='official_mismatch: minutes 612; published 502 (LACnum, 2024)'>"
            "≠ published 502</span>") in html
    assert html.count("<span class='mismatch'") == 1 and html.count("<span class='official'") == 3


def test_compare_adds_england_region_and_neighbours_rows_marked_official(db: Path) -> None:
    result = comparison(Store(db), "cla_rate_per_10000")
    assert add_official(result, Store(db)) == 5
    rows = {row.label: row for row in result.rows}
    assert list(rows) == ["Harrow", "Rotherham", "Statistical neighbours (Rotherham)",
                          f"England (official, {SNAPSHOT})", f"London (Outer) (official, {SNAPSHOT})",
                          f"Yorkshire and the Humber (official, {SNAPSHOT})",
                          f"Statistical neighbours of Harrow (official, {SNAPSHOT})",
                          f"Statistical neighbours of Rotherham (official, {SNAPSHOT})"]
    england = rows[f"England (official, {SNAPSHOT})"]
    assert (england.source, england.basis) == (OFFICIAL, "national")
    # a published figure sits in each column whose period meets its year; 2023-09 meets none; 2022/23 (LAIT's
    # 2023) is within the range shown and no record gives it, so it is a column of its own
    assert result.periods == ["2022-03", "2022/23", "2023-09", "2024-03"]
    assert {p: c.text for p, c in england.cells.items()} == {
        "2022-03": "70 per 10,000", "2022/23": "70 per 10,000", "2024-03": "69 per 10,000"}
    source = england.cells["2024-03"].sources[0]
    assert source.official["measure"] == "LAC" and source.official["year"] == "2024"
    neighbours = rows[f"Statistical neighbours of Rotherham (official, {SNAPSHOT})"]
    assert neighbours.cells["2024-03"].value == 104.6 and neighbours.authority == "Rotherham"
    assert "2022/23" in result.notes[-1] and "official" in result.notes[-1]


def test_a_column_for_a_published_year_only_within_the_range_shown(db: Path) -> None:
    indicator = get_indicator("cla_count")
    rows = [Row("Rotherham", "authority", authority="Rotherham")]
    for period, value in (("2020/21", 590), ("2022/23", 560)):
        source = Source(1, "d", None, None, None, None, "Rotherham", "e", value, "count")
        rows[0].cells[period] = Cell(value, "count", period, [source])
    result = Comparison(indicator, rows)
    add_official(result, Store(db))
    assert result.periods == ["2020/21", "2021/22", "2022/23"]  # 2021/22 added; 2019/20 and 2023/24 are outside
    assert period_of_year("2024", "Financial Year") == "2023/24" and period_of_year("2024", "Annual (end of Sept)") \
        == "2024-09" and period_of_year("2014-16", "Annual") is None


def test_the_command_marks_official_rows_in_every_format(db: Path, tmp_path: Path) -> None:
    table = CliRunner().invoke(cli, ["compare", "cla_count", "--db", str(db)], env={"COLUMNS": "200"}).output
    assert f"England (official, {SNAPSHOT})" in table and "83,530" in table
    assert "England (official" not in invoke("compare", "cla_count", "--db", str(db), "--no-official").output
    rows = list(csv.reader(io.StringIO(invoke("compare", "cla_count", "--db", str(db), "--format", "csv").output)))
    assert rows[0][:4] == ["row", "kind", "source", "unit"]
    assert [r[:3] for r in rows[1:]] == [["Rotherham", "authority", "minutes"],
                                        [f"England (official, {SNAPSHOT})", "benchmark", "official"],
                                        [f"Yorkshire and the Humber (official, {SNAPSHOT})", "benchmark", "official"],
                                        [f"Statistical neighbours of Rotherham (official, {SNAPSHOT})", "benchmark",
                                         "official"]]
    data = json.loads(invoke("compare", "cla_count", "--db", str(db), "--format", "json").output)
    official = data["rows"][1]["cells"]["2024-03"]["sources"][0]["official"]
    assert (official["measure"], official["year"], official["area"]) == ("LACnum", "2024", "England")
    page = tmp_path / "c.html"
    assert invoke("compare", "cla_rate_per_10000", "--db", str(db), "--html", str(page)).exit_code == 0
    html = page.read_text("utf-8")
    assert html.count("<g class='series benchmark official'") == 5 and "stroke-dasharray='2 3'" in html
    assert "dotted lines with square points: DfE's published figures" in html
    assert "<script" not in html and "https://" not in html.replace("https://example.org/", "")


def test_an_indicator_without_a_published_figure_says_so(db: Path) -> None:
    result = comparison(Store(db), "cla_count")
    result.indicator = get_indicator("contacts_count")
    assert add_official(result, Store(db)) == 0 and "no published (LAIT) figure" in result.notes[-1]
    render_comparison(result)
