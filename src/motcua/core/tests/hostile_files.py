"""Hostile files built in memory for the upload tests: PDFs whose structure attacks the parser or that carry
scripts, a PDF that is also an HTML page, images whose header claims far more pixels than their bytes hold."""

import io
import struct
import zlib

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def raw_pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF written byte by byte: ``objects`` by number, a cross-reference table, a trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref))
    return out.getvalue()


def fan_pdf(width: int = 20, depth: int = 6) -> bytes:
    """~1.4 KB whose page tree fans out ``width`` wide and ``depth`` deep: each node lists the next one
    ``width`` times, so the tree holds width ** depth pages (64 million) by shared references."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    number = 2
    for level in range(depth):
        kids = b" ".join(b"%d 0 R" % (number + 1) for _ in range(width))
        objects[number] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, width ** (depth - level))
        number += 1
    objects[number] = b"<< /Type /Page /MediaBox [0 0 100 100] >>"
    return raw_pdf(objects)


def deep_pdf(depth: int = 200) -> bytes:
    """A page tree ``depth`` levels deep, one page at its bottom."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    for number in range(2, depth + 2):
        objects[number] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (number + 1)
    objects[depth + 2] = b"<< /Type /Page /MediaBox [0 0 100 100] >>"
    return raw_pdf(objects)


def looping_pdf() -> bytes:
    """A page tree whose node lists itself among its kids."""
    return raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
            3: b"<< /Type /Page /MediaBox [0 0 100 100] >>",
        }
    )


def _js(code: str = "app.alert('hi')") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)}
    )


def active_pdf(kind: str) -> bytes:
    """A one-page PDF that runs something: ``open_action`` (JavaScript when opened), ``page_aa`` (a page's
    additional action), ``launch`` (an /OpenAction that launches a program), ``names`` (document-level
    JavaScript in the names tree)."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    if kind == "open_action":
        writer.root_object[NameObject("/OpenAction")] = _js()
    elif kind == "page_aa":
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js()})
    elif kind == "launch":
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
        )
    elif kind == "names":
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript("app.alert('hi')"))
    else:
        raise ValueError(kind)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_html_polyglot(pdf: bytes) -> bytes:
    """A PDF that a browser sniffing for HTML would also run as a page (markup after the end of the PDF)."""
    return pdf + b"\n<html><body><script>alert(document.domain)</script></body></html>\n"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, data: bytes = b"\x00" * 64) -> bytes:
    """A PNG header claiming ``width`` x ``height`` 8-bit grey pixels, ``data`` (compressed) as pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(data))
        + _png_chunk(b"IEND", b"")
    )


def png_bomb(side: int) -> bytes:
    """A real decompression bomb: ``side`` x ``side`` grey pixels of full image data that compresses
    about 1,000 to 1 (5,200 x 5,200: 27 MB of pixels in ~27 KB)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + pixels
    chunks = [compressor.compress(row) for _ in range(side)]
    chunks.append(compressor.flush())
    data = b"".join(chunks)
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )
