"""Small PDFs the tests write themselves (fpdf2): pages of text, two columns, a table, or no text."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fpdf import FPDF


def _latin1(text: str) -> str:
    """The core PDF fonts hold Latin-1 only: typographic quotes and dashes become their plain forms."""
    plain = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                                          "\u2013": "-", "\u2014": "-", "\u2022": "-", "\u00a0": " "}))
    return plain.encode("latin-1", "replace").decode("latin-1")


def pdf_of_pages(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with one page per list of paragraphs."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for paragraphs in pages:
        pdf.add_page()
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5, _latin1(paragraph))
            pdf.ln(3)
    pdf.output(str(path))
    return path


def pdf_of_columns(path: Path, left: list[str], right: list[str]) -> Path:
    """One page of two columns of paragraphs, each written column by column."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for x, paragraphs in ((10, left), (110, right)):
        pdf.set_xy(x, 20)
        for paragraph in paragraphs:
            pdf.set_x(x)
            pdf.multi_cell(90, 5, _latin1(paragraph))
            pdf.ln(3)
    pdf.output(str(path))
    return path


def pdf_of_columns_across(path: Path, left: list[str], right: list[str]) -> Path:
    """One page of two columns drawn line by line across the page (left line, right line, next)."""
    def lines(paragraphs: list[str]) -> list[str]:
        return [line for paragraph in paragraphs for line in [*textwrap.wrap(_latin1(paragraph), 48), ""]]

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    left_lines, right_lines = lines(left), lines(right)
    for row in range(max(len(left_lines), len(right_lines))):
        for x, column in ((10, left_lines), (110, right_lines)):
            if row < len(column) and column[row]:
                pdf.text(x, 20 + 5 * row, column[row])
    pdf.output(str(path))
    return path


def pdf_of_table(path: Path, rows: list[tuple[str, ...]], *, widths: tuple[float, ...] = (), height: float = 8,
                 border: int = 1) -> Path:
    """One page holding a table (bordered and spaced by default; height 4.5 and no border packs it tight)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for row in rows:
        for column, cell in enumerate(row):
            pdf.cell(widths[column] if widths else 45, height, _latin1(cell), border=border)
        pdf.ln(height)
    pdf.output(str(path))
    return path


def pdf_without_text(path: Path) -> Path:
    """A page with a drawing and no text layer, as a scan has."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))
    return path


def pdf_with_symbol_bullets(path: Path, paragraphs: list[str], *, to_unicode: str | None = None) -> Path:
    """One page as Word prints a bulleted list: each paragraph opening '\u2022 ' has its bullet drawn in
    a symbol font (byte 0x7F of a font named Wingdings, not embedded, so no reader knows its glyphs);
    with to_unicode (e.g. '\\uf0b7', as Word maps Symbol's bullet) the font maps its bullet to that
    character. Other paragraphs are Helvetica; a '\ufffd' in one is that symbol glyph too. Written
    by hand: fpdf2 gives every font a Unicode map, and pdfminer knows the core fonts' glyphs."""
    def escaped(text: str) -> str:
        return _latin1(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops, y = [], 780
    for paragraph in paragraphs:
        bullet = paragraph.startswith("\u2022 ")
        lines = textwrap.wrap(paragraph[2:] if bullet else paragraph, 80)
        for number, line in enumerate(lines):
            x = 84 if bullet else 72
            if bullet and number == 0:
                ops.append(f"BT /F2 10 Tf 72 {y} Td <7F> Tj ET")
            for piece_number, piece in enumerate(line.split("\ufffd")):
                if piece_number:
                    ops.append(f"BT /F2 10 Tf {x} {y} Td <7F> Tj ET")
                    x += 8
                ops.append(f"BT /F1 10 Tf {x} {y} Td ({escaped(piece)}) Tj ET")
                x += 5 * len(piece)
            y -= 13
        y -= 8
    content = "\n".join(ops).encode("latin-1")
    font2 = ("<< /Type /Font /Subtype /Type1 /BaseFont /Wingdings /FirstChar 127 /LastChar 127 /Widths [600] "
             "/FontDescriptor << /Type /FontDescriptor /FontName /Wingdings /Flags 4 /FontBBox [0 -210 1000 900] "
             "/ItalicAngle 0 /Ascent 900 /Descent -210 /CapHeight 700 /StemV 80 >>")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        (font2 + (" /ToUnicode 7 0 R >>" if to_unicode else " >>")).encode(),
    ]
    if to_unicode:
        cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Symbols def "
                "1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar "
                f"<7F> <{ord(to_unicode):04X}> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
        objects.append(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap.encode() + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def pdf_with_scans(path: Path, pages: list[list[str]], *, scanned: set[int]) -> Path:
    """A PDF with one page per list of paragraphs; the pages numbered in scanned (1-based) are images
    of their text with no text layer, as a scanner makes them (drawn with Pillow at 200 dpi)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=30)  # about 11 points at 200 dpi
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for number, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        if number not in scanned:
            for paragraph in paragraphs:
                pdf.multi_cell(0, 5, _latin1(paragraph))
                pdf.ln(3)
            continue
        image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
        draw, y = ImageDraw.Draw(image), 160
        for paragraph in paragraphs:
            for line in textwrap.wrap(_latin1(paragraph), 80):
                draw.text((160, y), line, font=font, fill=0)
                y += 44
            y += 30
        pdf.image(image, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path
