"""The VietQR payload drawn as a QR code, in SVG for pages and as a PNG ``data:`` URI for PDF slips."""

from motcua.documents.qr import BORDER, PNG_SCALE, make_qr

SVG_SCALE = 4  # CSS pixels per module: about 4 cm across on a phone, which banking apps read at once


def qr_svg(payload: str, *, scale: int = SVG_SCALE) -> str:
    """The QR code of ``payload`` as inline ``<svg>`` markup (no style attribute, safe under the CSP),
    with the quiet zone the standard asks for and ``class="segno vietqr"`` for the page's CSS."""
    return make_qr(payload).svg_inline(scale=scale, border=BORDER, svgclass="segno vietqr")


def qr_png_data_uri(payload: str) -> str:
    """The QR code of ``payload`` as a PNG ``data:`` URI, for ``<img src>`` in a PDF (the payment slip)."""
    return make_qr(payload).png_data_uri(scale=PNG_SCALE, border=BORDER)
