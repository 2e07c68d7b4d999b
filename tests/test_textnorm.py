import pytest

from extractor.textnorm import NormalisedText, _normalise_with_map, normalise


def test_normalise_folds_quotes_dashes_and_space():
    assert normalise("  RHI\u2019s \u2013 a\n\n  b\u00a0c ") == "RHI's - a b c"


def test_find_maps_back_to_original_offsets():
    text = "Intro.\n\n98.4% of our care leavers aged 19-21 and\n97.9% were housed."
    norm = NormalisedText(text)
    span = norm.find("and 97.9% were housed.")
    assert span is not None
    start, end = norm.to_original(*span)
    assert text[start:end] == "and\n97.9% were housed."


def test_find_returns_none_for_absent_text():
    assert NormalisedText("abc").find("xyz") is None


def test_find_can_be_limited_to_a_window_of_the_original_text():
    text = NormalisedText("78 children.\n\nLater:  78\u00a0 children.")
    later = text.original.index("Later")
    start, end = text.to_original(*text.find("78 children.", later))
    assert start == later + 8 and text.original[start:end] == "78\u00a0 children."
    assert text.find("78 children.", 0, later) == (0, 12)
    assert text.find("Later", 0, later) is None


@pytest.mark.parametrize("text", [
    "Children\u00a0in care: 412 \u2013 a rate of 61\u2019s", "  leading and  trailing\n\n", "", " \t ",
    "soft\u00adhyphen and \ufb01ne ligature", "\u00bd of e\u0301 \u00a8 x", "line\u2028sep\x1cfile",
    "ASCII only. 81.4%",
])
def test_the_fast_path_gives_the_text_and_map_of_the_character_by_character_reading(text):
    fast, (text_slow, origin_slow) = NormalisedText(text), _normalise_with_map(text)
    assert fast.text == text_slow and fast._origin == origin_slow
