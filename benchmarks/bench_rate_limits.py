"""Does --rpm / --tpm use what the provider allows, without provoking a 429?

The stub (its own process) enforces the limit over any sliding minute and answers 429 with
Retry-After past it, as providers do. kpi-extract runs a batch with more demand than the limit
allows (--concurrency 32, a 0.2 s latency) with the same --rpm or --tpm. Printed: requests (or
tokens, counted as the provider does: prompt plus the completion used) in each whole minute
from the first request, as a share of the limit, and the 429s the stub sent.

Run: .venv/bin/python benchmarks/bench_rate_limits.py [--rpm 120] [--tpm 150000] [--minutes 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from stub import stub_process, stub_stats, write_corpus

from extractor.backends.model import LLMSettings
from extractor.pipeline import run_batch
from extractor.store import Store

_TOKENS_PER_DOCUMENT = 3000  # about what one document's requests use (prompt and answer), to size the batch


def run(kind: str, limit: int, minutes: float, folder: Path) -> None:
    """One batch (one run: one limiter) against a stub enforcing limit, sized to last about minutes."""
    per_minute = limit if kind == "rpm" else limit / _TOKENS_PER_DOCUMENT
    documents = sorted((folder / "docs").glob("*.txt"))[: int(per_minute * (minutes + 0.5))]
    with stub_process("--latency", "0.2", "--answers", "fast", f"--{kind}", str(limit)) as base_url:
        settings = LLMSettings(base_url=base_url, model="stub", mode="tools", concurrency=32, **{kind: limit})
        started = time.monotonic()
        run_batch(documents, store=Store(folder / f"{kind}.db"), backend="openai", options=settings)
        print(f"{len(documents)} documents in {time.monotonic() - started:.0f} s")
        stats = stub_stats(base_url)
    admitted = stats["admitted"]
    first = admitted[0][0]
    whole = int((admitted[-1][0] - first) // 60)
    print(f"--{kind} {limit}: {len(admitted)} requests admitted, {stats['rejected']} refused with 429")
    for minute in range(whole):
        inside = [tokens for at, tokens in admitted if first + 60 * minute <= at < first + 60 * (minute + 1)]
        used = len(inside) if kind == "rpm" else sum(inside)
        print(f"  minute {minute + 1}: {used:,} {'requests' if kind == 'rpm' else 'tokens'} = {used / limit:.1%} "
              f"of the limit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rpm", type=int, default=120)
    parser.add_argument("--tpm", type=int, default=150_000)
    parser.add_argument("--minutes", type=float, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_corpus(folder / "docs", 2000)
        if args.rpm:
            run("rpm", args.rpm, args.minutes, folder)
        if args.tpm:
            run("tpm", args.tpm, args.minutes, folder)


if __name__ == "__main__":
    main()
