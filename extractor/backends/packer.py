"""The live path of --pack-tokens: chunks of the documents in flight wait a moment to share a request.

A chunk the cache does not answer joins the pack being filled; the pack goes out when its passages reach
the budget, or after a short linger when no more arrive. Its answer is read per passage (packing.py), each
passage's records cached under its own unpacked request key. An answer still invalid after one re-ask of
the whole pack, or cut off at --max-tokens, is split: each chunk is asked on its own, as without packing.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..packing import PackedRecords, Part, pack, passages_sent, read_packed, render_pack, sources_of
from ..transport import EmptyAnswer, counting, stop_counting
from .answers import ChunkAnswer
from .base import Usage

if TYPE_CHECKING:
    from ..chunking import Chunk
    from .llm import LLMBackend

LINGER = 0.2  # seconds a pack waits for more chunks before it goes out part-filled (a model takes seconds)
_HEADER_TOKENS = 20  # a passage's id, title, committee and period in a pack


@functools.cache
def packed_model() -> type[PackedRecords]:
    """PackedRecords as instructor wraps it for a request, wrapped once."""
    try:
        from instructor.v2.core.function_calls import response_schema
    except ImportError:  # another instructor layout: let it wrap per request
        return PackedRecords
    return response_schema(PackedRecords)


@dataclass
class _Waiting:
    chunk: Chunk
    context: dict[str, str | None]
    key: str
    spent: Usage
    answer: asyncio.Future[ChunkAnswer | None]


class Packer:
    """Fills requests with chunks of several documents, up to budget tokens of passages."""

    def __init__(self, backend: LLMBackend, linger: float | None = None) -> None:
        self.backend, self.linger = backend, LINGER if linger is None else linger
        self._waiting: list[_Waiting] = []
        self._size = 0
        self._timer: asyncio.TimerHandle | None = None
        self._sending: set[asyncio.Task[None]] = set()

    def budget(self, mode: str) -> int:
        """Tokens of passages a packed request may carry: --pack-tokens, within the context."""
        return min(self.backend.settings.pack_tokens, self.backend.context_room(mode))

    async def ask(self, chunk: Chunk, context: dict[str, str | None], key: str, spent: Usage,
                  mode: str) -> ChunkAnswer | None:
        """The chunk's answer from a packed request; None when the pack was split (ask it on its own)."""
        loop = asyncio.get_running_loop()
        waiting = _Waiting(chunk, context, key, spent, loop.create_future())
        self._waiting.append(waiting)
        self._size += chunk.tokens + _HEADER_TOKENS
        if self._size >= self.budget(mode):
            self._flush(mode, keep_last=True)
        elif self._timer is None:
            self._timer = loop.call_later(self.linger, self._flush, mode)
        return await waiting.answer

    def _flush(self, mode: str, keep_last: bool = False) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        waiting, self._waiting, self._size = self._waiting, [], 0
        groups = pack([(w.chunk, w.context) for w in waiting], self.budget(mode))
        start = 0
        for number, group in enumerate(groups):
            entries = waiting[start:start + len(group)]
            start += len(group)
            if keep_last and number == len(groups) - 1 and len(groups) > 1:
                self._waiting, self._size = entries, sum(e.chunk.tokens + _HEADER_TOKENS for e in entries)
                self._timer = asyncio.get_running_loop().call_later(self.linger, self._flush, mode)
                break
            task = asyncio.ensure_future(self._send(group, entries, mode))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _send(self, parts: list[Part], entries: list[_Waiting], mode: str) -> None:
        """One packed request; every waiting chunk gets its passage's answer, None (split) or the error."""
        import openai
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        backend = self.backend
        usage = Usage()
        tally, token = counting(usage, chunk=parts[0].chunk.index)
        final = None
        sources = sources_of(parts)
        try:
            await backend.check_endpoint()
            with passages_sent(sources):
                parsed, _ = await backend._instructor(mode).chat.completions.create_with_completion(
                    model=backend.settings.model, messages=render_pack(backend.prompt, parts),
                    response_model=packed_model(), max_retries=1, temperature=0,
                    max_tokens=backend.settings.max_tokens)
            final = list(parsed.records)
        except IncompleteOutputException:
            pass  # cut off: split
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if not exc.failed_attempts or isinstance(cause, (openai.APIError, EmptyAnswer)):
                self._fail(entries, backend._transport_failure("a packed request", cause or exc, mode), usage)
                return
        except BaseException as exc:
            self._fail(entries, exc, usage)
            raise
        finally:
            stop_counting(token)
            usage.reasks += max(len(tally.completions) - 1, 0)
        entries[0].spent.add(usage)  # the request's calls and tokens go with the first document it carries
        if final is None:  # still invalid after one re-ask of the whole, or cut off: each chunk on its own
            for entry in entries:
                entry.answer.set_result(None)
            return
        answers, unnamed = read_packed(tally.completions, sources, final)
        answers[parts[0].pid].offered += unnamed  # offered naming no passage sent: dropped, and counted
        for part, entry in zip(parts, entries, strict=True):
            answer = answers[part.pid]
            if backend.store is not None:
                backend.store.save_response(
                    entry.key, {"records": [r.model_dump(mode="json") for r in answer.records],
                                "offered": answer.offered, "dropped": answer.dropped},
                    model=backend.settings.model, mode=mode, prompt_version=backend.prompt.label,
                    prompt_hash=backend.prompt.sha256, prompt_tokens=0, completion_tokens=0)
            entry.answer.set_result(answer)

    @staticmethod
    def _fail(entries: list[_Waiting], error: BaseException, usage: Usage) -> None:
        entries[0].spent.add(usage)
        for entry in entries:
            if not entry.answer.done():
                entry.answer.set_exception(error)
