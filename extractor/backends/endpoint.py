"""The endpoint as the model backend meets it: can it answer, in which structured-output mode, and what
a failed request there means to the user.

LLMBackend (backends/llm.py) takes these methods from EndpointMixin, so the backend is what packer.py and
batch.py ask: `backend.check_endpoint()`, `backend.resolve_mode(...)`, `backend._transport_failure(...)`.
"""

from __future__ import annotations

import asyncio
import functools
import re
from typing import TYPE_CHECKING

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

from ..errors import ConfigError, EndpointError, ExtractionFailed, ExtractorError, fix_hint
from ..redact import redact, safe_url, url_secrets
from ..schema import grounded_in
from ..transport import Usage, counting, refusal, stop_counting
from .answers import response_model, used_tools

if TYPE_CHECKING:
    from ..prompts import Prompt
    from ..store import Store
    from .model import LLMSettings

MODES = {"tools": instructor.Mode.TOOLS, "json_schema": instructor.Mode.JSON_SCHEMA, "json": instructor.Mode.JSON}
PROBE_CHUNK = -1  # the chunk number stored with the calls of --mode auto's probe
_PROBE_TEXT = "Minutes: The Panel noted the report. No figures were discussed."
_CHECK_TIMEOUT = 30.0  # seconds the endpoint check waits for GET /models
_UNKNOWN_MODEL = re.compile(r"model", re.IGNORECASE)


@functools.cache
def _next_mode(mode: str) -> str:
    """The mode to suggest when the server refuses this one: the next in MODES, after the last the rules."""
    order = list(MODES)
    return order[order.index(mode) + 1] if mode != order[-1] else "rules (--backend rules)"


