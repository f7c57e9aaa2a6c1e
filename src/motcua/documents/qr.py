"""QR codes (mã QR) printed on documents: a dossier's tracking address, later a result's verification link."""

import segno

# Pixels per module of the PNG. The PDF draws it without smoothing (image-rendering: pixelated in the print
# CSS), so the edges stay sharp at any print size; more pixels would only make the file bigger.
PNG_SCALE = 4
# The quiet zone the QR standard asks for, in modules: scanners need it even on a crowded page.
BORDER = 4


def make_qr(data: str) -> segno.QRCode:
    """The QR code of ``data``: always a full QR code (phones do not all read Micro QR), error level M.

    One function for the documents and their tests, so both mean the same symbol.
    """
    return segno.make_qr(data, error="m")


def qr_data_uri(data: str) -> str:
    """The QR code of ``data`` as a black-and-white PNG ``data:`` URI, for ``<img src>`` in a template."""
    return make_qr(data).png_data_uri(scale=PNG_SCALE, border=BORDER)
