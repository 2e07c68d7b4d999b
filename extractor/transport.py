"""Talking to the endpoint: the one retry layer (tenacity), rate limits, and token accounting."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import email.utils
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import openai
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from .backends.base import Call, Usage
from .chunking import estimate_tokens

MAX_RETRY_AFTER = 120.0  # seconds; a longer Retry-After is capped so a batch cannot stall for hours
_RETRYABLE_STATUS = {408, 409, 429}


# After an answer arrives and its slot is freed, the caller waits this long before parsing it, so the
# requests waiting for slots are sent first. Answers often arrive together (a provider's latency is
# much the same for every request); parsed and validated one after another while requests waited,
# they left slots idle (benchmarks/bench_throughput.py, one run each: --concurrency 32 at 1.98x the
# ideal wall time with the slot held through parsing, 1.75x with this; at 16, 1.19x and 1.18x).
SEND_FIRST = 0.001


class NotSent(Exception):
    """A request not sent because its document has already failed (so its answer would be wasted)."""


@dataclass
class Tally:
    """What the calls made for one chunk are counted into: the usage, the chunk, and every raw answer;
    once stop is set, its requests are no longer sent."""

    usage: Usage
    chunk: int | None = None
    completions: list[Any] = field(default_factory=list)
    stop: asyncio.Event | None = None


_current: contextvars.ContextVar[Tally | None] = contextvars.ContextVar("kpi_tally", default=None)


def counting(usage: Usage, *, chunk: int | None = None,
             stop: asyncio.Event | None = None) -> tuple[Tally, contextvars.Token[Tally | None]]:
    """Make the calls made from here (this task) count into usage, for a chunk, and send none once stop
    is set; reset with the token."""
    tally = Tally(usage, chunk, stop=stop)
    return tally, _current.set(tally)


def stop_counting(token: contextvars.Token[Tally | None]) -> None:
    """Undo counting()."""
    _current.reset(token)


def on_completion(response: Any) -> None:
    """instructor 'completion:response' hook: every raw attempt, re-asks included, counts its tokens
    and is kept, so an answer abandoned by a later attempt is still seen."""
    tally = _current.get()
    if tally is None:
        return
    tokens = getattr(response, "usage", None)
    prompt = int(getattr(tokens, "prompt_tokens", 0) or 0)
    completion = int(getattr(tokens, "completion_tokens", 0) or 0)
    choices = getattr(response, "choices", None) or [None]
    tally.usage.prompt_tokens += prompt
    tally.usage.completion_tokens += completion
    tally.usage.calls.append(Call(getattr(response, "id", None), getattr(choices[0], "finish_reason", None),
                                  prompt, completion, tally.chunk))
    tally.completions.append(response)


class EmptyAnswer(Exception):
    """The server answered 200 with an empty 'choices' list: no answer at all, worth another try."""


def _count_failed(exc: Exception) -> None:
    """A request refused with an error status, timed out, cut off or answered with nothing is a call
    too: it is counted."""
    tally = _current.get()
    if tally is None:
        return
    if isinstance(exc, openai.APIStatusError):
        reason = f"http {exc.status_code}"
    elif isinstance(exc, EmptyAnswer):
        reason = "no choices"
    else:
        reason = "timeout" if isinstance(exc, openai.APITimeoutError) else "connection error"
    tally.usage.calls.append(Call(None, reason, 0, 0, tally.chunk))


def _count_retry(retry_state: Any) -> None:
    """tenacity before_sleep: one more try of a request is about to be made."""
    tally = _current.get()
    if tally is not None:
        tally.usage.retries += 1


# A server error whose body says the request itself is wrong (an unsupported response_format, no
# tool calling): asking again cannot help.
_INVALID_REQUEST = re.compile(
    r"response_format|json_schema|json_object|tool_choice|\btools?\b|not\s+supported|unsupported|invalid|"
    r"must\s+be\s+(?:one\s+of|either)|unrecognized|unknown\s+(?:field|parameter)", re.IGNORECASE)


def refusal(exc: BaseException) -> str | None:
    """Why the server refused the request's shape (400, 422, or a 500 that says the request is
    invalid), in its own words; None for any other error (a 401, 403 or 404 is about the endpoint,
    the key or the model, not the request)."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    message = _error_message(exc)
    if exc.status_code in (400, 422) or (exc.status_code >= 500 and _INVALID_REQUEST.search(message)):
        return f"HTTP {exc.status_code}: {message[:300]}"
    return None


def _error_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            return str(error.get("message") or error)
        return str(error)
    return str(body or exc.message or "")


def is_transient(exc: BaseException) -> bool:
    """Errors worth another try: rate limits, server errors, timeouts, dropped connections and empty
    answers; never a request the server refused as invalid."""
    if isinstance(exc, (openai.APIConnectionError, EmptyAnswer)):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        if refusal(exc):
            return False
        return exc.status_code in _RETRYABLE_STATUS or exc.status_code >= 500
    return False


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After or retry-after-ms), capped, or None."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return min(float(ms) / 1000, MAX_RETRY_AFTER)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return min(max(parsed.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER)


