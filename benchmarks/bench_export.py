"""Does export stream? Time and peak memory of each format, and of review --document, as records grow.

A database of N records is made from the bundled minutes' (run with the rules backend, then
their documents and records copied under new ids, about 109 records per 5 documents). Each
command runs as its own process, so its peak memory (max RSS) is its own; a flat memory column
as N grows is streaming.

With --official FOLDER (the LAIT snapshot, e.g. ../shared/reference/lait), the official figures are
loaded first, so the export also fills the official columns (one OfficialLookup for the whole export).

Run: .venv/bin/python benchmarks/bench_export.py [--official FOLDER] [N ...]  (default: 10000 50000 100000)
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from extractor.pipeline import run_batch
from extractor.store import Store

ROOT = Path(__file__).resolve().parent.parent
KPI = [sys.executable, "-m", "extractor"]


def make_database(path: Path, records: int) -> str:
    """A database of about `records` records; returns the name of one document in it."""
    run_batch([ROOT / "eval" / "corpus"], store=Store(path), backend="rules")
    with sqlite3.connect(path) as db:
        base_documents = db.execute("select id, name from documents").fetchall()
        per_copy = db.execute("select count(*) from records").fetchone()[0]
        for copy in range(1, max(records // per_copy, 1)):
            for document_id, name in base_documents:
                new_id = f"{document_id[:56]}{copy:08d}"
                db.execute("insert into documents (id, name, path, meta, text, encoding, loaded_at, url) "
                           "select ?, ?, path || ?, meta, text, encoding, loaded_at, url from documents where id = ?",
                           (new_id, f"{copy:05d}_{name}", f".{copy}", document_id))
                copied = ("start, [end], indicator, value, unit, period, numerator, denominator, comparisons, "
                          "target_met, trend, suspect, evidence, backend, model, prompt_version, prompt_hash, page, "
                          "indicator_id, indicator_id_method")
                db.execute(f"insert into records (document_id, run_id, {copied}) select ?, run_id, {copied} "
                           "from records where document_id = ?",
                           (new_id, document_id))
        return f"{max(records // per_copy, 1) - 1:05d}_{base_documents[0][1]}"


_MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed(command: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of a command, measured from a fresh parent so the peak is the command's own."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], check=True, capture_output=True, text=True)
    seconds, peak_kb = out.stdout.split()
    return float(seconds), int(peak_kb) / 1024


def main() -> None:
    args = sys.argv[1:]
    official = None
    if args[:1] == ["--official"]:
        official, args = args[1], args[2:]
    sizes = [int(n) for n in args] or [10_000, 50_000, 100_000]
    print(f"{'records':>8} {'command':34} {'seconds':>8} {'peak MB':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "k.db"
            one = make_database(db, size)
            if official:
                from extractor.official_load import load_official

                load_official(Store(db), official)
            records = sqlite3.connect(db).execute("select count(*) from records").fetchone()[0]
            for fmt in ("csv", "jsonl", "json", "xlsx"):
                seconds, peak = timed([*KPI, "export", "--db", str(db), "--format", fmt, "--output",
                                       str(Path(tmp) / f"out.{fmt}")])
                print(f"{records:>8} {'export --format ' + fmt:34} {seconds:>8.2f} {peak:>8.0f}", flush=True)
            seconds, peak = timed([*KPI, "review", "--db", str(db), "--document", one, "--output",
                                   str(Path(tmp) / "review.html")])
            print(f"{records:>8} {'review --document (one of them)':34} {seconds:>8.2f} {peak:>8.0f}", flush=True)
    seconds, peak = timed([sys.executable, "-c", "pass"])
    print(f"(a bare Python process: {seconds:.2f} s, {peak:.0f} MB)")


if __name__ == "__main__":
    main()
