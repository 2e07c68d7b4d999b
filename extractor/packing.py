"""Several documents in one request (--pack-tokens): candidate passages of as many documents as fit in N
tokens of passages share one copy of the fixed instructions and schema, each passage after its id, which the
model must name in every record.

A record is validated (and grounded) against the passage it names; one naming no passage that was sent
fails validation, is re-asked with the reason, and if it is still offered is dropped and counted. What a
packed answer says of each passage is cached under that passage's own request key (the key of the
unpacked request), so the cache stays per document: re-running one document never re-sends the others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pydantic import Field, ValidationError, model_validator

from .backends.answers import ChunkAnswer, _offer_key, answer_items
from .chunking import Chunk
from .prompts import Prompt
from .schema import ChunkRecords, ModelRecord, grounded_in
from .textnorm import NormalisedText

SEVERAL = "several reports: each passage gives its own"
_HEADER = re.compile(r"^\[(P\d+)\]$", re.M)
_PASSAGES: ContextVar[Mapping[str, NormalisedText] | None] = ContextVar("packed_passages", default=None)


@contextmanager
def passages_sent(sources: Mapping[str, NormalisedText]) -> Iterator[None]:
    """Packed records validated inside this block are grounded in the passage they name."""
    token = _PASSAGES.set(sources)
    try:
        yield
    finally:
        _PASSAGES.reset(token)


class PackedRecord(ModelRecord):
    """A record of a packed request: records.md's fields and the id of the passage its evidence is quoted from."""

    passage: str = Field(description="The id of the passage the evidence is quoted from, as given in brackets "
                                     "before it: P1, P2, ...")

    @model_validator(mode="wrap")
    @classmethod
    def _grounded_in_its_passage(cls, data: Any, handler: Any) -> Any:
        sources = _PASSAGES.get()
        if sources is None or not isinstance(data, dict):
            return handler(data)
        named = _named(data)
        if named not in sources:  # (PackedRecords sets these aside before validation; a lone one is refused)
            raise ValueError(f"'passage' must name the passage the evidence is quoted from, one of "
                             f"{', '.join(sources)}; {data.get('passage')!r} was not sent")
        with grounded_in(sources[named]):
            return handler({**data, "passage": named})


class PackedRecords(ChunkRecords):
    """Every KPI record stated in the passages, each naming its passage; [] when there is none."""

    records: list[PackedRecord] = Field(description="Every KPI record in the passages, each naming its passage; "
                                                    "[] when there is none.")

    @model_validator(mode="before")
    @classmethod
    def _set_aside_records_naming_no_passage(cls, data: Any) -> Any:
        # A record naming no passage that was sent cannot be grounded: it is dropped (read_packed counts it),
        # not a reason to re-ask the whole pack.
        sources = _PASSAGES.get()
        if sources is not None and isinstance(data, dict) and isinstance(data.get("records"), list):
            data = {**data, "records": [r for r in data["records"] if not isinstance(r, dict) or _named(r) in sources]}
        return data


def _named(item: Mapping[str, Any]) -> str:
    return str(item.get("passage", "")).strip().strip("[]")


@dataclass(frozen=True)
class Part:
    """One document's chunk in a packed request: its id there, the chunk, and its report's context."""

    pid: str
    chunk: Chunk
    context: Mapping[str, str | None]


def pack(chunks: Sequence[tuple[Chunk, Mapping[str, str | None]]], budget: int) -> list[list[Part]]:
    """Chunks (of several documents, in order) grouped into requests of at most budget tokens of passages;
    a chunk larger than the budget goes alone."""
    packs: list[list[Part]] = []
    current: list[Part] = []
    size = 0
    for chunk, context in chunks:
        if current and size + chunk.tokens > budget:
            packs.append(current)
            current, size = [], 0
        current.append(Part(f"P{len(current) + 1}", chunk, context))
        size += chunk.tokens + 20  # its header
    if current:
        packs.append(current)
    return packs


def pack_rows(rows: Sequence[dict[str, Any]], budget: int) -> list[dict[str, Any]]:
    """Batch request rows (one chunk each) grouped into packed requests: rows of one request share its
    custom_id, each with its passage's id (part)."""
    chunks = [(Chunk(r["chunk"], (r["passages"],), ()), json.loads(r["context"])) for r in rows]
    packed, start = [], 0
    for group in pack(chunks, budget):
        custom_id = rows[start]["custom_id"]
        for part, row in zip(group, rows[start:start + len(group)], strict=True):
            packed.append({**row, "custom_id": custom_id, "part": part.pid})
        start += len(group)
    return packed


def parts_of(rows: Sequence[Mapping[str, Any]]) -> list[Part]:
    """A packed batch request's parts, from its rows."""
    return [Part(r["part"], Chunk(r["chunk"], (r["passages"],), ()), json.loads(r["context"])) for r in rows]


def passage_text(part: Part) -> str:
    """A passage as a packed request shows it: its id, its report's title, committee and period, its text."""
    context = part.context
    return (f"[{part.pid}]\nReport title: {context.get('title') or 'not stated'}\nCommittee: "
            f"{context.get('committee') or 'not stated'}\nReport period: {context.get('report_period') or 'not stated'}"
            f"\n{part.chunk.text}")


def render_pack(prompt: Prompt, parts: Sequence[Part]) -> list[dict[str, str]]:
    """The messages of a packed request: the fixed instructions once, then every passage after its id."""
    text = ("Each passage below starts with its id in brackets and its own report's title, committee and period; "
            "name that id in every record's 'passage'.\n\n" + "\n\n".join(passage_text(p) for p in parts))
    return prompt.render(passages=text, title=SEVERAL, committee=SEVERAL, report_period=SEVERAL)


def sources_of(parts: Sequence[Part]) -> dict[str, NormalisedText]:
    """Each passage's text by its id, to ground the records naming it."""
    return {part.pid: NormalisedText(part.chunk.text) for part in parts}


def read_packed(completions: list[Any], sources: Mapping[str, NormalisedText],
                final: list[PackedRecord] | None) -> tuple[dict[str, ChunkAnswer], int]:
    """Every attempt's answer folded per passage (as read_attempts does for one chunk): the valid records
    each passage keeps and the distinct records offered for it; and how many offered records named no
    passage that was sent (dropped)."""
    answers = {pid: ChunkAnswer(followed_schema=final is not None) for pid in sources}
    offered: dict[str, set[str]] = {pid: set() for pid in sources}
    kept: dict[str, dict[str, ModelRecord]] = {pid: {} for pid in sources}
    unnamed: set[str] = set()
    for record in final or []:
        kept[record.passage][_offer_key(record.model_dump(mode="json"))] = record
    for completion in completions:
        followed, items = answer_items(completion)
        if followed:
            for answer in answers.values():
                answer.followed_schema = True
        for item in items:
            named = _named(item) if isinstance(item, dict) else ""
            key = _offer_key(item)
            if named not in sources:
                unnamed.add(key)
                continue
            offered[named].add(key)
            if key in kept[named]:
                continue
            try:
                with passages_sent(sources):
                    kept[named][key] = PackedRecord.model_validate(item)
            except ValidationError:
                pass
    for pid, answer in answers.items():
        answer.records = [_unpacked(r) for r in kept[pid].values()]
        answer.offered = len(offered[pid] | set(kept[pid]))
    return answers, len(unnamed)


def _unpacked(record: ModelRecord) -> ModelRecord:
    """A packed record as an unpacked answer holds it (the passage id is the request's, not the record's)."""
    return ModelRecord.model_construct(**{name: getattr(record, name) for name in ModelRecord.model_fields})
