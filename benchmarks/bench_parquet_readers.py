"""Which parquet reader to load DfE LAIT's values file with: time, peak memory and install size.

Each reader importable by the given interpreters reads bds_long_0.parquet (641,070 rows, 7 text
columns) into Python tuples, as the loader needs them for SQLite, in a fresh process of its own
so that peak RSS (ru_maxrss) is that reader's alone; rows are streamed in batches of 50,000
and dropped, as the loader does. A reader installed in another virtual
environment is measured by passing that environment's python with --python.

    .venv/bin/python benchmarks/bench_parquet_readers.py [--file PATH] [--repeats 3] [--python PY ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "lait" / "bds_long_0.parquet"
COLUMNS = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number", "Region"]

# Each reader: the distributions it needs, and code that defines `batches`, yielding lists of row
# tuples (as the loader streams them into SQLite, never holding every row at once).
READERS = {
    "pyarrow": (["pyarrow"], """
import pyarrow.parquet as pq
def batches():
    for batch in pq.ParquetFile(FILE).iter_batches(batch_size=50_000, columns=COLUMNS):
        yield list(zip(*(column.to_pylist() for column in batch.columns)))
"""),
    "polars": (["polars", "polars-runtime-32"], """
import polars as pl
def batches():
    frame = pl.read_parquet(FILE, columns=COLUMNS)
    for start in range(0, frame.height, 50_000):
        yield frame.slice(start, 50_000).rows()
"""),
    "duckdb": (["duckdb"], """
import duckdb
def batches():
    cols = ", ".join('"' + c + '"' for c in COLUMNS)
    cursor = duckdb.connect().execute(f"select {cols} from read_parquet(?)", [FILE])
    while chunk := cursor.fetchmany(50_000):
        yield chunk
"""),
    "fastparquet": (["fastparquet", "pandas", "numpy", "cramjam", "fsspec"], """
import fastparquet
def batches():
    for frame in fastparquet.ParquetFile(FILE).iter_row_groups(columns=COLUMNS):
        yield list(frame.itertuples(index=False, name=None))
"""),
}

CHILD = """
import json, resource, sys, time
FILE, COLUMNS, CODE = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
start = time.perf_counter()
exec(CODE)
rows = 0
for batch in batches():
    rows += len(batch)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BASELINE = ("import json, resource\n"
            "print(json.dumps({'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))")


def installed_mb(python: str, distributions: list[str]) -> float | None:
    """Megabytes the distributions' files take in python's environment (None when one is missing)."""
    code = ("import json, sys\nfrom importlib import metadata\ntotal = 0\n"
            "for name in json.loads(sys.argv[1]):\n"
            "    try:\n        files = metadata.distribution(name).files or []\n"
            "    except metadata.PackageNotFoundError:\n        print('null'); raise SystemExit\n"
            "    total += sum(f.locate().stat().st_size for f in files if f.locate().exists())\n"
            "print(total / 1e6)")
    out = subprocess.run([python, "-c", code, json.dumps(distributions)], capture_output=True, text=True)
    return json.loads(out.stdout or "null")


def main() -> None:
    """Measure every reader each interpreter has, and print one line per reader."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", default=str(DEFAULT))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--python", nargs="*", default=[sys.executable])
    args = parser.parse_args()
    print(f"{args.file}: {Path(args.file).stat().st_size / 1e6:.1f} MB on disk")
    print(f"{'reader':<12} {'rows':>8} {'best s':>7} {'runs (s)':<22} {'peak MB':>8} {'interp MB':>9} "
          f"{'install MB':>10}")
    for python in args.python:
        base = json.loads(subprocess.run([python, "-c", BASELINE], capture_output=True, text=True).stdout)
        for name, (distributions, code) in READERS.items():
            size = installed_mb(python, distributions)
            if size is None:
                continue
            runs = []
            for _ in range(args.repeats):
                result = subprocess.run([python, "-c", CHILD, args.file, json.dumps(COLUMNS), code],
                                        capture_output=True, text=True)
                if result.returncode:
                    print(f"{name}: failed\n{result.stderr[-2000:]}")
                    break
                runs.append(json.loads(result.stdout))
            if runs:
                seconds = [r["seconds"] for r in runs]
                each = " ".join(f"{s:.2f}" for s in seconds)
                print(f"{name:<12} {runs[0]['rows']:>8} {min(seconds):>7.2f} {each:<22} "
                      f"{max(r['peak_mb'] for r in runs):>8.0f} {base['peak_mb']:>9.0f} {size:>10.0f}")


if __name__ == "__main__":
    main()
