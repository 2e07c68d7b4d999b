"""Reading back a batch request that packs several documents' passages (--pack-tokens): the answer parsed as
a live packed answer is (records grounded in the passage they name), each passage's records cached under
its own request key; an invalid answer re-asked live once as a whole, then left to be asked per document."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .packing import parts_of, passages_sent, read_packed, sources_of

if TYPE_CHECKING:
    from .backends.llm import LLMBackend
    from .batch_collect import Collected
    from .batch_store import BatchStore


def _fail_all(batches: BatchStore, rows: list[dict[str, Any]], error: str, spent: Mapping[str, Any],
              done: Collected) -> None:
    """Every passage of the request failed: each is asked on its own, live, when its document is stored."""
    with batches.store.transaction():
        for number, row in enumerate(rows):
            batches.settle(row, "failed", error=error[:500], **(spent if number == 0 else {}))
    done.failed += len(rows)


def settle_packed(backend: LLMBackend, batches: BatchStore, rows: list[dict[str, Any]], item: Mapping[str, Any],
                  mode: str, done: Collected) -> tuple[list[dict[str, Any]], Any, Exception] | None:
    """One line of the output or error file for a packed request: its passages answered, failed, or (an
    answer that fails validation) returned to be re-asked."""
    from instructor.core.exceptions import IncompleteOutputException
    from openai.types.chat import ChatCompletion

    from .backends.answers import model_refusal
    from .backends.llm import MODES
    from .backends.packer import packed_model
    from .batch_collect import _tokens

    response = item.get("response") or {}
    if item.get("error") or response.get("status_code") != 200:
        error = item.get("error") or (response.get("body") or {}).get("error") or {}
        _fail_all(batches, rows, f"{error.get('code') or response.get('status_code')}: {error.get('message')}", {},
                  done)
        return None
    completion = ChatCompletion.model_validate(response["body"])
    spent = _tokens(completion)
    refused = model_refusal([completion])
    if refused:
        _fail_all(batches, rows, f"the model refused ({refused})", spent, done)
        return None
    try:
        with passages_sent(sources_of(parts_of(rows))):
            final = list(packed_model().from_response(completion, mode=MODES[mode]).records)
    except IncompleteOutputException:
        _fail_all(batches, rows, "the packed answer was cut off at --max-tokens", spent, done)
        return None
    except Exception as exc:  # invalid: re-asked once as a whole
        return rows, completion, exc
    _answered(backend, batches, rows, [completion], final, spent, done, [])
    return None


def _answered(backend: LLMBackend, batches: BatchStore, rows: list[dict[str, Any]], completions: list[Any],
              final: list[Any] | None, spent: dict[str, Any], done: Collected, live: list[Any]) -> None:
    """Each passage's records cached under its own request key (first), then its row marked read; the
    request's tokens go with its first passage."""
    from dataclasses import asdict

    answers, unnamed = read_packed(completions, sources_of(parts_of(rows)), final)
    answers[rows[0]["part"]].offered += unnamed  # records naming no passage sent: dropped, and counted
    settings = backend.settings
    for row in rows:
        answer = answers[row["part"]]
        batches.store.save_response(
            row["key"], {"records": [r.model_dump(mode="json") for r in answer.records], "offered": answer.offered,
                         "dropped": answer.dropped},
            model=settings.model, mode=backend.mode or settings.mode, prompt_version=backend.prompt.label,
            prompt_hash=backend.prompt.sha256, prompt_tokens=0, completion_tokens=0)
    with batches.store.transaction():
        for number, row in enumerate(rows):
            paid = {**spent, "live": json.dumps({"calls": [asdict(c) for c in live], "reasks": len(live)})} \
                if number == 0 else {}
            batches.settle(row, "answered", **paid)
    done.answered += len(rows)


async def reask_packed(backend: LLMBackend, batches: BatchStore, rows: list[dict[str, Any]], completion: Any,
                       exc: Exception, mode: str, done: Collected) -> None:
    """An invalid packed answer re-asked live once, as a whole; still invalid, each passage is left to be
    asked on its own when its document is stored."""
    from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
    from instructor.processing.response import handle_reask_kwargs

    from .backends.base import Usage
    from .backends.llm import MODES
    from .backends.packer import packed_model
    from .batch import body_of
    from .batch_collect import _tokens
    from .transport import counting, stop_counting

    asked = handle_reask_kwargs(body_of(backend, rows, mode), MODES[mode], completion, exc)
    usage = Usage()
    tally, token = counting(usage, chunk=rows[0]["chunk"])
    final = None
    try:
        with passages_sent(sources_of(parts_of(rows))):
            parsed, _ = await backend._instructor(mode).chat.completions.create_with_completion(
                model=backend.settings.model, messages=asked["messages"], response_model=packed_model(),
                max_retries=0, temperature=0, max_tokens=backend.settings.max_tokens)
        final = list(parsed.records)
    except (IncompleteOutputException, InstructorRetryException):
        pass
    finally:
        stop_counting(token)
    spent = _tokens(completion)
    if final is None:
        spent["live"] = json.dumps({"calls": [c.__dict__ for c in usage.calls], "reasks": len(usage.calls)})
        _fail_all(batches, rows, "the packed answer was still invalid after a re-ask: asked per document", spent,
                  done)
        return
    _answered(backend, batches, rows, [completion, *tally.completions], final, spent, done, usage.calls)
