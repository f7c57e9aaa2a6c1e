"""Attachment makers for the tests, named by dotted path as the dossier app names its receipt renderer."""

RECEIPT = b"%PDF-1.7\n% receipt and appointment slip\n"
# How many more calls of ``flaky_receipt`` fail (a PDF renderer that is not ready yet).
flaky = {"failures": 0}


def receipt(code: str):
    return (f"giay-tiep-nhan-{code}.pdf", RECEIPT + code.encode(), "application/pdf")


def nothing(code: str):
    """A receipt that does not exist (yet): no file, and the e-mail goes without it."""
    return None


def flaky_receipt(code: str):
    if flaky["failures"] > 0:
        flaky["failures"] -= 1
        raise RuntimeError("the PDF renderer is not ready")
    return receipt(code)
