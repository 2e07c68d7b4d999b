"""The canonical mapper alone, on an oracle: gold records' own indicator, evidence and unit.

Extraction is taken out: every gold record (of a gold folder, or one half of a split) is given to
canonical.decide_indicator_id as it was labelled, and its id compared with the gold id. Prints
accuracy over records (null equals null), precision / recall / F1 over ids (a decided id is right
when it equals the gold's), the methods used, and, unless the half is held out, each disagreement.

    .venv/bin/python benchmarks/bench_mapper.py                       # dev corpus, tune half
    .venv/bin/python benchmarks/bench_mapper.py --half check          # headline only
    .venv/bin/python benchmarks/bench_mapper.py --gold eval/gold --split '' --half ''
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.canonical import decide_indicator_id  # noqa: E402
from extractor.evaluate import carries_ids, prf, ratio, split_documents  # noqa: E402
from extractor.goldcheck import load_result_file  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev"
NO_MODEL = ("No model is asked for ids: the mapper decides alone. A model may be asked only if its measured "
            "result on this oracle and its token cost justify it; none is reachable here. A backend may "
            "offer an id ('suggested'), which the mapper's rules confirm or refuse.")


def main(argv: list[str] | None = None) -> int:
    """Run the mapper on every gold record of the chosen files and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(DEV / "gold"), help="folder of gold kpi-records/1 files")
    parser.add_argument("--split", default=str(DEV / "split.csv"), help="split CSV ('' for every file)")
    parser.add_argument("--half", default="tune", help="half of --split to use ('' for every file)")
    args = parser.parse_args(argv)
    files = sorted(Path(args.gold).glob("*.json"))
    if args.split and args.half:
        chosen = split_documents(args.split, args.half)
        files = [f for f in files if f"{f.stem}.txt" in chosen or f.name in chosen
                 or any(Path(c).stem == f.stem for c in chosen)]
    records = [r for f in files for r in load_result_file(f).records if carries_ids(r)]
    print(f"{args.gold} {'half ' + args.half if args.half and args.split else '(all files)'}: "
          f"{len(files)} files, {len(records)} gold records carrying indicator_id")
    print(NO_MODEL)
    if not records:
        print("no gold record carries indicator_id: nothing to measure")
        return 0
    decide_indicator_id("children in care", unit="count")  # the catalogue's wordings read once, before timing
    started = time.perf_counter()
    decided = [decide_indicator_id(r.indicator, evidence=r.evidence, unit=r.unit) for r in records]
    per_record = (time.perf_counter() - started) / len(records) * 1000
    equal = sum(d.indicator_id == r.indicator_id for d, r in zip(decided, records, strict=True))
    right = sum(d.indicator_id is not None and d.indicator_id == r.indicator_id
                for d, r in zip(decided, records, strict=True))
    scores = prf(right, sum(d.indicator_id is not None for d in decided),
                 sum(r.indicator_id is not None for r in records))
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    print(f"accuracy over records (null == null): {fmt(ratio(equal, len(records)))} ({equal}/{len(records)})")
    print(f"ids: precision {fmt(scores['precision'])}  recall {fmt(scores['recall'])}  f1 {fmt(scores['f1'])}")
    print("methods: " + ", ".join(f"{m} {n}" for m, n in Counter(d.method for d in decided).most_common()))
    print(f"time: {per_record:.2f} ms a record, the catalogue's wordings read once before")
    if args.half == "check":
        print("(held-out half: headline only, no confusion list)")
        return 0
    wrong = [(r, d) for r, d in zip(records, decided, strict=True) if r.indicator_id != d.indicator_id]
    print(f"confusions ({len(wrong)}): gold -> decided [method] indicator | unit | evidence")
    for record, decision in wrong:
        print(f"  {record.indicator_id} -> {decision.indicator_id} [{decision.method}] {record.indicator!r} | "
              f"{record.unit} | {record.evidence[:110]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
