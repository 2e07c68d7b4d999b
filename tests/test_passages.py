from extractor.passages import blocks, segment


def test_inline_bullets_become_blocks_with_offsets():
    text = "Outlined: \u00b7 79% of plans were up to date. \u00b7 76% of children were placed."
    passages = segment(text)
    assert [p.text for p in passages] == [
        "Outlined:",
        "79% of plans were up to date.",
        "76% of children were placed.",
    ]
    assert all(text[p.start:p.end] == p.text for p in passages)
    assert passages[1].bullet and passages[1].block != passages[2].block


def test_wrapped_lines_stay_in_one_sentence_and_number_lines_drop():
    text = (
        "10.\n\nIn 2023/24, 81.4% (1,119 / 1,374) of the children had their referral completed within 1\n"
        "working day. This is decrease when compared with 84.1% in 2022/23.\n"
    )
    passages = segment(text)
    assert len(passages) == 2
    assert passages[0].text.startswith("In 2023/24") and passages[0].text.endswith("working day.")
    assert passages[0].block == passages[1].block


def test_decimal_points_and_abbreviations_do_not_split_sentences():
    passages = segment("The rate was 65.6 per 10,000, e.g. higher than before. Next sentence.")
    assert len(passages) == 2


def test_blocks_flag_bullets():
    spans = blocks("Heading\n\n\u2022 first point.\n\u2022 second point.")
    assert [bullet for _, _, bullet in spans] == [False, True, True]
