"""Write the scorecard fixtures (docs/) and their hand-labelled gold (gold/): `python eval/scorecards/build.py`.

Each fixture is authored here in the layout councils publish (a ModernGov item page, a Word report, a
PDF performance report), with invented figures; its gold is written by hand to records.md's Tables
call, row by row, below the table it labels. The writers are the tests' own (tests/scorecards.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests"))

from scorecards import html_page, write_docx, write_pdf  # noqa: E402

PDF_BLANKS = ("",)  # a PDF prints nothing for a blank cell: its row's text leaves it out


def row_text(cells: list[str], pdf: bool = False) -> str:
    """A row as the loaded document's text reads it (tables.py's layout)."""
    return " | ".join(c for c in cells if not (pdf and c in PDF_BLANKS))


def rec(cells: list[str], indicator: str, indicator_id: str | None, value: float, unit: str, period: str | None,
        comparisons: list[tuple] = (), target_met: bool | None = None, trend: str | None = None,
        pdf: bool = False) -> dict:
    """One gold record of a table row."""
    return {"indicator": indicator, "indicator_id": indicator_id, "value": value, "unit": unit, "period": period,
            "numerator": None, "denominator": None,
            "comparisons": [{"basis": b, "value": v, "change": None, "period": p} for b, v, p in comparisons],
            "target_met": target_met, "trend": trend, "suspect": False, "evidence": row_text(cells, pdf)}


def prose(evidence: str, indicator: str, indicator_id: str | None, value: float, unit: str, period: str | None) -> dict:
    """One gold record of a sentence outside the table."""
    return {"indicator": indicator, "indicator_id": indicator_id, "value": value, "unit": unit, "period": period,
            "numerator": None, "denominator": None, "comparisons": [], "target_met": None, "trend": None,
            "suspect": False, "evidence": evidence}


def gold(name: str, meta: dict, records: list[dict]) -> None:
    """Write one gold file."""
    body = {"format": "kpi-records/1", "document": name,
            "meta": {"authority": None, "committee": None, "meeting_date": None, "report_period": None, **meta},
            "records": records}
    (HERE / "gold" / (Path(name).stem + ".json")).write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n",
                                                             "utf-8")


def f01() -> None:
    """The issue's case: a ModernGov item with Q1, Q2, Target and England columns, and prose after it."""
    name = "01_northshire_cpp_scorecard_q2.html"
    rows = [["Children looked after", "412", "398", "400", "-"],
            ["Initial health assessments within 20 working days", "72%", "78%*", "85%", "n/a"],
            ["Care leavers in education, employment or training", "55%", "57%", "60%", "55%"]]
    after = ["* The Quarter 2 figure is provisional.",
             "Members noted that 14 foster carers had been approved so far this year."]
    (HERE / "docs" / name).write_text(html_page(
        ["Northshire County Council", "Corporate Parenting Panel",
         "6. Performance scorecard, Quarter 2 2023/24",
         "The Head of Service presented the scorecard for the second quarter."],
        [["Measure", "Q1", "Q2", "Target", "England"]], rows, after), "utf-8")
    q2, q1 = "2023/24 Q2", "2023/24 Q1"
    gold(name, {"authority": "Northshire", "committee": "Corporate Parenting Panel", "report_period": q2}, [
        rec(rows[0], "Children looked after", "cla_count", 398, "count", q2,
            [("previous_period", 412, q1), ("target", 400, None)]),
        rec(rows[1], "Initial health assessments within 20 working days",
            "cla_initial_health_assessment_in_timescale_pct", 78, "percent", q2,
            [("previous_period", 72, q1), ("target", 85, None)]),
        rec(rows[2], "Care leavers in education, employment or training", "care_leavers_eet_pct", 57, "percent", q2,
            [("previous_period", 55, q1), ("target", 60, None), ("national", 55, None)]),
        prose(after[1], "Foster carers approved", "foster_carer_approvals_count", 14, "count", q2),
    ])


