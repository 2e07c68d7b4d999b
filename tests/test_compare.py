"""compare: one indicator across councils, from a small database of invented minutes (several councils,
two meetings quoting one period, benchmarks the minutes quote), as a table, CSV, JSON, Excel and a page."""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from officialdb import minutes_database

from extractor.cli import cli
from extractor.compare import comparison
from extractor.compare_html import render_comparison
from extractor.store import Store

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = Path(os.environ.get("KPI_TEST_ARTEFACTS", ROOT / "build" / "test-artefacts"))
HOSTILE = "Slough <script>window.pwned = 1</script>"
MINUTES = {
    "harrow_2023_11.txt": ("Harrow", "2023-11-20", """Harrow Council
Corporate Parenting Panel

There were 450 children looked after at the end of 2022/23.

There were 412 children looked after at the end of September 2023.

The rate of children looked after was 68 per 10,000 at the end of September 2023, below the national average of 71 \
and the statistical neighbour average of 62.

Re-referrals within 12 months were 21% in September 2023, compared with the national average of 22% and the \
statistical neighbour average of 20%.
"""),
    "harrow_2024_05.txt": ("Harrow", "2024-05-10", """Harrow Council
Corporate Parenting Panel

There were 398 children looked after at the end of March 2024.

The rate of children looked after was 59.2 per 10,000 at the end of March 2024, below the national average of 70 \
and the statistical neighbour average of 60.

Re-referrals within 12 months were 24% in March 2024.
"""),
    "harrow_2024_07.txt": ("Harrow", "2024-07-15", """Harrow Council
Cabinet

There were 399 children looked after at the end of March 2024.
"""),
    "rotherham_2024_04.txt": ("Rotherham", "2024-04-18", """Rotherham Council
Improving Lives Select Commission

There were 560 children looked after at the end of September 2023.

There were 540 children looked after at the end of March 2024.

The rate of children looked after was 82.5 per 10,000 at the end of March 2024, above the national average of 70.

Re-referrals within 12 months were 19% in September 2023.

Re-referrals within 12 months were 17% in March 2024.
"""),
    "dorset.txt": ("Dorset", "", """Dorset Council
Children's Scrutiny

There were 442 children looked after.
"""),
    "slough.txt": (HOSTILE, "2024-06-01", """Slough Council

There were 210 children looked after at the end of March 2024 <img src=x onerror="window.pwned = true">.
"""),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return minutes_database(tmp_path_factory.mktemp("compare"), MINUTES)


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_authorities_as_rows_periods_in_time_order(db):
    result = comparison(Store(db), "cla_count")
    assert [row.label for row in result.rows] == ["Dorset", "Harrow", "Rotherham", HOSTILE]
    assert result.periods == ["2022/23", "2023-09", "2024-03", None]
    harrow = result.rows[1]
    assert {p: c.value for p, c in harrow.cells.items()} == {"2022/23": 450, "2023-09": 412, "2024-03": 399}
    assert result.rows[0].cells[None].text == "442"


def test_two_meetings_quoting_one_period_show_the_latest_and_keep_both(db):
    cell = comparison(Store(db), "cla_count").rows[1].cells["2024-03"]
    assert (cell.value, len(cell.sources), cell.disagree) == (399, 2, True)
    assert [s.meeting_date for s in cell.sources] == ["2024-07-15", "2024-05-10"]
    assert "399 children" in cell.sources[0].evidence and "398 children" in cell.sources[1].evidence


def test_changes_are_judged_by_polarity(db):
    neutral = comparison(Store(db), "cla_count").rows[1].cells["2023-09"]
    assert (neutral.direction, neutral.judgement) == ("down", None)  # fewer children in care: not judged
    rows = {row.label: row for row in comparison(Store(db), "re_referrals_within_12_months_pct").rows}
    assert rows["Harrow"].cells["2023-09"].judgement is None  # the first of its row
    assert (rows["Harrow"].cells["2024-03"].direction, rows["Harrow"].cells["2024-03"].judgement) == ("up", "worse")
    assert rows["Rotherham"].cells["2024-03"].judgement == "better"  # 19% to 17%: lower is better
    assert rows["Harrow"].cells["2024-03"].text == "24%"


def test_benchmarks_the_minutes_quote_are_extra_rows(db):
    result = comparison(Store(db), "cla_rate_per_10000")
    rows = {row.label: row for row in result.rows}
    assert list(rows) == ["Harrow", "Rotherham", "England", "Statistical neighbours (Harrow)"]
    england = rows["England"]
    assert (england.kind, england.source, england.basis) == ("benchmark", "minutes", "national")
    assert {p: c.text for p, c in england.cells.items()} == {"2023-09": "71 per 10,000", "2024-03": "70 per 10,000"}
    both = england.cells["2024-03"]  # Harrow and Rotherham both quote England for March 2024, alike
    assert {s.authority for s in both.sources} == {"Harrow", "Rotherham"} and not both.disagree
    assert rows["Harrow"].cells["2024-03"].text == "59.2 per 10,000"


def test_filters_by_authority_and_since(db):
    result = comparison(Store(db), "cla_count", authorities=["harrow", "DORSET"], since="2023-09-01")
    assert [row.label for row in result.rows] == ["Harrow"] and result.periods == ["2023-09", "2024-03"]
    assert any("left out" in note for note in result.notes)


def test_the_command_prints_one_table(db):
    result = invoke("compare", "cla_count", "--db", str(db))
    assert result.exit_code == 0, result.output
    for text in ("Children looked after", "Dorset", "Harrow", "Rotherham", "2022/23", "period not stated", "399 ▼*"):
        assert text in result.output, text
    benchmarks = invoke("compare", "cla_rate_per_10000", "--db", str(db)).output
    assert "England (from the minutes)" in benchmarks and "59.2 per 10,000 ▼" in benchmarks


def test_csv_json_and_xlsx(db, tmp_path):
    rows = list(csv.reader(io.StringIO(invoke("compare", "cla_count", "--db", str(db), "--format", "csv").output)))
    assert rows[0] == ["row", "kind", "source", "unit", "2022/23", "2023-09", "2024-03", "period not stated"]
    assert rows[2] == ["Harrow", "authority", "minutes", "count", "450", "412", "399", ""]
    out = tmp_path / "c.json"
    written = invoke("compare", "cla_rate_per_10000", "--db", str(db), "--format", "json", "--output", str(out))
    assert written.exit_code == 0
    data = json.loads(out.read_text("utf-8"))
    assert data["indicator"]["id"] == "cla_rate_per_10000" and data["periods"] == ["2023-09", "2024-03"]
    england = next(row for row in data["rows"] if row["label"] == "England")
    assert england["cells"]["2024-03"]["records"] == 2 and england["cells"]["2024-03"]["value"] == 70
    assert england["cells"]["2023-09"]["sources"][0]["evidence"].startswith("The rate of children looked after")
    book = tmp_path / "c.xlsx"
    assert invoke("compare", "cla_count", "--db", str(db), "--format", "xlsx", "--output", str(book)).exit_code == 0
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    table = list(workbook["comparison"].values)
    assert table[2][:7] == ("Harrow", "authority", "minutes", "count", 450, 412, 399)
    evidence = list(workbook["evidence"].values)
    assert [line[2] for line in evidence if line[0] == "Harrow" and line[1] == "2024-03"] == [True, False]


def test_unknown_id_and_no_records_exit_1(db):
    unknown = CliRunner().invoke(cli, ["compare", "cla_cont", "--db", str(db)])
    assert unknown.exit_code == 1 and "kpi-extract indicators" in unknown.output
    none = CliRunner().invoke(cli, ["compare", "adoptions_count", "--db", str(db)])
    assert none.exit_code == 1 and "No stored record has indicator id adoptions_count" in none.output
    assert CliRunner().invoke(cli, ["compare", "cla_count", "--db", str(db), "--format", "xlsx"]).exit_code == 2


def test_the_page_is_self_contained_and_escaped(db, tmp_path):
    page = tmp_path / "c.html"
    assert invoke("compare", "cla_count", "--db", str(db), "--html", str(page)).exit_code == 0
    html = page.read_text("utf-8")
    assert "<script" not in html and "<img" not in html and "<link" not in html and "url(" not in html
    assert "Slough &lt;script&gt;window.pwned = 1&lt;/script&gt;" in html and "&lt;img src=x" in html
    assert html.count("<g class='series authority'") == 3  # Harrow, Rotherham, Slough; Dorset has no period
    assert "Not in the chart (no period stated)" in html and "2 records give this period" in html




@pytest.mark.parametrize("indicator_id", ["re_referrals_within_12_months_pct", "cla_count"])
def test_clicking_a_point_shows_its_evidence_and_nothing_leaves_the_page(db, browser, indicator_id, tmp_path):
    path = tmp_path / "compare.html"
    path.write_text(render_comparison(comparison(Store(db), indicator_id)), "utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    assert page.evaluate("window.pwned") is None
    authorities = {"re_referrals_within_12_months_pct": ["Harrow", "Rotherham"],
                   "cla_count": ["Harrow", "Rotherham", HOSTILE]}[indicator_id]
    series = page.locator("svg g.series.authority")
    assert [series.nth(n).get_attribute("data-row") for n in range(series.count())] == authorities
    assert series.nth(0).locator("polyline").count() == 1
    assert page.locator(".ev:visible").count() == 0
    point = page.locator("svg g.series[data-row='Harrow'] a").last
    point.click()
    panel = page.locator(".ev:visible")
    assert panel.count() == 1
    expected = {"re_referrals_within_12_months_pct": "Re-referrals within 12 months were 24% in March 2024.",
                "cla_count": "There were 399 children looked after at the end of March 2024."}[indicator_id]
    assert expected in panel.inner_text() and panel.is_visible()
    if indicator_id == "re_referrals_within_12_months_pct":
        assert "worse" in point.get_attribute("aria-label") and "worse" in panel.inner_text()
        assert page.locator("svg a.pt.better").count() == 1  # Rotherham's 17%
    else:
        assert "398 children" in panel.inner_text()  # the earlier meeting's record, listed as evidence too
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTEFACTS / f"compare-{indicator_id}.png"), full_page=True)
    assert requests == [path.as_uri()]  # only the page itself: no request left it
    page.close()


