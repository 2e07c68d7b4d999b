"""What reading a scan by OCR costs: seconds per page, and how much of the known text comes back.

Pages of invented minutes (each about 30 lines of 11-point text, as committee minutes are set) are
drawn as images with Pillow at 200 dpi and put in an image-only PDF with fpdf2 (as a scanner makes
them); kpi-extract reads them (extractor/ocr.py: pypdfium2 renders each page at the DPI given,
pytesseract runs Debian's tesseract). Printed: seconds per page at each DPI, and the share of the
known lines found intact. Needs the OCR extra and tesseract-ocr (make test installs both where it can).
Run: .venv/bin/python benchmarks/bench_ocr.py [pages]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

LINES = [
    "There were {n} children in care at the end of the quarter, up from {m} last year.",
    "{p}% of reviews of children in care were held within timescales.",
    "The service approved {n} new foster carers, against a target of {m}.",
    "{p}% of care leavers aged 19 to 21 were in suitable accommodation.",
    "Re-referrals to children's social care within twelve months were {p}%.",
    "Caseloads averaged {n} children per social worker in the locality teams.",
]


def page_lines(page: int) -> list[str]:
    """About 30 lines of invented minutes, their figures varying with the page."""
    return [LINES[i % len(LINES)].format(n=100 + 7 * i + page, m=90 + 3 * i, p=50 + (i * 7 + page) % 50)
            for i in range(30)]


def main() -> None:
    """Print OCR seconds per page at 200 and 300 dpi (300 is the tool's) on this machine."""
    from pdfs import pdf_with_scans

    from extractor import ocr

    problem = ocr.engine_problem()
    if problem:
        sys.exit(f"cannot measure: {problem}")
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    import pytesseract

    print(f"tesseract {pytesseract.get_tesseract_version()}, {os.cpu_count()} CPUs, {pages} pages of ~30 lines")
    with TemporaryDirectory() as folder:
        path = pdf_with_scans(Path(folder) / "scan.pdf", [page_lines(p) for p in range(pages)],
                              scanned=set(range(1, pages + 1)))
        raw = path.read_bytes()
        for dpi in (200, ocr.DPI):
            started = time.perf_counter()
            read = ocr.read_pages(raw, range(pages), dpi=dpi)
            seconds = (time.perf_counter() - started) / pages
            found = sum(" ".join(line.split()) in " ".join(read[p].split()) for p in range(pages)
                        for line in page_lines(p))
            print(f"{dpi} dpi: {seconds:.2f} s per page; {found}/{30 * pages} lines read intact")


if __name__ == "__main__":
    main()