def f02() -> None:
    """Months as columns, newest first, a RAG column and a footnote marker."""
    name = "02_eastvale_monthly_newest_first.html"
    rows = [["Contacts received", "1,204", "1,188", "1,251", "-", "-"],
            ["Referrals completed within 1 working day", "91%", "89%", "93%", "95%", "Amber"],
            ["Re-referrals within 12 months", "21.4%", "19.8%\u00b9", "22.0%", "20%", "Red"],
            ["Assessments completed within 45 working days", "88%", "n/a", "84%", "85%", "Green"],
            ["Children subject to a child protection plan", "263", "271", "268", "-", "-"]]
    (HERE / "docs" / name).write_text(html_page(
        ["Eastvale Borough Council", "Children and Young People Scrutiny Committee",
         "The committee received the monthly performance report."],
        [["Indicator", "Sep-23", "Aug-23", "Jul-23", "Target", "RAG"]], rows,
        ["\u00b9 The August figure has been revised since the last report."],
        caption="Children's social care performance, September 2023"), "utf-8")
    sep, aug, jul = "2023-09", "2023-08", "2023-07"
    gold(name, {"authority": "Eastvale", "committee": "Children and Young People Scrutiny Committee"}, [
        rec(rows[0], "Contacts received", "contacts_count", 1204, "count", sep,
            [("previous_period", 1188, aug), ("other", 1251, jul)]),
        rec(rows[1], "Referrals completed within 1 working day", "referrals_completed_within_1_working_day_pct",
            91, "percent", sep, [("previous_period", 89, aug), ("other", 93, jul), ("target", 95, None)]),
        rec(rows[2], "Re-referrals within 12 months", "re_referrals_within_12_months_pct", 21.4, "percent", sep,
            [("previous_period", 19.8, aug), ("other", 22.0, jul), ("target", 20, None)], target_met=False),
        rec(rows[3], "Assessments completed within 45 working days", "assessments_within_45_working_days_pct",
            88, "percent", sep, [("other", 84, jul), ("target", 85, None)], target_met=True),
        rec(rows[4], "Children subject to a child protection plan", "cp_plans_count", 263, "count", sep,
            [("previous_period", 271, aug), ("other", 268, jul)]),
    ])


def f03() -> None:
    """A Word report: years merged above their quarters, a section row naming the cohort, benchmarks."""
    name = "03_southmere_quarterly_merged_headers.docx"
    rows = [["Children looked after", "", "", "", "", "", "", ""],
            ["Number", "401", "405", "412", "398", "400", "-", "-"],
            ["Rate per 10,000", "68.2", "69.0", "70.1", "67.8", "-", "71", "89"],
            ["Care leavers aged 19-21 in suitable accommodation", "88%", "90%", "", "92%", "90%", "88%", "87%"],
            ["Care leavers aged 19-21 in education, employment or training", "52%", "54%", "56%", "-", "60%", "55%",
             "53%"]]
    write_docx(HERE / "docs" / name,
               ["Southmere City Council", "Cabinet Member Briefing: Children's Services Performance",
                "Quarter 2 2023/24 performance report", "Table 1: Looked after children and care leavers"],
               [["", ("2022/23", 2), ("2023/24", 2), "", "", ""],
                ["Measure", "Q3", "Q4", "Q1", "Q2", "Target", "England", "Stat neighbours"]], rows,
               ["Figures for Quarter 2 are provisional until the annual return is made."])
    q3, q4, q1, q2 = "2022/23 Q3", "2022/23 Q4", "2023/24 Q1", "2023/24 Q2"
    gold(name, {"authority": "Southmere", "report_period": q2}, [
        rec(rows[1], "Children looked after", "cla_count", 398, "count", q2,
            [("previous_year", 401, q3), ("previous_year", 405, q4), ("previous_period", 412, q1),
             ("target", 400, None)]),
        rec(rows[2], "Children looked after rate per 10,000", "cla_rate_per_10000", 67.8, "rate_per_10000", q2,
            [("previous_year", 68.2, q3), ("previous_year", 69.0, q4), ("previous_period", 70.1, q1),
             ("national", 71, None), ("statistical_neighbours", 89, None)]),
        rec(rows[3], "Care leavers aged 19-21 in suitable accommodation", "care_leavers_suitable_accommodation_pct",
            92, "percent", q2, [("previous_year", 88, q3), ("previous_year", 90, q4), ("target", 90, None),
                                ("national", 88, None), ("statistical_neighbours", 87, None)]),
        rec(rows[4], "Care leavers aged 19-21 in education, employment or training", "care_leavers_eet_pct",
            56, "percent", q1, [("previous_year", 52, q3), ("previous_period", 54, q4), ("target", 60, None),
                                ("national", 55, None), ("statistical_neighbours", 53, None)]),
    ])


