"""Write extractor/data/lait_authorities.csv from DfE LAIT's la_code_list.xlsx (run once per LAIT list).

The name table that resolves authorities as minutes print them (extractor/authorities.py) starts
from LAIT's own names, so that a resolved authority is one whose official figures can be looked
up. Each row: la_number, name (as LAIT prints it), region (as LAIT prints it), type (LAIT's:
OLB, ILB, MD, UA, SC; NA for England and the regions). The hand-written variants (`Hull`, `County
Durham`, `MBC`, ...) live in extractor/authorities.py, not here.

    .venv/bin/python scripts/make_authorities_csv.py [../shared/reference/lait/la_code_list.xlsx]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "reference" / "lait" / "la_code_list.xlsx"
TARGET = ROOT / "extractor" / "data" / "lait_authorities.csv"


def main() -> None:
    """Read the LA code list and write the CSV, in LA number order."""
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    header = [str(cell).strip() for cell in rows[0]]
    wanted = [header.index(name) for name in ("LA Number", "LA Name", "Region", "Type")]
    table = []
    for row in rows[1:]:
        number, name, region, kind = (row[i] for i in wanted)
        if number is None or name is None or "discontinued" in str(name):
            continue
        table.append((int(number), str(name).strip(), str(region).strip(), str(kind).strip()))
    table.sort()
    with TARGET.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["la_number", "name", "region", "type"])
        writer.writerows(table)
    print(f"wrote {len(table)} rows to {TARGET.relative_to(ROOT)} from {source}")


if __name__ == "__main__":
    main()
