import pytest

from extractor.numbers import find_numbers, parse_words, text_contains_value


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1,554 children", [1554]),
        ("79% of care plans", [79]),
        ("10.4% (29 / 278)", [10.4, 29, 278]),
        ("13in 2023/24", [13, 2023, 24]),
        ("Forty-three care leavers", [43]),
        ("One hundred and fifty-five children", [155]),
        ("seven adoptions", [7]),
    ],
)
def test_find_numbers_reads_printed_values(text, values):
    assert [t.value for t in find_numbers(text)] == values


def test_digits_touching_letters_keep_the_letters():
    # OCR joins ('were12') print their number; the letters let the rules backend tell codes ('NG2') apart.
    tokens = find_numbers("there were12 children, NG2 3NG", words=False)
    assert [(t.value, t.letters_before, t.letters_after) for t in tokens] == [
        (12, "were", ""), (2, "NG", ""), (3, "", "NG")]


@pytest.mark.parametrize("text", ["18/04/2018", "07.02.22", "2023-11-05", "10:30", "at 18:45:00"])
def test_dates_and_times_hold_no_number(text):
    assert find_numbers(text, words=False) == []


@pytest.mark.parametrize(("phrase", "value"), [("twenty-one", 21), ("a hundred", 100), ("ninety nine", 99)])
def test_parse_words(phrase, value):
    assert parse_words(phrase) == value


def test_parse_words_rejects_non_numbers():
    assert parse_words("several") is None


@pytest.mark.parametrize(
    ("evidence", "value", "expected"),
    [
        ("1,554 children had an assessment", 1554, True),
        ("1554 children", 1554, True),
        ("Forty-three care leavers", 43, True),
        ("no child was placed", 0, True),
        ("100.0% allocated", 100, True),
        ("79% of plans", 7.9, False),
        ("one hundred and fifty-five", 155, False),
        # scoring.md: digits in a date or time print no value; a fraction prints both parts.
        ("Meeting: 18/04/2018 - Panel", 4, False),
        ("Meeting: 18/04/2018 - Panel", 2018, False),
        ("held on 07.02.22", 7, False),
        ("2023-11-05", 2023, False),
        ("at 10:30", 30, False),
        ("10.4% (29/278)", 29, True),
        ("10.4% (29/278)", 278, True),
        ("2023-24", 24, True),
        # OCR joins still print their number.
        ("there were12 children", 12, True),
        ("13in care", 13, True),
    ],
)
def test_text_contains_value_follows_scoring_md(evidence, value, expected):
    assert text_contains_value(evidence, value) is expected


def test_a_negative_value_is_printed_with_its_sign():
    assert text_contains_value("The Progress 8 score was -1.12 this year.", -1.12)
    assert text_contains_value("Progress 8: \u22120.45", -0.45)
    assert not text_contains_value("The Progress 8 score was 1.12 this year.", -1.12)
    assert not text_contains_value("in 2022-1.12", -1.12)  # a hyphen joining two numbers is no sign
