"""What an uploaded file really is, told by its content and never by its name, and a clean copy of it.

Accepted kinds: PDF, JPEG and PNG everywhere; DOCX and XLSX only where a dossier component allows them. A
file is refused when its bytes do not open as the kind they claim (a renamed executable, a truncated scan),
when a PDF is password-protected (officers could not read it), when an image is a decompression bomb, or
when an Office file carries macros. Images are re-encoded: that drops EXIF (location, camera, owner) and
any bytes hidden after the image, and turns the picture upright as the camera meant it.
"""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

# A scanned A4 page at 600 dpi is about 35 megapixels; anything far above that is not a paper.
MAX_IMAGE_PIXELS = 60_000_000
# An Office file whose parts unpack to more than this is refused (zip bombs).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    name: str
    mime: str
    extension: str
    label: str


KINDS = {
    "pdf": FileKind("pdf", "application/pdf", "pdf", gettext_lazy("PDF")),
    "jpeg": FileKind("jpeg", "image/jpeg", "jpg", gettext_lazy("JPEG image")),
    "png": FileKind("png", "image/png", "png", gettext_lazy("PNG image")),
    "docx": FileKind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        gettext_lazy("Word document (DOCX)"),
    ),
    "xlsx": FileKind(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        gettext_lazy("Excel workbook (XLSX)"),
    ),
}
DEFAULT_ACCEPT = ("pdf", "jpeg", "png")


class RejectedFile(ValueError):
    """The file cannot be accepted; ``str(exc)`` is a message for the person who uploaded it."""


def accept_list(kinds) -> str:
    """The kinds as a reader would list them: "PDF, JPEG image, PNG image"."""
    return ", ".join(str(KINDS[k].label) for k in kinds)


def html_accept(kinds) -> str:
    """The ``accept`` attribute of a file input for these kinds (a hint to the phone's file picker)."""
    extensions = {"jpeg": [".jpg", ".jpeg"]}
    return ",".join(ext for k in kinds for ext in extensions.get(k, [f".{KINDS[k].extension}"]))


def sniff(head: bytes) -> str | None:
    """The kind the first bytes announce (before any deeper check), or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


@dataclass
class CheckedFile:
    kind: FileKind
    content: bytes


def check_file(content: bytes, accept=DEFAULT_ACCEPT) -> CheckedFile:
    """Verify ``content`` is a sound file of one of the ``accept``ed kinds; return a clean copy of it."""
    allowed = accept_list(accept)
    if not content:
        raise RejectedFile(_("The file is empty."))
    kind = sniff(content[:16])
    if kind == "zip":
        kind = _office_kind(content)
    if kind is None or kind not in accept:
        raise RejectedFile(
            _("This file is not one of the accepted kinds (%(kinds)s), whatever its name says.")
            % {"kinds": allowed}
        )
    if kind == "pdf":
        _check_pdf(content)
        return CheckedFile(KINDS["pdf"], content)
    if kind in ("jpeg", "png"):
        return CheckedFile(KINDS[kind], _clean_image(content, kind))
    return CheckedFile(KINDS[kind], content)


def _check_pdf(content: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise RejectedFile(
                _("This PDF is protected by a password: save it without protection and attach it again.")
            )
        if len(reader.pages) < 1:
            raise RejectedFile(_("This PDF has no pages."))
    except RejectedFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        raise RejectedFile(_("This PDF is damaged or incomplete and cannot be opened.")) from None


def _clean_image(content: bytes, kind: str) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise RejectedFile(_("This image is too large in pixels; scan it at a lower resolution."))
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "jpeg":
                if upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                # No exif= argument: the copy carries no EXIF; the colour profile is kept.
                upright.save(out, "JPEG", quality=90, icc_profile=image.info.get("icc_profile"))
            else:
                upright.save(out, "PNG", optimize=False, icc_profile=image.info.get("icc_profile"))
            return out.getvalue()
    except RejectedFile:
        raise
    except Image.DecompressionBombError:
        raise RejectedFile(_("This image is too large in pixels; scan it at a lower resolution.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise RejectedFile(_("This image is damaged or incomplete and cannot be opened.")) from None


def _office_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if len(infos) > 2000 or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise RejectedFile(_("This Office file unpacks to far too much data."))
            if "[Content_Types].xml" not in names:
                return None
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise RejectedFile(_("Office files with macros are not accepted: save it as .docx or .xlsx."))
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except zipfile.BadZipFile:
        return None
    return None