class _WaitRetryAfter:
    """Wait what the server asked, else exponential backoff with jitter."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._backoff = wait_exponential_jitter(initial=initial, max=maximum)

    def __call__(self, retry_state: Any) -> float:
        outcome = retry_state.outcome
        asked = retry_after(outcome.exception() if outcome else None)
        return asked if asked is not None else self._backoff(retry_state)


@dataclass
class RetryPolicy:
    """How transient failures are retried: attempts in all, backoff bounds, and the sleep to use."""

    attempts: int = 6
    initial_wait: float = 1.0
    max_wait: float = 60.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def retrying(self) -> AsyncRetrying:
        """A fresh tenacity controller for one request."""
        return AsyncRetrying(
            stop=stop_after_attempt(max(self.attempts, 1)),
            wait=_WaitRetryAfter(self.initial_wait, self.max_wait),
            retry=retry_if_exception(is_transient),
            sleep=self.sleep,
            before_sleep=_count_retry,
            reraise=True,
        )


class SlidingWindow:
    """At most `limit` units (requests, or tokens) in any window of `period` seconds, as providers
    count them: a use is booked when it is sent and can be corrected once its real size is known.

    Unlike a token bucket that starts full, it never lets more than the limit through in a window;
    `margin` seconds are added to the window so requests that reach the server later than they
    left here are still inside the provider's minute."""

    def __init__(self, limit: int, period: float = 60.0, margin: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 ) -> None:
        self.limit, self.window = limit, period + margin
        self._clock, self._sleep = clock, sleep
        self._booked: collections.deque[list[float]] = collections.deque()  # [time, amount], oldest first
        self._used = 0.0
        self._lock = asyncio.Lock()
        self._freed = asyncio.Event()  # set when a booking is settled lower: a waiter may fit now

    def _expire(self, now: float) -> None:
        while self._booked and self._booked[0][0] <= now - self.window:
            self._used -= self._booked.popleft()[1]

    async def acquire(self, amount: float = 1) -> list[float]:
        """Wait until amount more fits in the window, book it, and return the booking (for settle)."""
        amount = min(amount, self.limit)
        async with self._lock:  # first come, first served
            while True:
                now = self._clock()
                self._expire(now)
                if self._used + amount <= self.limit:
                    booking = [now, amount]
                    self._booked.append(booking)
                    self._used += amount
                    return booking
                # wait until enough old bookings leave the window, or a booking is settled lower
                freed, until = self.limit - self._used, now
                for at, booked in self._booked:
                    freed += booked
                    until = at + self.window
                    if freed >= amount:
                        break
                await self._wait(max(until - now, 0.001))

    async def _wait(self, seconds: float) -> None:
        """Sleep for seconds, or until a booking is settled lower, whichever comes first."""
        self._freed.clear()
        settled = asyncio.ensure_future(self._freed.wait())
        slept = asyncio.ensure_future(self._sleep(seconds))
        try:
            await asyncio.wait({settled, slept}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (settled, slept):
                task.cancel()

    def settle(self, booking: list[float], amount: float) -> None:
        """Correct a booking to what was really used (a response's usage; 0 when nothing was sent)."""
        if amount < booking[1]:
            self._freed.set()
        self._used += amount - booking[1]
        booking[1] = amount


class RateLimiter:
    """Optional requests-per-minute and tokens-per-minute limits shared by every call of a run."""

    def __init__(self, *, rpm: int | None = None, tpm: int | None = None, **window: Any) -> None:
        self._requests = SlidingWindow(rpm, **window) if rpm else None
        self._tokens = SlidingWindow(tpm, **window) if tpm else None

    async def acquire(self, tokens: int) -> list[float] | None:
        """Wait until one more request of about `tokens` tokens (prompt and the most it may answer) fits
        under the limits; return the token booking, to settle once the response says what it used."""
        if self._requests:
            await self._requests.acquire()
        return await self._tokens.acquire(tokens) if self._tokens else None

    def settle(self, booking: list[float] | None, used: int) -> None:
        """Count a request's real tokens (prompt plus the completion it used) instead of the estimate."""
        if booking is not None and self._tokens:
            self._tokens.settle(booking, used)


def retrying_create(create: Callable[..., Awaitable[Any]], policy: RetryPolicy, limiter: RateLimiter | None = None,
                    slots: asyncio.Semaphore | None = None) -> Callable[..., Awaitable[Any]]:
    """Wrap the openai client's create so each HTTP attempt takes one of the request slots (only while it
    is on the wire: not while backing off, not while its answer is parsed), is rate-limited, and is
    retried on transient errors."""

    async def create_with_retries(*args: Any, **kwargs: Any) -> Any:
        text = "".join(str(m.get("content", "")) for m in kwargs.get("messages", []))
        estimate = estimate_tokens(text) + int(kwargs.get("max_tokens") or 0)
        async for attempt in policy.retrying():
            with attempt:
                async with slots or contextlib.nullcontext():
                    tally = _current.get()
                    if tally is not None and tally.stop is not None and tally.stop.is_set():
                        raise NotSent("not sent: another chunk of the document failed")
                    response = await _send(create, args, kwargs, limiter, estimate)
                await asyncio.sleep(SEND_FIRST)
                if getattr(response, "choices", None) == []:
                    _count_failed(EmptyAnswer())
                    raise EmptyAnswer("the server answered with an empty 'choices' list")
                return response
        raise AssertionError("unreachable: tenacity reraises the last error")  # pragma: no cover

    return create_with_retries


async def _send(create: Callable[..., Awaitable[Any]], args: tuple[Any, ...], kwargs: dict[str, Any],
                limiter: RateLimiter | None, estimate: int) -> Any:
    """One HTTP attempt within the rate limits; its tokens settled from the response's usage."""
    booking = await limiter.acquire(estimate) if limiter else None
    try:
        response = await create(*args, **kwargs)
    except (openai.APIStatusError, openai.APIConnectionError) as exc:
        _count_failed(exc)
        if limiter:  # a refused request used nothing; one lost on the way may have: keep the estimate
            limiter.settle(booking, 0 if isinstance(exc, openai.APIStatusError) else estimate)
        raise
    if limiter:
        usage = getattr(response, "usage", None)
        used = (getattr(usage, "prompt_tokens", 0) or 0) + (getattr(usage, "completion_tokens", 0) or 0)
        limiter.settle(booking, used or estimate)
    return response
