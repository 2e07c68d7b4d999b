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


def test_q_prefixed_digit_is_not_a_number():
    assert find_numbers("Q1 report", words=False) == []


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
    ],
)
def test_text_contains_value_follows_scoring_md(evidence, value, expected):
    assert text_contains_value(evidence, value) is expected
