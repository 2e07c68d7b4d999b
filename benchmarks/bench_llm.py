"""Throughput of the openai backend's plumbing: concurrency against a stub with a fixed latency.

The stub (tests/openai_stub.py) answers after LATENCY seconds, standing in for a model's
response time; the figures show what --concurrency buys and what the client itself costs,
not how fast any real model is.

Run: .venv/bin/python benchmarks/bench_llm.py [COPIES] [LATENCY]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from openai_stub import StubServer  # noqa: E402

from extractor.backends.model import LLMSettings  # noqa: E402
from extractor.pipeline import run_batch  # noqa: E402
from extractor.store import Store  # noqa: E402


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    latency = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for copy in range(copies):  # distinct content, so no document is skipped as unchanged
            for path in sorted((ROOT / "eval" / "corpus").glob("*.txt")):
                text = path.read_text("utf-8")
                (folder / f"{copy}_{path.name}").write_text(f"{text}\n\nCopy {copy}.\n", "utf-8")
        documents = len(list(folder.iterdir()))
        print(f"{documents} documents, stub latency {latency} s per request")
        with StubServer(latency=latency) as stub:
            for concurrency in (1, 8):
                settings = LLMSettings(base_url=stub.base_url, concurrency=concurrency, cache=False)
                store = Store(Path(tmp) / f"c{concurrency}.db")
                start = time.perf_counter()
                summary = run_batch([folder], store=store, backend="openai", options=settings)
                elapsed = time.perf_counter() - start
                usage = summary.usage
                print(f"--concurrency {concurrency}: {elapsed:.2f} s, {documents / elapsed:.2f} documents/s, "
                      f"{len(usage.calls)} calls, {usage.prompt_tokens + usage.completion_tokens:,} tokens, "
                      f"{summary.count('extracted')} extracted")
            settings = LLMSettings(base_url=stub.base_url, concurrency=8)
            start = time.perf_counter()
            summary = run_batch([folder], store=store, backend="openai", options=settings, force=True)
            print(f"cached re-run (--force): {time.perf_counter() - start:.2f} s, {len(summary.usage.calls)} calls")


if __name__ == "__main__":
    main()