def test_official_rows_are_drawn_dotted_and_their_points_explain_the_published_figure(browser, tmp_path):
    from officialdb import official_database

    from extractor.compare_official import add_official

    store = Store(official_database(tmp_path))
    result = comparison(store, "cla_rate_per_10000")
    add_official(result, store)
    path = tmp_path / "compare-official.html"
    path.write_text(render_comparison(result), "utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    england = "England (official, LAIT 2026-04-08 snapshot)"
    assert page.locator("svg g.series.official").count() == 5
    assert page.locator(f"svg g.series.official[data-row='{england}'] polyline").get_attribute(
        "stroke-dasharray") == "2 3"
    assert page.locator("ul.legend li.official").first.inner_text().strip() == england
    assert page.locator("tr.official").count() == 5
    page.locator(f"svg g.series[data-row='{england}'] a").last.click()
    panel = page.locator(".ev:visible")
    text = panel.inner_text()
    for said in ("DfE (Local Authority Interactive Tool)", "Measure\nLAC", "Year\n2024", "Area\nEngland",
                 "69 per 10,000", "LAIT 2026-04-08 (commit 2e30e39)"):
        assert said in text, said
    neighbours = page.locator("svg g.series[data-row='Statistical neighbours of Rotherham (official, LAIT 2026-04-08 "
                              "snapshot)'] a").last
    neighbours.click()
    assert "10 of 10 with a figure" in page.locator(".ev:visible").inner_text()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTEFACTS / "compare-official.png"), full_page=True)
    assert requests == [path.as_uri()]
    page.close()
