"""Throughput of the rules backend: documents and characters per second over the bundled corpus.

Run: .venv/bin/python benchmarks/bench_rules.py [REPEATS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from extractor.backends.rules import extract
from extractor.documents import load_document

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    documents = [load_document(path) for path in sorted(CORPUS.glob("*.txt"))]
    characters = sum(len(d.text) for d in documents)
    start = time.perf_counter()
    records = 0
    for _ in range(repeats):
        for document in documents:
            records += len(extract(document).records)
    elapsed = time.perf_counter() - start
    runs = repeats * len(documents)
    print(f"{runs} documents ({characters * repeats} characters) in {elapsed:.2f} s")
    print(f"{runs / elapsed:.1f} documents/s, {characters * repeats / elapsed / 1000:.0f} k characters/s, "
          f"{records / repeats:.0f} records per pass")


if __name__ == "__main__":
    main()
