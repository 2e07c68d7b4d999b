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


def test_report_period_named_with_what_it_reports():
    assert detect_meta("Minutes:\nMembers considered headline performance as at the end of May 2012.").report_period \
        == "2012-05"
    assert detect_meta("Minutes:\nThe Board noted the published data for 2020-21 on offending.").report_period \
        == "2020/21"
    # a heading quarter with the one financial year the text names
    assert detect_meta("Escalation of Performance - Quarter 4\n\nDuring 2018/19 there was improvement.").report_period \
        == "2018/19 Q4"
    # a heading quarter with no year: the latest such quarter by the meeting date
    assert detect_meta("Children in Care Performance Q3\n\nMeeting: 13/02/2020 - Corporate Parenting Panel (Item 5)"
                       ).report_period == "2019/20 Q3"
    # the months of a named quarter, spelt out, are that quarter
    assert detect_meta("Quarter 2 performance report (1 July 2022 - 30 September 2022)").report_period == "2022/23 Q2"


def test_a_plans_years_and_a_comparisons_period_are_not_the_report_period():
    assert detect_meta("Draft Budget and Medium Term Financial Strategy 2018-2019\n\nNoted.").report_period is None
    assert detect_meta("Outturn was up 19% comparing January-December 2012 and January-December 2013."
                       ).report_period is None


def test_meeting_date_from_a_moderngov_header_not_a_previous_meeting():
    assert detect_meta("Meeting: 17/11/2022 - Children, Education and Families Policy Development and Scrutiny "
                       "Committee (Item 43)").meeting_date == "2022-11-17"
    assert detect_meta("That the minutes of the meeting of the Committee held on 28 February 2012 be confirmed."
                       ).meeting_date is None


def test_committee_names_keep_commas_and_ampersands():
    assert detect_meta("Meeting: 17/11/2022 - Children, Education and Families Policy Development and Scrutiny "
                       "Committee (Item 43)").committee == \
        "Children, Education and Families Policy Development and Scrutiny Committee"
    committee = detect_meta("- Meeting of Overview & Scrutiny Committee, Monday").committee
    assert committee == "Overview & Scrutiny Committee"


def test_an_authority_in_an_address_or_email_is_not_the_author():
    text = ("Venue: Loxley House, Station Street, Nottingham, NG2 3NG. View directions\n\n"
            "Contact: Phil Wye  Email: phil.wye@nottinghamcity.gov.uk\n\nThe Board noted the report.")
    assert detect_meta(text).authority is None
    assert detect_meta("jointly funded by Nottinghamshire Police and Nottingham City Council").authority == "Nottingham"


MODERNGOV_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Issue - meetings - Performance Scorecard</title>
<style>.mgContent { color: #333 }</style><script>var mgTrack = 2024;</script></head>
<body>
<div id="header" role="banner"><a href="/">Home</a> | <a href="/mgListCommittees.aspx">Committees</a></div>
<nav><ul><li><a href="/ieDocHome.aspx">Council and democracy</a></li><li>Meetings 2018</li></ul></nav>
<div id="mgContent" class="mgContent">
<h1 class="mgMainTitleTxt">Issue - meetings</h1>
<h2>Performance Scorecard</h2>
<p>Meeting: 18/04/2018 - Children's Scrutiny Panel (Item 111)</p>
<ul><li><a href="/documents/s1234/Scorecard.pdf">111 Performance Scorecard <img alt="pdf icon"> PDF 1 MB</a></li></ul>
<p>Venue: Committee Room 2, Civic Centre, Silver Street</p>
<p>Contact: Jane Smith, Democratic Services Officer, 01234 567890</p>
<h3>Minutes:</h3>
<p>The Panel received the quarter three performance scorecard.</p>
<p>412 children were in care at the end of December 2017, a rate of 68 per 10,000.</p>
<p>Reviews held on time fell to 88% against a target of 95%.</p>
</div>
<div id="footer" role="contentinfo">Copyright 2018 | Accessibility | 0300 123 4567</div>
</body></html>
"""


def test_a_moderngov_page_gives_its_meeting_and_committee_and_no_record_from_its_header(tmp_path):
    from extractor.documents import load_document
    from extractor.pipeline import extract

    path = tmp_path / "issue.htm"
    path.write_text(MODERNGOV_PAGE, "utf-8")
    document = load_document(path)
    assert "mgTrack" not in document.text and "Council and democracy" not in document.text  # scripts, nav
    assert "Copyright" not in document.text
    assert "\nMeeting: 18/04/2018 - Children's Scrutiny Panel (Item 111)\n" in document.text  # lines kept
    result = extract(document)
    assert (result.meta.committee, result.meta.meeting_date) == ("Children's Scrutiny Panel", "2018-04-18")
    assert sorted(r.value for r in result.records) == [68, 88, 412]
    assert all(r.start > document.text.index("Minutes:") for r in result.records)


def test_a_snapshot_date_is_not_the_meeting_date():
    assert detect_meta("At 31 March 2023, 78% of care leavers were in suitable accommodation.").meeting_date is None
    assert detect_meta("Meeting: 14/11/2023 - Corporate Parenting Panel\n\nAs at 30 June 2023, 412 children were "
                       "in care.").meeting_date == "2023-11-14"
