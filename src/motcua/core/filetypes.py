"""What an uploaded file really is, told by its content and never by its name, and a clean copy of it.

Accepted kinds: PDF, JPEG and PNG everywhere; DOCX and XLSX only where a dossier component allows them. A
file is refused when its bytes do not open as the kind they claim (a renamed executable, a truncated scan),
when a PDF is password-protected (officers could not read it) or too complex to check (``pdfs``), when an
image is over the pixel budget (judged from its header, before anything is decoded), or when an Office
file carries macros. Images are re-encoded: that drops EXIF (location, camera, owner) and
any bytes hidden after the image, and turns the picture upright as the camera meant it.
"""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from .pdfs import PdfRefused, inspect_pdf

# The pixel budget of one image, read from its header before anything is decoded. Decoding costs up to 4
# bytes a pixel (RGBA, CMYK) and the clean copy re-encodes it: 25 megapixels is ~100 MB and ~1 s of CPU
# at most, so the ten uploads a 2 GB, 2-core server takes at once (5 gunicorn workers x 2 threads) fit in
# its memory (bench/uploads.py measures it). 25 MP holds an A4 page scanned at 400 dpi (15.5 MP), a 24 MP
# camera's photo, and a phone's 12 MP; the old cap of 60 MP cost ~470 MB and 3 s per image.
MAX_IMAGE_PIXELS = 25_000_000
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
KIND_BY_MIME = {kind.mime: kind for kind in KINDS.values()}
# Other extensions people give a kind, kept as they wrote them.
EXTENSION_ALIASES = {"jpeg": ("jpg", "jpeg")}


def named_as(name: str, mime: str) -> str:
    """The uploader's file name with the extension of what the file is (``mime``, found by its content):
    ``ho-so.html`` holding a PDF is ``ho-so.pdf``, so no browser or desktop opens it as something else."""
    kind = KIND_BY_MIME.get(mime)
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    if kind is None:
        return base or "file"
    if extension.lower() in EXTENSION_ALIASES.get(kind.name, (kind.extension,)):
        return base
    stem = stem.strip(" .") or "file"
    return f"{stem[: 250 - len(kind.extension)]}.{kind.extension}"


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
    # What a PDF runs when opened or used (``pdfs.PdfFacts.active_content``): flagged to officers.
    active_content: tuple[str, ...] = ()


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
        try:
            facts = inspect_pdf(content)
        except PdfRefused as exc:
            raise RejectedFile(str(exc)) from None
        return CheckedFile(KINDS["pdf"], content, active_content=facts.active_content)
    if kind in ("jpeg", "png"):
        return CheckedFile(KINDS[kind], _clean_image(content, kind))
    return CheckedFile(KINDS[kind], content)


def decoding_cost(image: Image.Image) -> float:
    """The pixels an opened image counts against the budget, from its header only (``Image.open`` is lazy).

    A pixel decodes to 4 bytes in memory. A progressive JPEG also holds every DCT coefficient of the whole
    picture until its last scan (2 bytes a sample, per component at its sampling), so its pixels count
    more: 2.5 times at 4:4:4, 1.75 times at 4:2:0.
    """
    pixels = image.width * image.height
    if image.format == "JPEG" and image.info.get("progressive"):
        components = getattr(image, "layer", None) or [("", 1, 1, 0)] * len(image.getbands())
        h_max = max(c[1] for c in components) or 1
        v_max = max(c[2] for c in components) or 1
        samples = sum(c[1] * c[2] / (h_max * v_max) for c in components)
        return pixels * (4 + 2 * samples) / 4
    return pixels


def too_many_pixels(image: Image.Image) -> bool:
    """Whether an opened image (its header read, nothing decoded) is over the pixel budget."""
    return decoding_cost(image) > MAX_IMAGE_PIXELS


def _clean_image(content: bytes, kind: str) -> bytes:
    too_large = _(
        "This image is too large in pixels (over %(mp)s megapixels); scan it at a lower resolution."
    )
    too_large %= {"mp": MAX_IMAGE_PIXELS // 1_000_000}
    try:
        # Opening reads the header only; its size is judged before a single pixel is decoded. (Far beyond
        # the budget, Pillow's own guard raises DecompressionBombError at the opening already.)
        with Image.open(io.BytesIO(content)) as probe:
            if too_many_pixels(probe):
                raise RejectedFile(too_large)
            probe.verify()  # the chunks' checksums, without decoding
        with Image.open(io.BytesIO(content)) as image:
            if too_many_pixels(image):  # the same bytes, but never decode what was not judged
                raise RejectedFile(too_large)
            image.load()
            icc_profile = image.info.get("icc_profile")
            # In place: no second full copy of the pixels when the picture is already upright.
            ImageOps.exif_transpose(image, in_place=True)
            out = io.BytesIO()
            if kind == "jpeg":
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                # No exif= argument: the copy carries no EXIF; the colour profile is kept.
                image.save(out, "JPEG", quality=90, icc_profile=icc_profile)
            else:
                image.save(out, "PNG", optimize=False, icc_profile=icc_profile)
            return out.getvalue()
    except RejectedFile:
        raise
    except Image.DecompressionBombError:
        raise RejectedFile(too_large) from None
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