class EndpointMixin:
    """The endpoint's side of LLMBackend: whether the endpoint answers (checked once a run), the
    structured-output mode it takes (as asked, remembered, or probed), and a failed request's message
    that says what to do. The host provides settings, store, client, prompt, passage_budget(mode) and
    _instructor(mode)."""

    settings: LLMSettings
    store: Store | None
    client: openai.AsyncOpenAI
    prompt: Prompt

    def __init__(self, settings: LLMSettings) -> None:
        # What is stored and printed of the endpoint: never the key, never credentials in the URL.
        self.endpoint = safe_url(settings.base_url) or "https://api.openai.com/v1"
        self._secrets = [settings.api_key, *url_secrets(settings.base_url)]
        self._checked = False
        self._broken: EndpointError | None = None
        self._served: list[str] = []  # the models GET /models listed, for a message naming them
        self.mode: str | None = None if settings.mode == "auto" else settings.mode
        self.mode_note = "" if self.mode is None else f"{self.mode} (as asked)"
        self._deciding = asyncio.Lock()
        self._checking = asyncio.Lock()
        self._probe_usage = Usage()

    def _fits(self, mode: str) -> bool:
        """Whether a request in this mode leaves room for passages in --context-tokens."""
        try:
            self.passage_budget(mode)
        except ConfigError:
            return False
        return True

    async def resolve_mode(self, spent: Usage) -> str:
        """The structured-output mode for this run: as asked, or (auto) the first of tools, json_schema
        and json that the server accepts, decided once from its answers to a small probe."""
        if self.mode is not None:
            return self.mode
        async with self._deciding:
            endpoint = self.endpoint
            remembered = self.store.server_mode(endpoint, self.settings.model) if self.store else None
            if self.mode is None and remembered:
                self.mode, self.mode_note = remembered, f"{remembered} (auto, as decided on an earlier run)"
            if self.mode is None:
                await self.check_endpoint()
                notes = []
                for mode in MODES:
                    fits = self._fits(mode)
                    verdict = await self._probe(mode) if fits else "its prompt does not fit --context-tokens"
                    if verdict is None:
                        self.mode = mode
                        break
                    notes.append(f"{mode}: {verdict}")
                if self.mode is None:
                    raise ExtractionFailed(fix_hint(
                        "the server accepts none of the structured-output modes (" + "; ".join(notes) + ")",
                        "check --base-url and --model, or use --backend rules"))
                refused = f"; {'; '.join(notes)}" if notes else ""
                self.mode_note = f"{self.mode} (auto{refused})"
                spent.add(self._probe_usage)
                if self.store is not None:
                    self.store.save_server_mode(endpoint, self.settings.model, self.mode, self.mode_note)
        return self.mode

    async def _probe(self, mode: str) -> str | None:
        """None when the server takes a request in this mode; else why not."""
        messages = self.prompt.render(passages=_PROBE_TEXT, title=None, committee=None, report_period=None)
        tally, token = counting(self._probe_usage, chunk=PROBE_CHUNK)
        try:
            with grounded_in(_PROBE_TEXT):
                await self._instructor(mode).chat.completions.create_with_completion(
                    model=self.settings.model, messages=messages, response_model=response_model(), max_retries=0,
                    temperature=0, max_tokens=self.settings.max_tokens)
        except InstructorRetryException as exc:
            stop = self._endpoint_error(exc.__cause__) if exc.__cause__ else None
            if stop is not None:
                raise stop from exc
            reason = refusal(exc.__cause__) if exc.__cause__ else None
            if reason:
                return f"refused ({reason})"
            if isinstance(exc.__cause__, openai.APIError):
                raise self._transport_failure("probe", exc.__cause__) from exc
        except IncompleteOutputException:
            pass  # it answered in this mode, at length: the mode works
        finally:
            stop_counting(token)
        if mode == "tools" and not any(used_tools(c) for c in tally.completions):
            return "answered without tool calls"
        return None

    async def check_endpoint(self) -> None:
        """Once per run, before the first question: prove the endpoint answers with one cheap request
        (GET /models). Unreachable or a refused key raises EndpointError, which stops the batch;
        a server without /models, or one that will not list them, is left to the first real request."""
        async with self._checking:
            if self._broken is not None:
                raise self._broken  # known broken: every document waiting here stops at once
            if self._checked:
                return
            try:
                page = await self.client.with_options(timeout=min(self.settings.timeout, _CHECK_TIMEOUT)).models.list()
                self._served = [model.id for model in page.data]
            except openai.APITimeoutError:
                pass  # slow to list is not broken; the first request has the full --timeout
            except (openai.APIConnectionError, openai.AuthenticationError) as exc:
                self._broken = self._endpoint_error(exc)
                raise self._broken or exc from None
            except (openai.APIError, ValueError, TypeError):
                pass  # no /models route, or an answer we cannot read: the first request will tell
            self._checked = True

    def _endpoint_error(self, cause: BaseException) -> EndpointError | None:
        """The error that stops the batch when the endpoint, key or model cannot work, else None."""
        where = f"{self.endpoint} (model {self.settings.model!r})"
        if isinstance(cause, openai.APITimeoutError):
            return None
        if isinstance(cause, openai.APIConnectionError):
            problem, fix = (f"cannot reach {where}: {cause.__cause__ or cause}",
                            "check --base-url (or OPENAI_BASE_URL) and that the server is running")
        elif isinstance(cause, openai.AuthenticationError):
            problem, fix = (f"{where} refused the API key (HTTP 401: {_message(cause)})",
                            "set OPENAI_API_KEY to a key this endpoint accepts")
        elif isinstance(cause, openai.PermissionDeniedError):
            problem, fix = (f"{where} denied access (HTTP 403: {_message(cause)})",
                            "use a key allowed to call this model, or another --model")
        elif isinstance(cause, openai.NotFoundError) and _UNKNOWN_MODEL.search(_message(cause)):
            listed = f"; it lists {', '.join(self._served[:10])}" if self._served else ""
            problem, fix = (f"{where}: the server does not know the model (HTTP 404: {_message(cause)}){listed}",
                            "pass --model with a model the server serves")
        elif isinstance(cause, openai.NotFoundError):
            problem, fix = (f"{where}: no chat-completions route there (HTTP 404: {_message(cause)})",
                            "give --base-url the server's OpenAI-compatible root, usually ending in /v1")
        else:
            return None
        return EndpointError(self._redact(fix_hint(problem, fix)))

    def _redact(self, text: str) -> str:
        """The text with the key and the URL's credentials masked."""
        return redact(text, self._secrets)

    def _transport_failure(self, where: str, cause: BaseException, mode: str | None = None) -> ExtractorError:
        """The error for a request that failed at the endpoint: one that stops the batch, or this
        document's failure saying what to change (the next mode, --timeout, or where to look)."""
        stop = self._endpoint_error(cause)
        if stop is not None:
            return stop
        reason = refusal(cause)
        if reason and mode:
            return ExtractionFailed(fix_hint(
                f"{where}: the server refused --mode {mode}: {reason}",
                f"use --mode {_next_mode(mode)}, or --mode auto to let kpi-extract pick what the server supports"))
        endpoint = self.endpoint
        tries = 1 if reason else self.settings.retries + 1
        fix = "check --base-url, the key and the server's logs; the document will be retried on the next run"
        if isinstance(cause, openai.APITimeoutError):
            fix = (f"raise --timeout ({self.settings.timeout:g} s now), or lower --concurrency "
                   f"({self.settings.concurrency} now) for a local server that answers one request at a time")
        return ExtractionFailed(self._redact(fix_hint(
            f"{where}: the model call to {endpoint} failed after {tries} {'try' if tries == 1 else 'tries'}: "
            f"{type(cause).__name__}: {cause}", fix)))


def _message(exc: openai.APIStatusError) -> str:
    """The server's own error message, short enough to quote."""
    body = exc.body
    error = body.get("error", body) if isinstance(body, dict) else body
    text = error.get("message") if isinstance(error, dict) else error
    return str(text or exc.message)[:200]
