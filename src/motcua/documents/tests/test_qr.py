"""QR codes of documents: a full QR symbol of the text, as a black-and-white PNG data URI."""

import base64
import io

from PIL import Image

from motcua.documents.qr import BORDER, PNG_SCALE, make_qr, qr_data_uri

URL = "http://127.0.0.1:8000/tra-cuu/?code=000.00.20.H99-261202-0001"


def test_a_tracking_address_becomes_a_full_qr_code_with_error_correction_m():
    symbol = make_qr(URL)
    assert symbol.is_micro is False
    assert symbol.error in ("M", "Q", "H")  # segno raises the level when the symbol has room for it


def test_the_data_uri_is_a_png_of_that_symbol_pixel_for_pixel():
    uri = qr_data_uri(URL)
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("L")

    rows = list(make_qr(URL).matrix_iter(border=BORDER))
    assert image.size == (len(rows) * PNG_SCALE, len(rows) * PNG_SCALE)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            assert (image.getpixel((x * PNG_SCALE, y * PNG_SCALE)) < 128) == bool(dark)
