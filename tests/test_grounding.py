from extractor.grounding import locate, merge, place
from extractor.schema import KPIRecord

TEXT = "Summary: 78 children entered care.\n\nDetail:  78 children\n entered   care. Adoptions fell to 12."


def _record(**fields) -> KPIRecord:
    base = {"indicator": "Children entering care", "value": 78, "unit": "count",
            "evidence": "78 children entered care."}
    return KPIRecord(**{**base, **fields})


def test_locate_prefers_the_chunk_span_and_ignores_white_space():
    detail = TEXT.index("Detail")
    start, end = locate("78 children entered care.", TEXT, [(detail, len(TEXT))])
    assert start > detail and " ".join(TEXT[start:end].split()) == "78 children entered care."
    assert locate("78 children entered care.", TEXT) == (9, 34)
    assert locate("79 children entered care.", TEXT) is None


def test_place_sets_our_offsets_and_copies_evidence_from_the_document():
    record = place(_record(evidence="78  children\u00a0entered care.", start=0, end=3), TEXT)
    assert (record.start, record.end) == (9, 34) and record.evidence == "78 children entered care."
    assert place(_record(evidence="Nothing like this"), TEXT) is None


def test_merge_keeps_the_first_statement_of_a_measure_and_what_repeats_add():
    first = _record(start=9, end=34)
    repeat = _record(indicator="children entering care", start=50, end=80, trend="down")
    other = _record(indicator="Adoptions", value=12, evidence="Adoptions fell to 12.", start=81, end=102)
    kept = merge([repeat, other, first])
    assert [r.indicator for r in kept] == ["Children entering care", "Adoptions"]
    assert kept[0].start == 9 and kept[0].trend == "down"
