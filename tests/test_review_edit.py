"""Judging and correcting in the review page, in a real browser (headless Chromium): reject, edit, add from a
text selection, reload (the decisions survive), download the corrections, apply them to gold and to the store."""

import json
import os
import shutil

from test_corrections import MINUTES, invoke
from test_review import ARTEFACTS, ROOT

from extractor.goldcheck import check_dir
from extractor.store import Store

SIBLINGS = "Members heard that sibling groups kept together now number eleven."



def _select(page, sentence: str) -> None:
    """Select a sentence of the document's text, as a person drags across it."""
    assert page.evaluate("""sentence => {
        const walker = document.createTreeWalker(document.querySelector('.text'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(sentence);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + sentence.length);
            window.getSelection().removeAllRanges(); window.getSelection().addRange(range);
            return true;
        }
        return false; }""", sentence)


def test_judge_edit_add_reload_save_and_apply(browser, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "panel.txt").write_text(MINUTES, "utf-8")
    db = tmp_path / "k.db"
    assert invoke("run", docs, "--db", db).exit_code == 0
    html = tmp_path / "review.html"
    assert invoke("review", "--db", db, "--output", html).exit_code == 0
    context = browser.new_context(viewport={"width": 1500, "height": 760}, accept_downloads=True)
    page = context.new_page()
    page.goto(html.as_uri())
    rows = page.locator("tr.rec")
    assert rows.count() == 3 and page.inner_text("#judged-total") == "0 of 3 judged"
    in_care, rate, plans = (rows.nth(i) for i in range(3))
    assert "a rate of 68" in rate.get_attribute("title")

    rate.click()
    page.keyboard.press("r")  # reject: the next record is selected
    assert "rejected" in rate.get_attribute("class") and "active" in plans.get_attribute("class")
    page.keyboard.press("e")  # edit the care plans: its period and trend
    assert page.locator(".editor").is_visible()
    assert page.input_value(".editor [name=value]") == "79" and page.input_value(".editor [name=unit]") == "percent"
    page.fill(".editor [name=period]", "2023/24")
    page.keyboard.press("j")  # typed into the field: the selection does not move
    assert page.input_value(".editor [name=period]") == "2023/24j"
    page.fill(".editor [name=period]", "2023/24")
    page.select_option(".editor [name=trend]", "up")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "review-edit.png"))
    if os.environ.get("KPI_UPDATE_SCREENSHOTS") == "1":  # the README's picture: docs/review-edit.png
        shutil.copy(ARTEFACTS / "review-edit.png", ROOT / "docs" / "review-edit.png")
    page.press(".editor [name=period]", "Enter")
    assert not page.locator(".editor").is_visible()
    assert "edited" in plans.get_attribute("class") and plans.locator("td.period").inner_text() == "2023/24"
    in_care.click()
    page.keyboard.press("a")
    assert "accepted" in in_care.get_attribute("class")

    _select(page, SIBLINGS)  # a record the extractor missed
    page.keyboard.press("n")
    assert page.input_value(".editor [name=evidence]") == SIBLINGS
    assert page.input_value(".editor [name=value]") == "11" and page.input_value(".editor [name=unit]") == "count"
    page.fill(".editor [name=indicator]", "Sibling groups kept together")
    page.press(".editor [name=indicator]", "Enter")
    assert page.inner_text("section.doc h2 .judged") == "3 of 3 judged, 1 added"

    page.reload()  # a closed tab loses nothing
    rows = page.locator("tr.rec")
    assert "rejected" in rows.nth(1).get_attribute("class") and "edited" in rows.nth(2).get_attribute("class")
    assert "accepted" in rows.nth(0).get_attribute("class")
    assert page.inner_text("section.doc h2 .judged") == "3 of 3 judged, 1 added"
    assert page.locator(".added-list li").count() == 1

    with page.expect_download() as download:
        page.click("#save-corrections")
    assert download.value.suggested_filename == "corrections.json"
    saved = tmp_path / "corrections.json"
    download.value.save_as(saved)
    context.close()
    said = json.loads(saved.read_text("utf-8"))
    assert said["format"] == "kpi-corrections/1" and set(said) == {"format", "database", "saved_at", "documents"}
    [document] = said["documents"]
    assert document["records"] == 3 and sorted(d["decision"] for d in document["decisions"]) == [
        "accepted", "edited", "rejected"]
    assert next(d for d in document["decisions"] if d["decision"] == "edited")["fields"] == {
        "period": "2023/24", "trend": "up"}

    gold = tmp_path / "gold"
    assert invoke("gold", "apply", saved, "--gold", gold, "--docs", docs).exit_code == 0
    written = json.loads((gold / "panel.json").read_text("utf-8"))
    assert "complete" not in written and check_dir(gold, docs) == []
    assert [(r["indicator"], r["value"], r["unit"], r["period"], r["trend"]) for r in written["records"]] == [
        ("Children in care", 412, "count", "2024-03", None),
        ("Care plans up to date", 79, "percent", "2023/24", "up"),
        ("Sibling groups kept together", 11, "count", "2024-03", None)]  # the report period, proposed
    assert written["records"][1]["comparisons"] == [{"basis": "target", "value": 90, "change": None, "period": None}]
    assert written["records"][2]["evidence"] == SIBLINGS

    result = invoke("corrections", "apply", saved, "--db", db, "--reviewer", "ann")
    assert result.exit_code == 0, result.output
    stored = {row["indicator"]: row for row in Store(db).export_rows()}
    assert set(stored) == {"Children in care", "Care plans up to date", "Sibling groups kept together"}
    assert (stored["Care plans up to date"]["period"], stored["Care plans up to date"]["trend"]) == ("2023/24", "up")
    assert {name: (row["reviewed"], row["reviewed_by"]) for name, row in stored.items()} == {
        "Children in care": ("accepted", "ann"), "Care plans up to date": ("edited", "ann"),
        "Sibling groups kept together": ("added", "ann")}
    assert MINUTES[stored["Sibling groups kept together"]["start"]:stored["Sibling groups kept together"]["end"]] \
        == SIBLINGS
