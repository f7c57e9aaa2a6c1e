"""Attachment makers for the tests, registered by name as the dossiers app registers its receipt's."""

from motcua.notifications.attachments import register

RECEIPT = b"%PDF-1.7\n% receipt and appointment slip\n"
# How many more calls of ``flaky_receipt`` fail (a PDF renderer that is not ready yet).
flaky = {"failures": 0}


@register("test.receipt")
def receipt(code: str):
    return (f"giay-tiep-nhan-{code}.pdf", RECEIPT + code.encode(), "application/pdf")


@register("test.nothing")
def nothing(code: str):
    """A receipt that does not exist (yet): no file, and the e-mail goes without it."""
    return None


@register("test.flaky_receipt")
def flaky_receipt(code: str):
    if flaky["failures"] > 0:
        flaky["failures"] -= 1
        raise RuntimeError("the PDF renderer is not ready")
    return receipt(code)
