"""What a model answered for one chunk, over all its attempts: records offered, kept and dropped.

instructor re-asks when an answer fails validation. Every attempt's raw answer is read here, so
that a record offered once and then abandoned, or an answer that ignores the schema, is counted
and never mistaken for "no KPIs".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..schema import ChunkRecords, ModelRecord
from ..textnorm import NormalisedText, normalise

_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


def answer_text(completion: Any) -> str | None:
    """The JSON a completion carries: tool-call arguments, else message content without code fences."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    for call in getattr(message, "tool_calls", None) or []:
        return call.function.arguments
    content = getattr(message, "content", None)
    return _FENCE.sub("", content) if content else None


def model_refusal(completions: list[Any]) -> str | None:
    """What the model said when it refused, if the last answer is a refusal (OpenAI's 'refusal' field)
    or was stopped by a content filter; else None."""
    try:
        choice = completions[-1].choices[0]
    except (AttributeError, IndexError, TypeError):
        return None
    said = getattr(choice.message, "refusal", None)
    if said:
        return repr(str(said)[:200])
    if getattr(choice, "finish_reason", None) == "content_filter":
        return "finish_reason 'content_filter'"
    return None


def used_tools(completion: Any) -> bool:
    """Whether a completion answered with a tool call (the server supports tool calling)."""
    try:
        return bool(completion.choices[0].message.tool_calls)
    except (AttributeError, IndexError, TypeError):
        return False


def _offer_key(item: Any) -> str:
    """Two offers of the same measure (a record and its corrected re-ask) share a key."""
    if isinstance(item, dict):
        return json.dumps([normalise(str(item.get("indicator", ""))).lower(), item.get("value")], default=str)
    return json.dumps(item, sort_keys=True, default=str)


@dataclass
class ChunkAnswer:
    """A chunk's outcome: the valid records kept, how many distinct records were offered, and whether
    any answer followed the schema (an object holding exactly 'records', a list)."""

    records: list[ModelRecord] = field(default_factory=list)
    offered: int = 0
    followed_schema: bool = False

    @property
    def dropped(self) -> int:
        """Records offered but not kept: invalid, ungrounded, or abandoned in a later attempt."""
        return max(self.offered - len(self.records), 0)


def answer_items(completion: Any) -> tuple[bool, list[Any]]:
    """What one attempt answered: whether it followed the schema (an object holding a 'records' list and
    nothing else), and the items of its records list (none when it is not JSON)."""
    text = answer_text(completion)
    try:
        data = json.loads(text) if text else None
    except json.JSONDecodeError:
        return False, []
    items = data.get("records") if isinstance(data, dict) else None
    followed = isinstance(data, dict) and set(data) == set(ChunkRecords.model_fields) and isinstance(items, list)
    return followed, items if isinstance(items, list) else []


def read_attempts(completions: list[Any], source: str | NormalisedText, final: list[ModelRecord] | None) -> ChunkAnswer:
    """Fold every attempt's answer into one: the final valid records, plus valid records of earlier
    attempts that a later one abandoned; every distinct record offered is counted."""
    offered: set[str] = set()
    valid: dict[str, ModelRecord] = {}
    followed = final is not None
    kept = list(final or [])
    kept_keys = {_offer_key(r.model_dump(mode="json")) for r in kept}
    for completion in completions:
        schema_followed, items = answer_items(completion)
        followed = followed or schema_followed
        for item in items:
            key = _offer_key(item)
            offered.add(key)
            if key in kept_keys:
                continue  # kept from the final answer, already validated: not again
            try:
                valid[key] = ModelRecord.model_validate(item, context={"source": source})
            except ValidationError:
                pass
    offered |= kept_keys
    kept += [record for key, record in valid.items() if key not in kept_keys]
    return ChunkAnswer(kept, len(offered), followed)


def response_model() -> type[ChunkRecords]:
    """ChunkRecords as instructor wraps it for a request, wrapped once: instructor otherwise builds a
    new pydantic class for every request (a few milliseconds of the event loop each time)."""
    try:
        from instructor.v2.core.function_calls import response_schema
    except ImportError:  # another instructor layout: let it wrap per request
        return ChunkRecords
    model = response_schema(ChunkRecords)
    _check_async_validators_once(model)
    return model


def _check_async_validators_once(model: type[ChunkRecords]) -> None:
    """Check our response model for instructor async validators once, not on every request.

    instructor 1.17 walks the response model and every base class of every nested model, looking for
    async validators it cannot run, four times a request: about 5 ms of the event loop each request,
    a fifth of the client's work per document. Our model is fixed and has none; after one real check
    this model (and only it) is passed through. Any other model is checked as instructor does."""
    try:
        from instructor.v2.core import patch
        from instructor.v2.validation import async_validators
    except ImportError:  # another instructor layout: it checks as it likes
        return
    check = async_validators.reject_async_validators
    check(model)  # raises if it ever grows one

    def reject_async_validators(response_model: Any) -> None:
        if response_model is not model:
            check(response_model)

    async_validators.reject_async_validators = reject_async_validators
    if getattr(patch, "reject_async_validators", None) is check:  # bound at its import
        patch.reject_async_validators = reject_async_validators


def validate_each(items: Any, source: str | NormalisedText) -> list[ModelRecord]:
    """The items that validate as records grounded in source; the others left out."""
    records = []
    for item in items if isinstance(items, list) else []:
        try:
            records.append(ModelRecord.model_validate(item, context={"source": source}))
        except ValidationError:
            pass
    return records


def what_it_said(completions: list[Any]) -> str:
    """A short account of answers that ignored the schema, for the failure message."""
    texts = [answer_text(c) or "" for c in completions]
    if not texts:
        return "no answer"
    parsed = []
    for text in texts:
        try:
            parsed.append(json.loads(text))
        except json.JSONDecodeError:
            pass
    kind = "its answers were not valid JSON" if not parsed else "no answer held a 'records' list and nothing else"
    return f"{len(texts)} attempts; {kind}; last: {texts[-1][:100]!r}"