def f04() -> None:
    """A PDF performance report whose table runs over two pages (header repeated), years as columns, a
    region column, a direction of travel column, a number in a label and a count of its own rows."""
    name = "04_westbridge_performance_report.pdf"
    header = [["Indicator", "2021/22", "2022/23", "Q3 2023/24", "Target", "Region", "DoT"]]
    first = [["Contacts received", "9,812", "10,455", "7,930", "-", "-", "Down"],
             ["Referrals to children's social care", "3,120", "3,388", "2,610", "-", "-", "Same"],
             ["Re-referrals within 12 months", "24%", "22%", "19%", "20%", "21%", "Down"],
             ["Assessments completed within 45 working days", "81%", "86%", "90%", "90%", "84%", "Up"],
             ["Section 47 enquiries", "1,010", "1,122", "840", "-", "-", "Improving"],
             ["Children subject to a child protection plan", "301", "288", "276", "-", "-", "Down"]]
    second = [["Child protection plans for a second or subsequent time", "19%", "23%", "17%", "18%", "22%", "Down"],
              ["Children looked after", "455", "472", "481", "-", "-", "Up"],
              ["Children looked after with 3 or more placements in the year", "11%", "10%", "n/a", "10%", "10%", "-"],
              ["Adoptions", "38", "41", "29", "-", "-", "Down"],
              ["Foster carer approvals", "22", "19", "17", "25", "-", "Down"],
              ["Indicators on or above target", "6", "7", "8", "-", "-", "-"]]
    write_pdf(HERE / "docs" / name,
              ["Westbridge Council", "Children's Services Overview and Scrutiny Committee",
               "Performance report: Quarter 3 2023/24. The table compares the year to date with the two "
               "previous years."],
              header, [first, second], [86, 16, 16, 20, 14, 14, 18],
              ["Notes: DoT compares the year to date with the same point last year."], repeat_header=True)
    q3, y22, y21 = "2023/24 Q3", "2022/23", "2021/22"

    def years(cells: list[str], indicator: str, indicator_id: str | None, value: float, unit: str,
              trend: str | None, first_year: float, second_year: float, target: float | None = None,
              region: float | None = None) -> dict:
        comparisons = [("previous_year", first_year, y21), ("previous_year", second_year, y22)]
        comparisons += [("target", target, None)] if target is not None else []
        comparisons += [("regional", region, None)] if region is not None else []
        return rec(cells, indicator, indicator_id, value, unit, q3, comparisons, trend=trend, pdf=True)

    records = [
        years(first[0], "Contacts received", "contacts_count", 7930, "count", "down", 9812, 10455),
        years(first[1], "Referrals to children's social care", "referrals_count", 2610, "count", "same", 3120, 3388),
        years(first[2], "Re-referrals within 12 months", "re_referrals_within_12_months_pct", 19, "percent", "down",
              24, 22, 20, 21),
        years(first[3], "Assessments completed within 45 working days", "assessments_within_45_working_days_pct",
              90, "percent", "up", 81, 86, 90, 84),
        years(first[4], "Section 47 enquiries", "section_47_enquiries_count", 840, "count", None, 1010, 1122),
        years(first[5], "Children subject to a child protection plan", "cp_plans_count", 276, "count", "down",
              301, 288),
        years(second[0], "Child protection plans for a second or subsequent time",
              "cp_plans_second_or_subsequent_pct", 17, "percent", "down", 19, 23, 18, 22),
        years(second[1], "Children looked after", "cla_count", 481, "count", "up", 455, 472),
        rec(second[2], "Children looked after with 3 or more placements in the year", "cla_three_plus_placements_pct",
            10, "percent", y22, [("previous_year", 11, y21), ("target", 10, None), ("regional", 10, None)], pdf=True),
        years(second[3], "Adoptions", "adoptions_count", 29, "count", "down", 38, 41),
        years(second[4], "Foster carer approvals", "foster_carer_approvals_count", 17, "count", "down", 22, 19, 25),
    ]
    gold(name, {"authority": "Westbridge", "committee": "Children's Services Overview and Scrutiny Committee",
                "report_period": q3}, records)


