"""A batch of N documents through batch submit and collect against the stub's Batch API: the records equal
a live run's, collect's wall time for N answers, and its memory (peak Python allocations, traced) at two
sizes, to show it does not grow with the batch.

The stub runs in its own process and answers with its cheap 'fast' records (one per sentence with a
number) so that what is timed is kpi-extract, not the stub's rules.

Run: .venv/bin/python benchmarks/bench_batch.py [N ...]   (default 250 1000)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from stub import stub_process, write_corpus

from extractor.backends.model import LLMSettings
from extractor.batch import submit
from extractor.batch_collect import collect
from extractor.pipeline import run_batch
from extractor.store import Store


async def _no_sleep(seconds: float) -> None:
    return None


def _records(store: Store) -> list[tuple]:
    return sorted(store.db.execute(
        'select document_id, indicator, value, unit, evidence, start, "end" from records').fetchall(), key=repr)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [250, 1000]
    with stub_process("--answers", "fast") as base_url, tempfile.TemporaryDirectory() as tmp:
        print("documents  pack  requests  submit s  collect s  answers/s  peak MB (collect)  records  equal to live")
        for size in sizes:
            files = write_corpus(Path(tmp) / f"docs{size}", size)
            live = Store(Path(tmp) / f"live{size}.db")
            run_batch(files, store=live, backend="openai", options=LLMSettings(base_url=base_url, mode="tools",
                                                                               concurrency=16))
            expected = _records(live)
            for pack in (0, 2000):
                store = Store(Path(tmp) / f"batch{size}-{pack}.db")
                settings = LLMSettings(base_url=base_url, mode="tools", pack_tokens=pack)
                started = time.perf_counter()
                sent = submit(files, store=store, options=settings)
                submitted = time.perf_counter() - started
                tracemalloc.start()
                started = time.perf_counter()
                done = collect(store, options={"base_url": base_url}, wait=True, sleep=_no_sleep, poll_seconds=1)
                took = time.perf_counter() - started
                peak = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
                assert done and done[0].status == "completed" and done[0].summary and not done[0].summary.failed
                got = _records(store)
                print(f"{size:9}  {pack:4}  {sent.requests:8}  {submitted:8.1f}  {took:9.1f}  "
                      f"{sent.requests / took:9.0f}  {peak:17.1f}  {len(got):7}  {got == expected}")


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    sys.exit(main())
