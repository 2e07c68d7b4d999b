"""Reading scanned PDF pages: pypdfium2 renders a page, Tesseract reads it (the optional 'ocr' extra).

Tesseract is driven through pytesseract, a thin wrapper that runs the `tesseract` program Debian's
tesseract-ocr installs: a wheel with no compiler or library headers needed (tesserocr binds
libtesseract and must be built against it). Starting the program costs a few milliseconds a page,
nothing beside the second or more that reading a page takes (BENCHMARKS.md, benchmarks/bench_ocr.py).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from .errors import ConfigError, InputError, fix_hint
from .numbers import ocr_digits

MODES = ("auto", "always", "never")
DPI = 300  # Tesseract reads best at 300 dots per inch; lower loses small print, higher only costs time
INSTALL = ("install tesseract-ocr (Debian/Ubuntu: apt-get install tesseract-ocr) and the OCR extra "
           "(pip install 'kpi-extract[ocr]')")
# A word broken at a line's end by a hyphen, as OCR leaves it: 'fos-\ntering'.
_BROKEN_WORD = re.compile(r"(?<=[a-z])-\n(?=[a-z])")
_SPACES = re.compile(r"[ \t]+\n")


def engine_problem() -> str | None:
    """Why pages cannot be read by OCR here (a missing module or program), or None when they can."""
    try:
        import pypdfium2  # noqa: F401
        import pytesseract
    except ImportError as exc:
        return f"the OCR extra is not installed ({exc.name} is missing)"
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return "the tesseract program is not installed"
    return None


def check_mode(mode: str) -> None:
    """Raise ConfigError, naming the fix, when mode is not one of MODES or asks for an engine that is missing
    ('always'); 'auto' reads pages by OCR only when it can."""
    if mode not in MODES:
        raise ConfigError(fix_hint(f"--ocr {mode!r} is not a mode", "pass --ocr auto, always or never"))
    if mode == "always":
        problem = engine_problem()
        if problem:
            raise ConfigError(fix_hint(f"--ocr always reads every page by OCR, but {problem}",
                                       f"{INSTALL}, or pass --ocr auto or --ocr never"))


def no_text_layer(path: object, mode: str, *, read: bool) -> InputError:
    """The error for a PDF without any text, naming the fix: read is whether OCR read its pages."""
    if read:
        return InputError(fix_hint(f"{path}: the PDF has no text layer and OCR found no text on its pages",
                                   "check the scan (blank, or too faint to read), or leave it out of the batch"))
    problem = engine_problem()
    if mode == "never":
        fix = "pass --ocr auto to read it by OCR" + ("" if problem is None else f" ({INSTALL} first)")
        return InputError(fix_hint(f"{path}: the PDF has no text layer (a scan?)", fix))
    if problem is None:  # nothing to read: no image on any page
        return InputError(fix_hint(f"{path}: the PDF has no text layer and no image to read by OCR",
                                   "check the download or export that made it, or leave it out of the batch"))
    return InputError(fix_hint(f"{path}: the PDF has no text layer (a scan?) and {problem}",
                               f"{INSTALL} to read it by OCR"))


def read_pages(raw: bytes, pages: Iterable[int], *, dpi: int = DPI) -> dict[int, str]:
    """The text Tesseract reads on each of a PDF's pages (0-based numbers), rendered at dpi; digits
    OCR read as letters mended where the number reader can tell (numbers.ocr_digits).

    Pages are rendered one at a time (pdfium is not thread-safe) and read a page per CPU at once, each
    tesseract on one thread (OMP_THREAD_LIMIT=1 unless set: its own threads fight over the CPUs and
    cost four times the time on two)."""
    import pypdfium2
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    document = pypdfium2.PdfDocument(raw)
    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            futures = {}
            for number in pages:
                page = document[number]
                try:
                    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
                finally:
                    page.close()
                futures[number] = pool.submit(pytesseract.image_to_string, image, lang="eng")
            return {number: clean(future.result()) for number, future in futures.items()}
    finally:
        document.close()


def clean(text: str) -> str:
    """OCR text as the rest of the tool reads text: words broken at line ends joined, trailing spaces
    and form feeds gone, digits read as letters mended."""
    text = _SPACES.sub("\n", text.replace("\x0c", "")).strip()
    text = _BROKEN_WORD.sub("", text)
    return ocr_digits(text)
