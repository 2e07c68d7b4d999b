"""Choose the passages worth a model call and group them into chunks under a token budget."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .backends.rules.status import STATUS_SPEC_WORDS as STATUS_WORDS
from .documents import Document
from .numbers import find_numbers
from .passages import Passage, segment
from .tables import containing

CHARS_PER_TOKEN = 4  # a conservative average for English prose; no tokenizer download needed
DEFAULT_CHUNK_TOKENS = 3000


def estimate_tokens(text: str) -> int:
    """A tokenizer-free token estimate: characters divided by four, rounded up."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Chunk:
    """Passages sent in one model call: their rendered text and the document spans they cover."""

    index: int
    parts: tuple[str, ...]  # one per span: the paragraph's text, after its heading when that changed
    spans: tuple[tuple[int, int], ...]

    @property
    def text(self) -> str:
        """The passages as sent to the model."""
        return "\n\n".join(self.parts)

    @property
    def tokens(self) -> int:
        """Estimated prompt tokens of the passages."""
        return estimate_tokens(self.text)

    def split(self) -> tuple[Chunk, Chunk] | None:
        """Two halves of a chunk whose answer did not fit, or None when it is one span already."""
        if len(self.spans) < 2:
            return None
        middle = len(self.spans) // 2
        return (Chunk(self.index, self.parts[:middle], self.spans[:middle]),
                Chunk(self.index, self.parts[middle:], self.spans[middle:]))


# Status language a model may read as a status-only record, wider than the rules backend's own
# (a missed passage is recall lost; one sent too many costs a few tokens).
_MOVEMENT = re.compile(
    r"\b(?:improv\w*|declin\w*|reduc\w*|increas\w*|decreas\w*|ris(?:e|es|ing|en)|rose|fall(?:s|ing|en)?|fell|"
    r"worse\w*|deteriorat\w*|remain\w*\s+(?:high|low|stable|static|above|below|under|over|the\s+same)|"
    r"rated\s+(?:red|amber|green)|(?:on|off)\s+(?:target|track))\b", re.I)


def is_candidate(passage: Passage) -> bool:
    """Whether a sentence may state a KPI: it prints a number or uses status language."""
    text = passage.text
    return bool(find_numbers(text)) or bool(STATUS_WORDS.search(text)) or bool(_MOVEMENT.search(text))


def _pieces(document: Document, budget_chars: int, every_block: bool = False) -> list[tuple[str | None, int, int]]:
    """(heading, start, end) for each block holding a candidate, long blocks cut at sentences."""
    by_block: dict[int, list[Passage]] = {}
    for passage in segment(document.text):
        by_block.setdefault(passage.block, []).append(passage)
    pieces: list[tuple[str | None, int, int]] = []
    for passages in by_block.values():
        if not every_block and not any(is_candidate(p) for p in passages):
            continue
        heading = passages[0].heading
        table = containing(document.tables, passages[0].start)
        if table is not None and table.header_text:  # a table's rows go with its header, restated per chunk
            if any(row.header and row.start <= passages[0].start <= row.end for row in table.rows):
                continue
            heading = "\n".join(filter(None, (table.caption, table.header_text)))
        start = end = passages[0].start
        for passage in passages:
            if passage.end - start > budget_chars and end > start:
                pieces.append((heading, start, end))
                start = passage.start
            end = passage.end
        pieces.append((heading, start, end))
    return pieces


def chunk_document(document: Document, *, token_budget: int = DEFAULT_CHUNK_TOKENS,
                   every_block: bool = False) -> list[Chunk]:
    """Group a document's candidate paragraphs (every paragraph when every_block), in order, into
    chunks of at most token_budget (estimated).

    Each paragraph is preceded by its heading when that differs from the previous one's, so the
    model sees where a figure sits (a table's row, by the table's header rows); a paragraph longer
    than the budget is cut between sentences.
    """
    budget_chars = max(token_budget, 100) * CHARS_PER_TOKEN
    chunks: list[Chunk] = []
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    last_heading: str | None = None
    size = 0
    for heading, start, end in _pieces(document, budget_chars, every_block):
        body = " ".join(document.text[start:end].split())
        titled = f"{heading}\n\n{body}" if heading and not body.startswith(heading) else body
        part = body if heading == last_heading else titled
        if parts and size + len(part) > budget_chars:
            chunks.append(Chunk(len(chunks), tuple(parts), tuple(spans)))
            parts, spans, size = [], [], 0
            part = titled  # a new chunk restates its heading
        parts.append(part)
        spans.append((start, end))
        size += len(part) + 2
        last_heading = heading
    if parts:
        chunks.append(Chunk(len(chunks), tuple(parts), tuple(spans)))
    return chunks
