"""What does running again over minutes already processed cost? Time and model calls.

1,000 documents (bundled and development minutes, varied) are extracted once with the model
backend against the stub (no latency), then the same command runs again: every document is
unchanged, so it is skipped, with no model call. Also for the rules backend, and `import
extractor` (what every command pays first).

Run: .venv/bin/python benchmarks/bench_rerun.py [--documents 1000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stub import stub_process, write_corpus

from extractor.backends.model import LLMSettings
from extractor.pipeline import run_batch
from extractor.store import Store


def _import_seconds(module: str) -> float:
    """Seconds a fresh interpreter takes to import module (less the interpreter's own start)."""
    def timed(code: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            best = min(best, time.perf_counter() - started)
        return best
    return timed(f"import {module}") - timed("pass")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        write_corpus(folder, args.documents)
        with stub_process("--answers", "fast") as base_url:
            settings = LLMSettings(base_url=base_url, model="stub", mode="tools", concurrency=16)
            for backend, options in (("openai", settings), ("rules", None)):
                store = Store(Path(tmp) / f"{backend}.db")
                started = time.perf_counter()
                first = run_batch([folder], store=store, backend=backend, options=options)
                took = time.perf_counter() - started
                started = time.perf_counter()
                again = run_batch([folder], store=store, backend=backend, options=options)
                rerun = time.perf_counter() - started
                print(f"{backend:6}: first run {took:.1f} s ({first.count('extracted')} extracted, "
                      f"{len(first.usage.calls)} model calls); re-run {rerun:.2f} s "
                      f"({again.count('skipped')} skipped, {len(again.usage.calls)} model calls, "
                      f"{rerun / args.documents * 1000:.2f} ms a document)")
    print(f"import extractor: {_import_seconds('extractor'):.2f} s; "
          f"import extractor.backends.llm (the model backend): {_import_seconds('extractor.backends.llm'):.2f} s")


if __name__ == "__main__":
    main()
