"""Load minutes from .txt, .html, .pdf and .docx into plain text with a stable content id."""

from __future__ import annotations

import bisect
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .errors import InputError, fix_hint
from .glyphs import read_glyphs
from .table_formats import docx_text, mark_html_tables, place_tables
from .tables import Table, shifted

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
    pages: tuple[int, ...] = ()  # a PDF's page starts as offsets into text (page 1 at 0); () for other formats
    url: str | None = None  # where it was published (a manifest's url column)
    given: dict[str, str] = field(default_factory=dict, compare=False)  # meta the user gave (manifest, options)
    ocr_pages: tuple[int, ...] = ()  # the PDF pages (1-based) whose text OCR read
    glyphs: int = 0  # undecodable or private-use glyphs read as bullets or dropped (glyphs.py)
    tables: tuple[Table, ...] = field(default=(), compare=False)  # its tables, rows and cells as offsets into text

    def page_at(self, offset: int | None) -> int | None:
        """The 1-based PDF page holding a text offset, or None (not a PDF, or no offset)."""
        if not self.pages or offset is None:
            return None
        return bisect.bisect_right(self.pages, offset)


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


_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.I | re.S)
# Formats recognised by their first bytes that we do not read: said by name, with the fix.
_OTHER_FORMATS = (
    (b"\xd0\xcf\x11\xe0", "an Office 97-2003 file (.doc or .xls)", "save it as .docx or .pdf"),
    (b"{\\rtf", "an RTF file", "save it as .docx, .pdf or .txt"),
    (b"\x89PNG", "a PNG image", "run OCR on it and load the text"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it and load the text"),
    (b"GIF8", "a GIF image", "leave it out of the batch"),
    (b"\x1f\x8b", "a gzip archive", "unpack it and load the files inside"),
)


def sniff(raw: bytes, suffix: str) -> str:
    """The format a file's bytes hold, whatever its name says: 'pdf', 'docx', 'html' or 'text';
    raise InputError naming a format we recognise but do not read."""
    head = raw[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
        except zipfile.BadZipFile:
            names = []
        if "word/document.xml" in names:
            return "docx"
        what = "an Excel workbook" if any(n.startswith("xl/") for n in names) else "a zip archive"
        raise InputError(fix_hint(f"unsupported file type: {what}", "save it as .pdf or .txt, or unpack it"))
    for magic, what, fix in _OTHER_FORMATS:
        if raw.startswith(magic):
            raise InputError(fix_hint(f"unsupported file type: {what}", fix))
    if suffix in (".pdf", ".docx"):  # named as one but not one: corrupt or mislabelled
        raise InputError(fix_hint(f"not a valid {suffix} file (its first bytes are not a {suffix[1:].upper()}'s)",
                                  "re-download or re-export it"))
    if suffix in (".html", ".htm") or _HTML_START.match(head.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe")):
        return "html"
    return "text"


def _html_text(raw: bytes, path: Path) -> tuple[str, tuple[Table, ...]]:
    from bs4 import BeautifulSoup

    markup, _ = _decode(raw, path)
    soup = BeautifulSoup(markup, "html.parser")
    for tag in [*soup(_CHROME_TAGS), *soup(attrs={"role": _CHROME_ROLES})]:
        tag.decompose()
    marked = mark_html_tables(soup)  # data tables: laid out one row a line, with their structure
    for tag in soup.find_all(["li"]):
        tag.insert_before("\n\u2022 ")
    for tag in soup.find_all(["p", "div", "br", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table"]):
        tag.insert_after("\n\n" if tag.name != "br" else "\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" | ")
    text = soup.get_text()
    return place_tables(re.sub(r"\n{3,}", "\n\n", text), marked)


def _docx_text(raw: bytes, path: Path) -> tuple[str, tuple[Table, ...]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise InputError(fix_hint(f"{path}: not a valid .docx file", "re-save it from Word")) from exc
    return docx_text(document)  # paragraphs and tables in the order they are printed


def _too_large(path: Path, size: str, max_chars: int) -> InputError:
    return InputError(fix_hint(
        f"{path}: {size}, more than --max-chars {max_chars:,}",
        "split the document into parts, or raise --max-chars (time grows in step with length: the rules "
        "backend reads about 1 MB in 6 s on 2 cores)"))


def load_document(path: str | Path, *, max_chars: int = MAX_CHARS, ocr: str = "auto") -> Document:
    """Read one file into a Document; raise InputError naming the file and the fix (unsupported,
    unreadable, empty, binary, or longer than max_chars characters of text).

    ocr says when a PDF's pages are read by OCR (ocr.py): 'auto' those without a text layer, when an
    engine is installed; 'always' every page (ConfigError without an engine); 'never' none."""
    from . import ocr as _ocr

    _ocr.check_mode(ocr)
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in _TEXT_SUFFIXES and path.stat().st_size > 4 * max_chars:  # 4 bytes a character at most
            size = path.stat().st_size
            raise _too_large(path, f"{size:,} bytes, so at least {size // 4:,} characters of text", max_chars)
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not raw:
        _decode(raw, path)  # says the file is empty
    try:
        kind = sniff(raw, suffix)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    encoding, pages, ocr_pages, tables = "utf-8", (), (), ()
    if kind == "html":
        text, tables = _html_text(raw, path)
    elif kind == "pdf":
        from .pdf import pdf_text

        text, pages, ocr_pages, tables = pdf_text(raw, path, ocr=ocr)
    elif kind == "docx":
        text, tables = _docx_text(raw, path)
    else:
        text, encoding = _decode(raw, path)
    read = text
    text, pages, glyphs = _cleaned(text, pages)  # a stray NUL (PDF and Word extractors pass them on) is not text
    if tables and text != read:  # glyphs replaced or NULs dropped: the tables move with their rows
        tables = shifted(tables, read, text)
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
        pages=pages,
        ocr_pages=ocr_pages,
        glyphs=glyphs,
        tables=tables,
    )


def _cleaned(text: str, pages: tuple[int, ...]) -> tuple[str, tuple[int, ...], int]:
    """The text without stray NULs and with the glyph rule applied (glyphs.read_glyphs), page by page
    so each page's start stays where its text starts; and how many glyphs were replaced or dropped."""
    if not pages:
        text, count = read_glyphs(text.replace("\x00", ""))
        return text, (), count
    parts, starts, total, offset = [], [], 0, 0
    for start, end in zip(pages, [*pages[1:], len(text) + 2], strict=True):
        part, count = read_glyphs(text[start:end - 2].replace("\x00", ""))
        starts.append(offset)
        offset += len(part) + 2
        parts.append(part)
        total += count
    return "\n\n".join(parts), tuple(starts), total


class Found(NamedTuple):
    """What a batch's paths hold: the files to read, and the files in folders that are not minutes."""

    files: list[Path]
    skipped: list[Path]


def discover(paths: Iterable[str | Path]) -> Found:
    """Expand files and folders into the files to read (a file named explicitly is always read: its
    content decides its format), sorted, without repeats; a folder's files of other types are
    listed as skipped, its hidden files ignored."""
    found: dict[Path, None] = {}
    skipped: dict[Path, None] = {}
    seen: set[Path] = set()  # one file named two ways (a folder's and a manifest's spelling) is read once

    def add(into: dict[Path, None], file: Path) -> None:
        resolved = file.resolve()
        if resolved not in seen:
            seen.add(resolved)
            into.setdefault(file, None)

    for item in paths:
        item = Path(item)
        if item.is_dir():
            for child in sorted(item.rglob("*")):
                if not child.is_file() or any(part.startswith(".") for part in child.relative_to(item).parts):
                    continue
                add(found if child.suffix.lower() in SUPPORTED else skipped, child)
        elif item.is_file():
            resolved = item.resolve()
            passed_over = next((p for p in skipped if p.resolve() == resolved), None)
            if passed_over is not None:  # a folder's file of another type, named explicitly: read it
                del skipped[passed_over]
                found.setdefault(item, None)
            else:
                add(found, item)
        else:
            raise InputError(fix_hint(f"{item}: no such file or folder", "check the path"))
    return Found(list(found), [path for path in skipped if path not in found])
