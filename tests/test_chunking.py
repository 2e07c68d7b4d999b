from extractor.chunking import chunk_document, estimate_tokens, is_candidate
from extractor.documents import document_from_text, load_document
from extractor.passages import Passage

TEXT = """Corporate Parenting Panel

Apologies were received from Councillor Smith.

Children in care

At the end of March 2024 there were 412 children in care. Placement stability improved.

Care leavers

89% of care leavers were in suitable accommodation.

The panel thanked officers for their work.
"""


def test_tokens_are_estimated_from_characters_without_a_tokenizer():
    assert estimate_tokens("") == 0 and estimate_tokens("abcd") == 1 and estimate_tokens("abcde") == 2


def test_only_paragraphs_with_numbers_or_status_words_are_sent_with_their_heading():
    chunks = chunk_document(document_from_text(TEXT, name="m.txt"))
    assert len(chunks) == 1
    text = chunks[0].text
    assert "Apologies" not in text and "thanked" not in text
    assert "Children in care\n\nAt the end of March 2024" in text and "Care leavers\n\n89%" in text
    for (start, end), part in zip(chunks[0].spans, chunks[0].parts, strict=True):
        assert " ".join(TEXT[start:end].split()) in part


def test_status_language_alone_makes_a_candidate():
    assert is_candidate(Passage(0, 10, "Placement stability improved.", 0))
    assert not is_candidate(Passage(0, 10, "The panel noted the report.", 0))


def test_chunks_stay_under_the_budget_and_restate_their_heading(corpus):
    document = load_document(corpus / "002_db4118e4560db15c.txt")
    chunks = chunk_document(document, token_budget=300)
    assert len(chunks) > 3
    assert all(c.tokens <= 300 + 60 for c in chunks)  # a heading may ride on top of a full chunk
    spans = [s for c in chunks for s in c.spans]
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_a_chunk_splits_into_halves_by_paragraph():
    chunk = chunk_document(document_from_text(TEXT, name="m.txt"))[0]
    first, second = chunk.split()
    assert first.spans + second.spans == chunk.spans and first.parts + second.parts == chunk.parts
    assert first.split() is None