def f05() -> None:
    """A plan's table of targets, with a polarity column and numbers in its labels: no results, no records."""
    name = "05_northshire_plan_targets.docx"
    rows = [["Care leavers aged 19-21 in suitable accommodation", "95%", "Higher is better"],
            ["Initial health assessments within 20 working days", "90%", "Higher is better"],
            ["Children placed more than 20 miles from home", "12%", "Lower is better"],
            ["Children aged 0-4 in care with an up-to-date health assessment", "100%", "Higher is better"],
            ["Care leavers aged 17-18 with a pathway plan", "100%", "Higher is better"]]
    write_docx(HERE / "docs" / name,
               ["Northshire County Council", "Corporate Parenting Strategy 2024-2027: measures of success",
                "Our targets for 2024/25 are set out below. Results will be reported to the Panel each quarter."],
               [["Measure", "Target 2024/25", "Polarity"]], rows)
    gold(name, {"authority": "Northshire"}, [])


def f06() -> None:
    """A ModernGov page: prose with a figure, then a table whose labels hold ages, distances and timescales."""
    name = "06_eastvale_cpp_labels_with_numbers.html"
    rows = [["Care leavers aged 19-21 in suitable accommodation", "89%", "91%", "88%", "88%"],
            ["Children placed 20+ miles from home", "14%", "15%", "16%", "17%"],
            ["Return home interviews offered within 72 hours", "64%", "71%", "-", "-"],
            ["Children looked after with 3+ placements in 12 months", "9%", "3%", "10%", "10%"],
            ["Care leavers aged 17-18 in touch with the council", "98%", "100%", "93%", "92%"],
            ["Indicators on target", "3", "4", "", ""]]
    sentence = "At the end of June 2024 there were 312 children in care."
    (HERE / "docs" / name).write_text(html_page(
        ["Eastvale Borough Council", "Corporate Parenting Board", "Quarter 1 2024/25 performance", sentence,
         "The Board reviewed the dashboard below."],
        [["Measure", "2023/24", "Q1 2024/25", "Stat neighbours", "England"]], rows), "utf-8")
    q1, y23 = "2024/25 Q1", "2023/24"

    def row(cells: list[str], indicator: str, indicator_id: str, value: float, last: float,
            sn: float | None, england: float | None) -> dict:
        comparisons = [("previous_year", last, y23)]
        comparisons += [("statistical_neighbours", sn, None)] if sn is not None else []
        comparisons += [("national", england, None)] if england is not None else []
        return rec(cells, indicator, indicator_id, value, "percent", q1, comparisons)

    gold(name, {"authority": "Eastvale", "committee": "Corporate Parenting Board", "report_period": q1}, [
        prose(sentence, "Children in care", "cla_count", 312, "count", "2024-06"),
        row(rows[0], "Care leavers aged 19-21 in suitable accommodation", "care_leavers_suitable_accommodation_pct",
            91, 89, 88, 88),
        row(rows[1], "Children placed 20+ miles from home", "cla_placed_over_20_miles_pct", 15, 14, 16, 17),
        row(rows[2], "Return home interviews offered within 72 hours",
            "return_home_interviews_offered_within_72_hours_pct", 71, 64, None, None),
        row(rows[3], "Children looked after with 3+ placements in 12 months", "cla_three_plus_placements_pct",
            3, 9, 10, 10),
        row(rows[4], "Care leavers aged 17-18 in touch with the council", "care_leavers_in_touch_pct",
            100, 98, 93, 92),
    ])


