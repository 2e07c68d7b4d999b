from extractor.meta import detect_meta

HEAD = """CHILDREN AND YOUNG PEOPLES SCRUTINY COMMITTEE
2 SEPTEMBER 2024

PERFORMANCE INDICATORS YEAR END 2023/24

Compared with Q1 2020/21 (27.5%), Durham Council saw a rise. Durham Council staff attended.
"""


def test_meta_from_heading_lines():
    meta = detect_meta(HEAD)
    assert meta.committee == "CHILDREN AND YOUNG PEOPLES SCRUTINY COMMITTEE"
    assert meta.meeting_date == "2024-09-02"
    assert meta.report_period == "2023/24"
    assert meta.authority == "Durham"


def test_previous_meeting_date_and_forum_councils_are_not_meta():
    meta = detect_meta(
        "Minutes of the previous meeting held on 13 November 2023.\n"
        "A looked After Childrens Council Update was presented. The Corporate Parenting Panel met."
    )
    assert meta.meeting_date is None
    assert meta.authority is None
    assert meta.committee == "Corporate Parenting Panel"


def test_quarter_named_only_in_text_with_no_year_is_not_inferred():
    assert detect_meta("Performance at the end of the first quarter was good.").report_period is None


def test_most_named_authority_wins():
    assert detect_meta("Kirklees partnered with North Yorkshire. Kirklees had fostering high.").authority == "Kirklees"
