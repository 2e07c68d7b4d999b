"""The rules backend reads a scorecard by records.md's Tables call: one record a row, its comparisons beside it."""

from __future__ import annotations

from scorecards import html_page, write_docx, write_pdf
from test_tables import ISSUE_HEADER, ISSUE_ROWS, MERGED, MERGED_ROWS, WIDTHS

from extractor.backends.rules import extract
from extractor.documents import load_document


def _records(path):
    return extract(load_document(path)).records


def _comparisons(record) -> list[tuple]:
    return [(c.basis, c.value, c.period) for c in record.comparisons]


def test_the_issues_eight_record_table_gives_one_record_a_row_with_its_comparisons(tmp_path):
    path = tmp_path / "s.html"
    path.write_text(html_page(["Corporate Parenting Panel", "Performance scorecard, Quarter 2 2023/24"],
                              ISSUE_HEADER, ISSUE_ROWS, ["* provisional"]), "utf-8")
    records = _records(path)
    assert [(r.indicator, r.value, r.unit, r.period) for r in records] == [
        ("Children looked after", 398, "count", "2023/24 Q2"),
        ("Initial health assessments within 20 working days", 78, "percent", "2023/24 Q2"),
        ("Care leavers in education, employment or training", 57, "percent", "2023/24 Q2")]
    assert _comparisons(records[0]) == [("previous_period", 412, "2023/24 Q1"), ("target", 400, None)]
    assert _comparisons(records[2]) == [("previous_period", 55, "2023/24 Q1"), ("target", 60, None),
                                        ("national", 55, None)]
    assert records[1].evidence == "Initial health assessments within 20 working days | 72% | 78%* | 85% | n/a"
    text = load_document(path).text
    assert all(" ".join(text[r.start:r.end].split()) == r.evidence for r in records)


def test_a_table_of_targets_gives_no_records_nor_numbers_from_its_labels(tmp_path):
    rows = [["Care leavers aged 19-21 in suitable accommodation", "95%", "Higher is better"],
            ["Initial health assessments within 20 working days", "90%", "Higher is better"],
            ["Children placed more than 20 miles from home", "12%", "Lower is better"]]
    for name, write in (("t.docx", lambda p: write_docx(p, ["Our targets for 2024/25"],
                                                        [["Measure", "Target 2024/25", "Polarity"]], rows)),
                        ("t.html", lambda p: p.write_text(html_page([], [["Measure", "Target", "Polarity"]], rows)))):
        path = tmp_path / name
        write(path)
        assert _records(path) == [], name


def test_months_newest_first_take_the_newest_month_rag_and_footnotes(tmp_path):
    header = [["Indicator", "Sep-23", "Aug-23", "Jul-23", "Target", "RAG"]]
    rows = [["Re-referrals within 12 months", "21.4%", "19.8%\u00b9", "22.0%", "20%", "Red"],
            ["Assessments completed within 45 working days", "88%", "n/a", "84%", "85%", "Green"],
            ["Referrals completed within 1 working day", "91%", "89%", "93%", "95%", "Amber"]]
    path = tmp_path / "m.html"
    path.write_text(html_page([], header, rows), "utf-8")
    first, second, third = _records(path)
    assert (first.value, first.period, first.target_met) == (21.4, "2023-09", False)
    assert _comparisons(first) == [("previous_period", 19.8, "2023-08"), ("other", 22.0, "2023-07"),
                                   ("target", 20, None)]
    assert (second.value, second.target_met, _comparisons(second)[0]) == (88, True, ("other", 84, "2023-07"))
    assert third.target_met is None  # Amber states no target status


def test_merged_headers_blank_cells_and_a_two_page_pdf_table_in_every_format(tmp_path):
    (tmp_path / "m.html").write_text(html_page([], MERGED, MERGED_ROWS), "utf-8")
    write_docx(tmp_path / "m.docx", ["Quarterly report"], MERGED, MERGED_ROWS)
    write_pdf(tmp_path / "m.pdf", ["Quarterly report"], MERGED, [MERGED_ROWS[:2], MERGED_ROWS[2:]], WIDTHS,
              repeat_header=True)
    for name in ("m.html", "m.docx", "m.pdf"):
        records = _records(tmp_path / name)
        assert [(r.indicator, r.value, r.period) for r in records] == [
            ("Children looked after", 398, "2023/24 Q2"), ("Care leavers in EET", 57, "2023/24 Q2"),
            ("Missing episodes", 30, "2023/24 Q1")], name  # its Q2 cell is n/a: Q1 is its latest
        assert _comparisons(records[0])[:3] == [("previous_year", 401, "2022/23 Q3"),
                                                ("previous_year", 405, "2022/23 Q4"),
                                                ("previous_period", 412, "2023/24 Q1")], name
        assert [c.basis for c in records[1].comparisons] == ["previous_year", "previous_year", "target", "national"]
        assert _comparisons(records[2]) == [("previous_year", 41, "2022/23 Q3"), ("previous_period", 37, "2022/23 Q4")]


def test_section_rows_name_generic_rows_and_counts_of_the_tables_rows_give_nothing(tmp_path):
    header = [["Measure", "2023/24", "Q1 2024/25", "England"]]
    rows = [["Children looked after", "", "", ""], ["Rate per 10,000", "68.2", "70.1", "71"],
            ["Indicators on target", "3", "4", ""], ["Suppressed measure", "<5", "<5", "-"]]
    path = tmp_path / "s.html"
    path.write_text(html_page([], header, rows), "utf-8")
    (record,) = _records(path)
    assert (record.indicator, record.value, record.unit, record.period) == (
        "Children looked after - Rate per 10,000", 70.1, "rate_per_10000", "2024/25 Q1")
    assert _comparisons(record) == [("previous_year", 68.2, "2023/24"), ("national", 71, None)]


def test_units_column_current_column_direction_with_polarity(tmp_path):
    header = [["Ref", "Measure", "Unit", "Previous", "Current", "Target", "DoT", "Polarity"]]
    rows = [["CS04", "Average caseload per social worker", "No.", "19.2", "17.6", "18", "Improving", "Low"],
            ["CS07", "Average days from entering care to adoption", "Days", "402", "436", "426", "\u2191", "Low"],
            ["CS09", "Children in need per 10,000", "Rate", "331.5", "338.0", "-", "Improving", ""]]
    path = tmp_path / "u.html"
    path.write_text(html_page(["Exceptions report, Quarter 3 2023/24"], header, rows), "utf-8")
    caseload, days, rate = _records(path)
    assert (caseload.unit, caseload.value, caseload.period, caseload.trend) == ("count", 17.6, "2023/24 Q3", "down")
    assert _comparisons(caseload) == [("previous_period", 19.2, None), ("target", 18, None)]
    assert (days.unit, days.trend) == ("days", "up")
    assert (rate.unit, rate.trend) == ("rate_per_10000", None)  # 'improving' with no polarity: direction unknown


def test_prose_around_a_table_is_read_as_before_and_the_table_is_not_read_twice(tmp_path):
    sentence = "At the end of September 2023 there were 398 children looked after."
    path = tmp_path / "p.html"
    path.write_text(html_page(["Corporate Parenting Panel, Quarter 2 2023/24", sentence], ISSUE_HEADER, ISSUE_ROWS),
                    "utf-8")
    records = _records(path)
    assert [(r.value, r.period) for r in records] == [(398, "2023-09"), (398, "2023/24 Q2"), (78, "2023/24 Q2"),
                                                      (57, "2023/24 Q2")]  # in text order, the prose's first
    assert records[0].evidence == sentence and records[1].evidence.startswith("Children looked after | 412")
