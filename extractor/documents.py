"""Load minutes from .txt, .html, .pdf and .docx into plain text with a stable content id."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, fix_hint

SUPPORTED = (".txt", ".text", ".md", ".html", ".htm", ".pdf", ".docx")
_TEXT_SUFFIXES = (".txt", ".text", ".md")
_FALLBACK_ENCODINGS = ("cp1252", "latin-1")
# The longest text a document may have by default (--max-chars): about 1,500 pages, which the
# rules backend reads in about half a minute. Work grows linearly with it; beyond it a document
# fails at once, saying so, instead of holding a batch for minutes.
MAX_CHARS = 5_000_000
_SNIFF = 8192  # bytes looked at to tell text from binary and UTF-16 from UTF-8
_BINARY_SHARE = 0.05  # control characters above this share of the first _SNIFF: not text
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Page chrome of web pages: menus, banners, footers; never the minutes.
_CHROME_TAGS = ["script", "style", "noscript", "head", "nav", "header", "footer", "aside", "form", "template"]
_CHROME_ROLES = ["navigation", "banner", "contentinfo", "search", "menu", "menubar"]


@dataclass(frozen=True)
class Document:
    """A loaded source document: its name, where it came from, its text and content id."""

    name: str
    text: str
    sha256: str
    path: str | None = None
    encoding: str = "utf-8"


def document_from_text(text: str, *, name: str) -> Document:
    """Wrap text already in memory as a Document (its id is the sha256 of its UTF-8 bytes)."""
    return Document(name=name, text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def _utf16(raw: bytes) -> str | None:
    """'utf-16' when the bytes carry a UTF-16 byte-order mark, or (without one) NUL bytes at every other
    position as UTF-16 text of Latin script has; else None."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = raw[:_SNIFF]
    half = len(sample) // 2
    if half < 2:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd > 0.3 * half and even < 0.02 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.02 * half:
        return "utf-16-be"
    return None


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of raw bytes and the encoding read: UTF-16 (by BOM or NUL pattern), UTF-8, else cp1252
    or latin-1; binary content (many control characters, not a stray NUL) is refused, naming the file."""
    if not raw:
        raise InputError(fix_hint(f"{path}: the file is empty (0 bytes)",
                                  "check the download or export that made it, or leave it out of the batch"))
    text = None
    encoding = _utf16(raw)
    if encoding:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            text = None
        encoding = "utf-16" if text is not None else None
    if text is None:
        for encoding in ("utf-8-sig", *_FALLBACK_ENCODINGS):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    assert text is not None and encoding  # latin-1 decodes any bytes
    sample = text[:_SNIFF]
    if len(_CONTROL.findall(sample)) > _BINARY_SHARE * len(sample):
        raise InputError(fix_hint(
            f"{path}: looks like a binary file, not text",
            "convert it to .txt, .html, .pdf or .docx, or leave it out of the batch",
        ))
    return text, "utf-8" if encoding == "utf-8-sig" else encoding


def _html_text(raw: bytes, path: Path) -> str:
    from bs4 import BeautifulSoup

    markup, _ = _decode(raw, path)
    soup = BeautifulSoup(markup, "html.parser")
    for tag in [*soup(_CHROME_TAGS), *soup(attrs={"role": _CHROME_ROLES})]:
        tag.decompose()
    for tag in soup.find_all(["li"]):
        tag.insert_before("\n\u2022 ")
    for tag in soup.find_all(["p", "div", "br", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table"]):
        tag.insert_after("\n\n" if tag.name != "br" else "\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" | ")
    text = soup.get_text()
    return re.sub(r"\n{3,}", "\n\n", text)


def _pdf_text(raw: bytes, path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError(fix_hint(f"{path}: unreadable PDF ({exc})", "re-export it or save as .txt")) from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise InputError(fix_hint(
            f"{path}: the PDF has no text layer (a scan?)",
            "run OCR on it first (e.g. ocrmypdf) and load the result",
        ))
    return text


def _docx_text(raw: bytes, path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise InputError(fix_hint(f"{path}: not a valid .docx file", "re-save it from Word")) from exc
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n\n".join(parts)


def _too_large(path: Path, size: str, max_chars: int) -> InputError:
    return InputError(fix_hint(
        f"{path}: {size}, more than --max-chars {max_chars:,}",
        "split the document into parts, or raise --max-chars (time grows in step with length: the rules "
        "backend reads about 1 MB in 6 s on 2 cores)"))


def load_document(path: str | Path, *, max_chars: int = MAX_CHARS) -> Document:
    """Read one file into a Document; raise InputError naming the file and the fix (unsupported,
    unreadable, empty, binary, or longer than max_chars characters of text)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(fix_hint(
            f"{path}: unsupported file type {suffix or '(none)'}",
            f"give one of {', '.join(SUPPORTED)}",
        ))
    try:
        if suffix in _TEXT_SUFFIXES and path.stat().st_size > 4 * max_chars:  # 4 bytes a character at most
            size = path.stat().st_size
            raise _too_large(path, f"{size:,} bytes, so at least {size // 4:,} characters of text", max_chars)
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    encoding = "utf-8"
    if suffix in (".html", ".htm"):
        text = _html_text(raw, path)
    elif suffix == ".pdf":
        text = _pdf_text(raw, path)
    elif suffix == ".docx":
        text = _docx_text(raw, path)
    else:
        text, encoding = _decode(raw, path)
    text = text.replace("\x00", "")  # a stray NUL (PDF and Word extractors pass them on) is not text
    if not text.strip():
        what = "once scripts, styles and page navigation are removed" if suffix in (".html", ".htm") else \
            "but white space"
        raise InputError(fix_hint(f"{path}: holds no text {what}",
                                  "check the download or export that made it, or leave it out of the batch"))
    if len(text) > max_chars:
        raise _too_large(path, f"{len(text):,} characters of text", max_chars)
    return Document(
        name=path.name,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        path=str(path),
        encoding=encoding,
    )


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the supported files they hold, sorted, without repeats."""
    found: dict[Path, None] = {}
    for item in paths:
        item = Path(item)
        if item.is_dir():
            for child in sorted(item.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED:
                    found.setdefault(child, None)
        elif item.is_file():
            found.setdefault(item, None)
        else:
            raise InputError(fix_hint(f"{item}: no such file or folder", "check the path"))
    return list(found)
