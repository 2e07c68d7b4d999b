"""The review page, rendered and clicked through in a real browser (headless Chromium)."""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import cli
from extractor.review import render_review
from extractor.store import Store

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = Path(os.environ.get("KPI_TEST_ARTEFACTS", ROOT / "build" / "test-artefacts"))
HOSTILE = ("Children's Scrutiny Panel\n\n<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">\n\n"
           "412 children were in care at the end of March 2024, a rate of 68 per 10,000.\n")



@pytest.fixture(scope="module")
def page_file(tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp("review")
    minutes = folder / "minutes"
    shutil.copytree(corpus, minutes)
    (minutes / "hostile.txt").write_text(HOSTILE, "utf-8")
    (minutes / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    db = folder / "k.db"
    result = CliRunner().invoke(cli, ["run", str(minutes), "--db", str(db)])
    assert result.exit_code == 1, result.output  # broken.pdf
    out = folder / "review.html"
    assert CliRunner().invoke(cli, ["review", "--db", str(db), "--output", str(out)]).exit_code == 0
    return out, db


def test_the_page_is_self_contained_and_escapes_the_minutes(page_file):
    html = page_file[0].read_text("utf-8")
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html and "<link" not in html
    assert "<script>window.pwned" not in html and "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in html
    assert "<img src=x" not in html
    store = Store(page_file[1])
    assert html.count("<tr class='rec") == store.db["records"].count
    assert "broken.pdf" in html and "1 failed document(s)" in html


def test_one_document_only(page_file):
    html = render_review(Store(page_file[1]), document="hostile.txt")
    assert html.count("<section class='doc'") == 1 and "412" in html



def _in_view(page, selector: str) -> bool:
    """Whether the element shows: inside its scrolling pane and inside the window."""
    return page.eval_on_selector(selector, """e => { const r = e.getBoundingClientRect();
        const box = e.closest('.scroll').getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom && r.top >= 0 && r.bottom <= window.innerHeight; }""")


def test_clicking_a_record_scrolls_to_its_marked_highlight_and_back(page_file, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(page_file[0].as_uri())
    assert page.evaluate("window.pwned") is None  # nothing from the minutes ran
    rows = page.locator("tr.rec")
    target = rows.nth(40)  # far down the third document's text
    record = target.get_attribute("data-r")
    target.click()
    assert "active" in target.get_attribute("class")
    mark = f"mark.active[data-r~='{record}']"
    assert page.locator(mark).count() >= 1 and _in_view(page, mark)
    assert _in_view(page, f"tr.rec[data-r='{record}']")  # the record stays in sight beside its evidence
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "review.png"))
    # clicking a highlight selects its record
    other = page.locator("mark[data-r]").nth(3)
    chosen = other.get_attribute("data-r").split()[0]
    other.click()
    assert "active" in page.locator(f"tr.rec[data-r='{chosen}']").get_attribute("class")
    page.close()


def test_filter_and_j_k_keys(page_file, browser):
    page = browser.new_page()
    page.goto(page_file[0].as_uri())
    total = page.locator("tr.rec").count()
    page.fill("#filter", "per 10,000")
    shown = page.locator("tr.rec:not(.hidden)")
    assert 0 < shown.count() < total and page.inner_text("#count") == f"{shown.count()} of {total} records"
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("j")
    first = shown.nth(0).get_attribute("data-r")
    assert "active" in page.locator(f"tr.rec[data-r='{first}']").get_attribute("class")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    second = shown.nth(1).get_attribute("data-r")
    assert "active" in page.locator(f"tr.rec[data-r='{second}']").get_attribute("class")
    page.close()


def test_records_a_model_offered_and_validation_dropped_are_marked(tmp_path):
    from extractor.documents import document_from_text
    from extractor.schema import DocumentResult, KPIRecord

    store = Store(tmp_path / "k.db")
    store.start_run("r", backend="openai", model="m", prompt_version=None, prompt_hash=None)
    document = document_from_text("Cabinet\n\n412 children were in care; 193.4% of them were visited.", name="m.txt")
    records = [KPIRecord(indicator="Children in care", value=412, unit="count", evidence="412 children were in care",
                         start=9, end=34),
               KPIRecord(indicator="Visited", value=193.4, unit="percent", evidence="193.4% of them were visited",
                         start=36, end=63)]
    store.save_result(document, DocumentResult(document="m.txt", records=records), run_id="r", backend="openai",
                      model="m", dropped=2)
    html = render_review(store)
    assert "2 offered record(s) dropped (invalid or not found in the text)" in html
    assert "<tr class='rec suspect'" in html and "<mark class='ev suspect'" in html


def test_two_documents_of_one_name_are_titled_by_their_paths(tmp_path):
    for folder, count in (("a", 40), ("b", 41)):
        (tmp_path / "minutes" / folder).mkdir(parents=True)
        (tmp_path / "minutes" / folder / "minutes.txt").write_text(f"Cabinet\n\n{count} children were in care.")
    db = tmp_path / "k.db"
    CliRunner().invoke(cli, ["run", str(tmp_path / "minutes"), "--db", str(db)])
    html = render_review(Store(db))
    assert f"<h2>{tmp_path / 'minutes' / 'a' / 'minutes.txt'}</h2>" in html
    assert f"<h2>{tmp_path / 'minutes' / 'b' / 'minutes.txt'}</h2>" in html


def test_the_canonical_measure_shows_under_the_councils_wording(page_file):
    html = page_file[0].read_text("utf-8")
    mapped = html.count("<span class='canonical'")
    assert mapped == sum(row["indicator_id"] is not None for row in Store(page_file[1]).export_rows()) > 40
    assert ("data-i='cla_count' title='412 children were in care at the end of March 2024, a rate of 68 per 10,000.'>"
            "<td class='indicator'>Children in care <span class='canonical' title='cla_count (neutral)'>"
            "Children looked after (children in care)</span></td>") in html
    unmapped = "<td class='indicator'>Families</td>"  # a measure no catalogue row is: its wording alone
    assert unmapped in html


def test_the_canonical_name_in_a_browser_and_the_filter_matches_ids_and_names(page_file, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(page_file[0].as_uri())
    total = page.locator("tr.rec").count()
    in_care = page.locator("tr.rec[data-i='cla_count']")
    assert in_care.count() >= 2
    canonical = in_care.first.locator(".canonical")
    assert canonical.is_visible() and canonical.inner_text() == "Children looked after (children in care)"
    assert canonical.get_attribute("title") == "cla_count (neutral)"
    page.fill("#filter", "cla_count")  # an id, which the row shows only in its tooltip
    shown = page.locator("tr.rec:not(.hidden)")
    assert shown.count() == in_care.count() < total
    assert all(shown.nth(i).get_attribute("data-i") == "cla_count" for i in range(shown.count()))
    page.fill("#filter", "children looked after (children in care)")  # a canonical name, any case
    assert page.locator("tr.rec:not(.hidden)").count() == in_care.count()
    page.fill("#filter", "")
    record = in_care.last
    record.click()
    assert "active" in record.get_attribute("class")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "review-canonical.png"))
    page.close()


def test_official_figures_and_the_mismatch_marker_under_a_record_in_a_browser(browser, tmp_path):
    from officialdb import official_database

    path = tmp_path / "review.html"
    path.write_text(render_review(Store(official_database(tmp_path))), "utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 700})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    record = page.locator("tr.rec[data-i='cla_count']")
    line = record.locator(".official")
    assert line.is_visible()
    assert line.inner_text() == "official: 502 (2024); England 83530; region 9270; neighbours 591.9 (10 of 10)"
    assert "LAIT 2026-04-08" in line.get_attribute("title")
    marker = record.locator(".mismatch")
    assert marker.is_visible() and marker.inner_text() == "≠ published 502"
    assert marker.get_attribute("title") == "official_mismatch: minutes 612; published 502 (LACnum, 2024)"
    assert page.locator(".mismatch").count() == 1  # the rate of 86 agrees
    page.fill("#filter", "official: 86")  # the line is the row's text, so the filter finds it
    assert page.locator("tr.rec:not(.hidden)").count() == 1
    page.fill("#filter", "")
    record.click()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "review-official.png"))
    assert requests == [path.as_uri()]
    page.close()
