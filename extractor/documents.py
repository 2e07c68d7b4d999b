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
_FALLBACK_ENCODINGS = ("cp1252", "latin-1")


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


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    if b"\x00" in raw[:8192]:
        raise InputError(fix_hint(
            f"{path}: looks like a binary file, not text",
            "convert it to .txt, .html, .pdf or .docx, or leave it out of the batch",
        ))
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: cannot be decoded as UTF-8, cp1252 or latin-1")  # pragma: no cover


def _html_text(raw: bytes, path: Path) -> str:
    from bs4 import BeautifulSoup

    markup, _ = _decode(raw, path)
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "head"]):
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


def load_document(path: str | Path) -> Document:
    """Read one file into a Document; raise InputError naming the file and the fix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(fix_hint(
            f"{path}: unsupported file type {suffix or '(none)'}",
            f"give one of {', '.join(SUPPORTED)}",
        ))
    try:
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
