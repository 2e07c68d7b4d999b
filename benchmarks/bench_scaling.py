"""Does the work grow with the input, not its square? Time and memory per MB of one long document,
and time per document of a growing batch.

Each size runs in a fresh process: one text document of that many MB (the bundled minutes,
repeated) goes through `run_batch` with the rules backend into a new database (load, extract,
store), with --max-chars raised to let it through; then the default --max-chars is shown
refusing the largest at once. Then batches of 100 and 400 short documents (one sample each,
numbered) go into one database. Flat 's/MB' and 'ms/doc' columns are linear work.

Run: .venv/bin/python benchmarks/bench_scaling.py [MB ...]     (default: 1 5 25; 25 MB takes minutes)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"


def write_document(folder: Path, megabytes: float) -> Path:
    """A text document of the given size made of the bundled minutes, each copy numbered."""
    sources = [path.read_text("utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    size = int(megabytes * 1_000_000)
    parts, total, copy = [], 0, 0
    while total < size:
        for text in sources:
            part = f"Extract {copy}.\n\n{text}\n\n"
            parts.append(part)
            total += len(part)
            copy += 1
    path = folder / f"minutes_{megabytes:g}mb.txt"
    path.write_text("".join(parts)[:size], "utf-8")
    return path


def measure(path: str, max_chars: int) -> dict:
    """Run one document through run_batch in this process; seconds, records, peak memory."""
    from extractor.pipeline import run_batch
    from extractor.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        summary = run_batch([path], store=Store(Path(tmp) / "bench.db"), max_chars=max_chars)
        seconds = time.perf_counter() - started
    outcome = summary.outcomes[0]
    return {"seconds": seconds, "status": outcome.status, "records": outcome.records, "error": outcome.error,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def in_fresh_process(path: Path, max_chars: int) -> dict:
    code = f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); " \
           f"from bench_scaling import measure; print(json.dumps(measure({str(path)!r}, {max_chars})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def batch(folder: Path, count: int) -> float:
    """Seconds to run count distinct short documents through one run_batch into a new database."""
    from extractor.pipeline import run_batch
    from extractor.store import Store

    sample = (CORPUS / "004_36426df94b734508.txt").read_text("utf-8")
    minutes = folder / f"batch_{count}"
    minutes.mkdir()
    for number in range(count):
        (minutes / f"{number:05d}.txt").write_text(f"Extract {number}.\n\n{sample}", "utf-8")
    started = time.perf_counter()
    summary = run_batch([minutes], store=Store(folder / f"batch_{count}.db"))
    assert summary.count("extracted") == count
    return time.perf_counter() - started


def main() -> None:
    from extractor.documents import MAX_CHARS

    sizes = [float(arg) for arg in sys.argv[1:]] or [1.0, 5.0, 25.0]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'MB':>5} {'seconds':>8} {'s/MB':>6} {'records':>8} {'peak MB':>8}")
        largest = None
        for megabytes in sizes:
            path = write_document(Path(tmp), megabytes)
            largest = path
            result = in_fresh_process(path, max_chars=int(megabytes * 1_000_000) + 1)
            assert result["status"] == "extracted", result
            print(f"{megabytes:5g} {result['seconds']:8.1f} {result['seconds'] / megabytes:6.2f} "
                  f"{result['records']:8d} {result['peak_mb']:8.0f}", flush=True)
        if largest is not None and largest.stat().st_size > MAX_CHARS:
            refused = in_fresh_process(largest, max_chars=MAX_CHARS)
            print(f"default --max-chars {MAX_CHARS:,}: the {largest.stat().st_size / 1e6:g} MB document "
                  f"{refused['status']} in {refused['seconds']:.2f} s: {refused['error'][:120]}")
        print(f"\n{'docs':>5} {'seconds':>8} {'ms/doc':>7}")
        for count in (100, 400):
            seconds = batch(Path(tmp), count)
            print(f"{count:5d} {seconds:8.1f} {1000 * seconds / count:7.1f}", flush=True)


if __name__ == "__main__":
    main()