def f07() -> None:
    """A one-page PDF exceptions report: a reference column, a units column, Previous and Current, RAG,
    direction words read with the polarity column."""
    name = "07_southmere_exceptions_report.pdf"
    rows = [["CS01", "Contacts decided within 1 working day", "%", "88.5", "91.2", "95", "Amber", "Improving", "High"],
            ["CS04", "Average caseload per social worker", "No.", "19.2", "17.6", "18", "Green", "Improving", "Low"],
            ["CS07", "Average days from entering care to adoption", "Days", "402", "436", "426", "Red", "Worsening",
             "Low"],
            ["CS09", "Children in need per 10,000", "Rate", "331.5", "338.0", "-", "-", "Up", "Neutral"],
            ["CS12", "Children looked after in family settings", "%", "74", "76", "80", "Amber", "Up", "High"]]
    write_pdf(HERE / "docs" / name,
              ["Southmere City Council", "Children and Families Scrutiny Panel",
               "Performance exceptions report - Quarter 3 2023/24"],
              [["Ref", "Measure", "Unit", "Previous", "Current", "Target", "RAG", "DoT", "Polarity"]], [rows],
              [12, 68, 11, 16, 15, 13, 15, 20, 18], ["Previous is Quarter 2 2023/24."])
    q3 = "2023/24 Q3"
    gold(name, {"authority": "Southmere", "committee": "Children and Families Scrutiny Panel", "report_period": q3}, [
        rec(rows[0], "Contacts decided within 1 working day", "contacts_decided_within_1_working_day_pct", 91.2,
            "percent", q3, [("previous_period", 88.5, None), ("target", 95, None)], trend="up", pdf=True),
        rec(rows[1], "Average caseload per social worker", "social_worker_average_caseload", 17.6, "count", q3,
            [("previous_period", 19.2, None), ("target", 18, None)], target_met=True, trend="down", pdf=True),
        rec(rows[2], "Average days from entering care to adoption", "adoption_entering_care_to_placement_days", 436,
            "days", q3, [("previous_period", 402, None), ("target", 426, None)], target_met=False, trend="up",
            pdf=True),
        rec(rows[3], "Children in need per 10,000", "children_in_need_rate_per_10000", 338.0, "rate_per_10000", q3,
            [("previous_period", 331.5, None)], trend="up", pdf=True),
        rec(rows[4], "Children looked after in family settings", "cla_family_based_placement_pct", 76, "percent", q3,
            [("previous_period", 74, None), ("target", 80, None)], trend="up", pdf=True),
    ])


def f08() -> None:
    """A Word dashboard of months (the same month last year first), stat. neighbours and region, a
    suppressed row, a latest month left blank, a dagger footnote."""
    name = "08_westbridge_monthly_dashboard.docx"
    rows = [["Children in need", "1,802", "1,761", "1,779", "1,790", "-", "-", "-"],
            ["Children in need rate per 10,000", "312.4", "305.1", "308.3", "310.2", "-", "328.0", "320.5"],
            ["Initial child protection conferences within 15 working days", "79%", "83%", "88%", "86%\u2020", "85%",
             "80%", "81%"],
            ["Privately fostered children aged 16-17", "<5", "<5", "<5", "<5", "-", "-", "-"],
            ["Section 47 enquiries started", "112", "98", "104", "", "-", "-", "-"]]
    write_docx(HERE / "docs" / name,
               ["Westbridge Council", "Children's Services Improvement Board", "Performance dashboard: March 2024",
                "Children in need and child protection"],
               [["Measure", "Mar-23", "Jan-24", "Feb-24", "Mar-24", "Target", "Stat. neighbours", "Region"]], rows,
               ["\u2020 Provisional.", "Source: case management system, extracted 5 April 2024."])
    mar23, jan, feb, mar = "2023-03", "2024-01", "2024-02", "2024-03"
    gold(name, {"authority": "Westbridge", "committee": "Children's Services Improvement Board"}, [
        rec(rows[0], "Children in need", "children_in_need_count", 1790, "count", mar,
            [("previous_year", 1802, mar23), ("other", 1761, jan), ("previous_period", 1779, feb)]),
        rec(rows[1], "Children in need rate per 10,000", "children_in_need_rate_per_10000", 310.2, "rate_per_10000",
            mar, [("previous_year", 312.4, mar23), ("other", 305.1, jan), ("previous_period", 308.3, feb),
                  ("statistical_neighbours", 328.0, None), ("regional", 320.5, None)]),
        rec(rows[2], "Initial child protection conferences within 15 working days", "icpc_within_15_working_days_pct",
            86, "percent", mar, [("previous_year", 79, mar23), ("other", 83, jan), ("previous_period", 88, feb),
                                 ("target", 85, None), ("statistical_neighbours", 80, None), ("regional", 81, None)]),
        rec(rows[4], "Section 47 enquiries started", "section_47_enquiries_count", 104, "count", feb,
            [("previous_year", 112, mar23), ("previous_period", 98, jan)]),
    ])


if __name__ == "__main__":
    (HERE / "docs").mkdir(exist_ok=True)
    (HERE / "gold").mkdir(exist_ok=True)
    for build in (f01, f02, f03, f04, f05, f06, f07, f08):
        build()
