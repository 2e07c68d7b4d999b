"""`kpi-extract official load` on the LAIT snapshot: wall and CPU seconds, peak memory, database size.

Each load runs in a fresh process (so peak RSS is the load's alone) into a new database: the whole
snapshot (641,070 values), a second load over it (replacing), and a load of two measures (--measures).

    .venv/bin/python benchmarks/bench_official_load.py [--source ../shared/reference/lait] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "lait"

CHILD = """
import json, resource, sys, time
from extractor.store import Store
from extractor.official_load import load_official
db, source, measures, twice = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4] == "1"
store = Store(db)
if twice:
    load_official(store, source, measures=measures)
usage = resource.getrusage(resource.RUSAGE_SELF)
start, cpu = time.perf_counter(), usage.ru_utime + usage.ru_stime
summary = load_official(store, source, measures=measures)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime - cpu,
                  "values": summary.values, "peak_mb": usage.ru_maxrss / 1024}))
"""


def main() -> None:
    """Print one line per kind of load: values, best wall seconds, CPU seconds, peak MB, database MB."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=str(DEFAULT))
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'load':<22} {'values':>8} {'best s':>7} {'cpu s':>6} {'peak MB':>8} {'db MB':>6}")
    for label, measures, twice in (("whole snapshot", None, False), ("again, replacing", None, True),
                                   ("--measures LACnum,LAC", ["LACnum", "LAC"], False)):
        runs = []
        for _ in range(args.repeats):
            with tempfile.TemporaryDirectory() as scratch:
                db = Path(scratch) / "kpis.db"
                done = subprocess.run([sys.executable, "-c", CHILD, str(db), args.source, json.dumps(measures),
                                       "1" if twice else "0"], capture_output=True, text=True)
                if done.returncode:
                    sys.exit(done.stderr[-2000:])
                result = json.loads(done.stdout)
                result["db_mb"] = sum(p.stat().st_size for p in Path(scratch).iterdir()) / 1e6
                runs.append(result)
        best = min(runs, key=lambda r: r["seconds"])
        print(f"{label:<22} {best['values']:>8} {best['seconds']:>7.2f} {best['cpu']:>6.2f} "
              f"{max(r['peak_mb'] for r in runs):>8.0f} {best['db_mb']:>6.1f}")


if __name__ == "__main__":
    main()
