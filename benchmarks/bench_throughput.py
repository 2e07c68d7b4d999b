"""Does kpi-extract keep as many requests in flight as it is allowed? Wall time against the ideal.

N documents (bundled and development minutes, varied so none repeats) go through the model
backend against the stub in its own process, answering each request after L seconds. The ideal
wall time is calls x L / concurrency (every slot busy all the time); the ratio shows what our own
work (validation, grounding, storing, the event loop) adds. A setting whose ideal is short is run
--repeats times into fresh databases (the machine's noise is a larger share of a short run) and
its median reported, with every run's ratio.

Run: .venv/bin/python benchmarks/bench_throughput.py [--documents 200] [--latency 0.5]
                                                      [--concurrency 1 4 8 16 32 64] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from stub import stub_process, write_corpus

from extractor.backends.model import LLMSettings
from extractor.pipeline import run_batch
from extractor.store import Store

REPEAT_BELOW = 30.0  # seconds of ideal wall time under which a setting is repeated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8, 16, 32, 64])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp) / "docs", args.documents)
        print(f"{args.documents} documents, stub latency {args.latency} s per request (stub in its own process)")
        print(f"{'concurrency':>11} {'calls':>6} {'seconds':>8} {'ideal':>7} {'ratio':>6} {'docs/s':>7}  "
              "every run's ratio")
        runs = 0
        with stub_process("--latency", str(args.latency), "--answers", "fast") as base_url:
            for concurrency in args.concurrency:
                ratios, times = [], []
                while True:
                    runs += 1
                    settings = LLMSettings(base_url=base_url, model="stub", mode="tools", concurrency=concurrency)
                    store = Store(Path(tmp) / f"run{runs}.db")
                    started = time.perf_counter()
                    summary = run_batch([Path(tmp) / "docs"], store=store, backend="openai", options=settings)
                    elapsed = time.perf_counter() - started
                    assert summary.failed == 0, [o.error for o in summary.outcomes if o.error][:3]
                    calls = len(summary.usage.calls)
                    ideal = calls * args.latency / concurrency
                    ratios.append(elapsed / ideal)
                    times.append(elapsed)
                    if ideal >= REPEAT_BELOW or len(ratios) >= args.repeats:
                        break
                seconds = statistics.median(times)
                print(f"{concurrency:>11} {calls:>6} {seconds:>8.1f} {ideal:>7.1f} {seconds / ideal:>6.2f} "
                      f"{args.documents / seconds:>7.1f}  {' '.join(f'{r:.2f}' for r in ratios)}", flush=True)


if __name__ == "__main__":
    main()
