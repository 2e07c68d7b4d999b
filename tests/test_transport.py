import asyncio
import email.utils
import time
from types import SimpleNamespace

import httpx
import openai
import pytest

from extractor.transport import (
    MAX_RETRY_AFTER,
    NotSent,
    RateLimiter,
    RetryPolicy,
    SlidingWindow,
    Usage,
    counting,
    is_transient,
    on_completion,
    refusal,
    retry_after,
    retrying_create,
    stop_counting,
)

REQUEST = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")


def _status_error(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    response = httpx.Response(status, headers=headers or {}, request=REQUEST, json={"error": {"message": "x"}})
    kind = {429: openai.RateLimitError, 500: openai.InternalServerError, 400: openai.BadRequestError}[status]
    return kind("x", response=response, body=None)


def test_transient_errors_are_rate_limits_server_errors_timeouts_and_connections():
    assert is_transient(_status_error(429)) and is_transient(_status_error(500))
    assert is_transient(openai.APITimeoutError(request=REQUEST))
    assert is_transient(openai.APIConnectionError(request=REQUEST))
    assert not is_transient(_status_error(400)) and not is_transient(ValueError("x"))


def test_retry_after_reads_seconds_milliseconds_and_http_dates_and_is_capped():
    assert retry_after(_status_error(429, {"retry-after": "3"})) == 3.0
    assert retry_after(_status_error(429, {"retry-after-ms": "250"})) == 0.25
    assert retry_after(_status_error(429, {"retry-after": "86400"})) == MAX_RETRY_AFTER
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after(_status_error(429, {"retry-after": later})) <= 31
    assert retry_after(_status_error(500)) is None and retry_after(ValueError()) is None


def _run(create, policy):
    return asyncio.run(retrying_create(create, policy)(messages=[{"role": "user", "content": "hi"}]))


def test_the_retry_layer_honours_retry_after_then_backs_off_then_gives_up():
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    errors = [_status_error(429, {"retry-after": "7"}), _status_error(500), _status_error(500)]

    async def create(**kwargs):
        raise errors.pop(0)

    with pytest.raises(openai.InternalServerError):
        _run(create, RetryPolicy(attempts=3, initial_wait=1.0, max_wait=10.0, sleep=sleep))
    assert waits[0] == 7.0 and 0 < waits[1] <= 10.0 and len(waits) == 2


def test_a_client_error_is_not_retried():
    calls = []

    async def create(**kwargs):
        calls.append(1)
        raise _status_error(400)

    with pytest.raises(openai.BadRequestError):
        _run(create, RetryPolicy(attempts=5))
    assert len(calls) == 1


def test_the_usage_hook_counts_every_attempt_into_the_current_task_only():
    usage = Usage()
    response = SimpleNamespace(id="c1", usage=SimpleNamespace(prompt_tokens=100, completion_tokens=20),
                               choices=[SimpleNamespace(finish_reason="length")])
    on_completion(response)  # nothing is counting: ignored
    tally, token = counting(usage, chunk=3)
    on_completion(response)
    on_completion(response)
    stop_counting(token)
    on_completion(response)
    assert (usage.prompt_tokens, usage.completion_tokens, len(usage.calls)) == (200, 40, 2)
    assert usage.calls[0].finish_reason == "length" and usage.calls[0].chunk == 3
    assert tally.completions == [response, response]  # every attempt's raw answer is kept for accounting
    assert usage.cost(0.15, 0.60) == pytest.approx((200 * 0.15 + 40 * 0.60) / 1e6)
    assert usage.cost(None, None) is None


def test_each_attempt_waits_for_the_rate_limiter_with_its_token_estimate():
    asked: list[int] = []

    class Limiter:
        async def acquire(self, tokens: int) -> None:
            asked.append(tokens)

        def settle(self, booking, used: int) -> None:
            pass

    errors = [_status_error(500)]

    async def create(**kwargs):
        if errors:
            raise errors.pop()
        return "answer"

    async def no_sleep(seconds: float) -> None:
        pass

    wrapped = retrying_create(create, RetryPolicy(attempts=2, sleep=no_sleep), Limiter())
    answer = asyncio.run(wrapped(messages=[{"role": "user", "content": "x" * 400}], max_tokens=50))
    assert answer == "answer" and asked == [150, 150]  # 400 characters ~ 100 tokens, plus max_tokens


def test_the_rate_limiter_lets_a_burst_within_its_limits_through():
    limiter = RateLimiter(rpm=3, tpm=1000)

    async def burst() -> None:
        for _ in range(3):
            await asyncio.wait_for(limiter.acquire(200), timeout=1)

    asyncio.run(burst())


class _Clock:
    """A clock that sleeping moves on, so a minute of rate limiting takes no time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_window_never_lets_more_than_the_limit_through_in_any_minute_and_keeps_close_to_it():
    clock = _Clock()
    window = SlidingWindow(120, clock=clock, sleep=clock.sleep)

    async def requests() -> list[float]:
        sent = []
        for _ in range(600):
            await window.acquire()
            sent.append(clock.now)
        return sent

    sent = asyncio.run(requests())
    # the provider's view: no 60 s window holds more than 120 (so no 429), however it is placed
    assert max(sum(1 for t in sent if start <= t < start + 60) for start in sent) <= 120
    assert 600 / (sent[-1] / 60 + 1) >= 0.95 * 120  # requests per minute over the run, from the first minute


def test_tokens_are_settled_to_what_the_response_used():
    clock = _Clock()
    window = SlidingWindow(1000, clock=clock, sleep=clock.sleep)

    async def flow() -> float:
        first = await window.acquire(900)  # prompt estimate plus max_tokens
        window.settle(first, 300)  # the response used less
        await window.acquire(600)  # fits now, without waiting
        return clock.now

    assert asyncio.run(flow()) == 0.0


def _refusal_error(status: int, message: str) -> openai.APIStatusError:
    response = httpx.Response(status, request=REQUEST, json={"error": {"message": message}})
    return openai.APIStatusError(message, response=response, body={"error": {"message": message}})


@pytest.mark.parametrize(
    ("status", "message", "refused"),
    [
        (500, "response_format type must be one of text, json_object", True),
        (400, "tools are not supported by this model", True),
        (422, "unprocessable", True),
        (500, "CUDA out of memory", False),
        (503, "overloaded", False),
        (429, "rate limited", False),
    ],
)
def test_a_refused_request_shape_is_never_retried(status, message, refused):
    error = _refusal_error(status, message)
    assert (refusal(error) is not None) is refused
    assert is_transient(error) is (not refused and status >= 429)


def test_a_refused_request_still_counts_as_a_call():
    usage = Usage()
    calls = 0

    async def create(**_: object) -> object:
        nonlocal calls
        calls += 1
        raise _refusal_error(500, "response_format type must be one of text, json_object")

    tally, token = counting(usage, chunk=1)
    try:
        with pytest.raises(openai.APIStatusError):
            _run(create, RetryPolicy(attempts=5))
    finally:
        stop_counting(token)
    assert calls == 1 and [(c.finish_reason, c.chunk) for c in usage.calls] == [("http 500", 1)]


def test_a_waiter_goes_as_soon_as_a_booking_is_settled_lower_not_when_the_minute_ends():
    async def flow() -> None:
        window = SlidingWindow(1000)
        first = await window.acquire(900)  # booked at send: prompt plus max_tokens
        waiting = asyncio.ensure_future(window.acquire(600))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        window.settle(first, 300)  # the answer used less
        await asyncio.wait_for(waiting, timeout=1)

    asyncio.run(flow())


def test_a_request_holds_a_slot_only_while_on_the_wire_and_is_not_sent_once_its_document_failed():
    on_wire, peak, log = 0, 0, []

    async def create(**kwargs):
        nonlocal on_wire, peak
        on_wire += 1
        peak = max(peak, on_wire)
        await asyncio.sleep(0.01)
        on_wire -= 1
        log.append(kwargs["messages"][0]["content"])
        return SimpleNamespace(choices=[object()])

    async def main():
        slots = asyncio.Semaphore(2)
        send = retrying_create(create, RetryPolicy(attempts=1), slots=slots)
        stop = asyncio.Event()

        async def ask(n: int, stopped: asyncio.Event | None = None):
            _, token = counting(Usage(), chunk=n, stop=stopped)
            try:
                return await send(messages=[{"role": "user", "content": str(n)}])
            finally:
                stop_counting(token)

        await asyncio.gather(*(ask(n) for n in range(6)))
        answered = await ask(6)  # a slot is free again as soon as the answer is back (nothing parses it here)
        assert answered.choices
        stop.set()
        with pytest.raises(NotSent):
            await ask(7, stop)

    asyncio.run(main())
    assert peak == 2 and sorted(log) == [str(n) for n in range(7)]
