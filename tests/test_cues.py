"""The cue table's worked examples: each cue claims its bracketed number, and the walk agrees on the role."""

import pytest

from extractor.backends.rules.cues import CUES, classify
from extractor.backends.rules.reading import example_reading

EXAMPLES = [(cue, example) for cue in CUES for example in cue.examples]


def test_every_cue_has_worked_examples_and_a_unique_name():
    assert all(cue.examples for cue in CUES)
    assert len({cue.name for cue in CUES}) == len(CUES)


@pytest.mark.parametrize(("cue", "example"), EXAMPLES, ids=[f"{c.name}:{e[:40]}" for c, e in EXAMPLES])
def test_worked_example(cue, example):
    reading = example_reading(example)
    assert cue.fires(reading), f"{cue.name} does not fire on its own example"
    first, _ = classify(reading)
    assert first is not None and first.marks == cue.marks, (
        f"the walk gives {example!r} to {first and first.name} ({first and first.marks}), not {cue.marks}")


@pytest.mark.parametrize("example", [
    "[[78]] children entered care this year",
    "[[79]]% of care plans were up to date",
    "There were [[seven]] children in care known to the youth justice service",
    "The rate was [[65.6]] per 10,000 population",
    "there were[[12]] children in custody",  # OCR joined the words: still a value
    "First time entrants fell to [[38]] in 2024/25, from 52 in 2023/24",  # 'in 2024/25' is a period, not '1 in 5'
    "The service carries [[2,150]] eligible pupils",  # a service noun: counted_other leaves it
])
def test_values_are_claimed_by_no_cue(example):
    cue, _ = classify(example_reading(example))
    assert cue is None or cue.marks == "value", cue and cue.name
