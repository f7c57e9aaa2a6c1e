"""What a verification finds (xác minh văn bản điện tử), and the signature checks of an uploaded PDF.

``selectors.verify_code`` and ``selectors.verify_pdf`` answer with a ``VerificationResult``: genuine or not,
one reason of ``Reason`` (with a message for people, in Vietnamese or English), and the public facts of the
document when the portal knows which one it is. This module does the PDF side with pyHanko and touches no
database; the look-ups are in ``selectors``.
"""

import datetime
import hashlib
import io
import secrets
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Verification codes: Crockford's base32 (no I, L, O, U: nothing to misread on paper), 12 random symbols
# (60 bits) in groups of four. Random, not sequential: knowing one code tells nothing about another.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
CODE_GROUP = 4
# What people type for the symbols the alphabet leaves out.
CODE_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# A PDF's header may follow some bytes of junk; readers look for it in the first kilobyte (ISO 32000 7.5.2).
PDF_HEADER_WINDOW = 1024


class Reason(models.TextChoices):
    """Why a verification answered as it did (the ``reason`` of the API, stable codes)."""

    GENUINE = "genuine", _("Genuine")
    UNKNOWN_CODE = "unknown_code", _("Unknown verification code")
    NOT_PDF = "not_pdf", _("Not a PDF")
    NO_SIGNATURE = "no_signature", _("No signature")
    ALTERED = "altered", _("Altered")
    MODIFIED_AFTER_SIGNING = "modified_after_signing", _("Modified after signing")
    UNKNOWN_CERTIFICATE = "unknown_certificate", _("Unknown certificate")
    NOT_ISSUED_HERE = "not_issued_here", _("Not issued by this portal")
    REVOKED = "revoked", _("Revoked")


MESSAGES = {
    Reason.UNKNOWN_CODE: _("No document issued by this portal has this verification code."),
    Reason.NOT_PDF: _("This file is not a PDF document, or it is damaged."),
    Reason.NO_SIGNATURE: _(
        "This PDF has no digital signature: it is not an electronic result issued by this portal."
    ),
    Reason.ALTERED: _(
        "Altered: the signed content does not match the signature; the file was changed after it was signed."
    ),
    Reason.MODIFIED_AFTER_SIGNING: _(
        "The signature does not cover the whole file: something was added to the file after it was signed."
    ),
    Reason.UNKNOWN_CERTIFICATE: _(
        "Signed by an unknown certificate: the signature is not from a certificate this portal trusts."
    ),
    Reason.NOT_ISSUED_HERE: _(
        "Not a document issued by this portal: the signature is valid, but the portal has no record of it."
    ),
}
REVOKED_ON = _(
    "Revoked: this portal issued this document, but it was revoked on %(date)s and no longer stands "
    "(the processing was stopped, the decision undone, or a corrected document replaces it)."
)
GENUINE_BY_CODE = _(
    "This verification code belongs to a document issued by this portal. Compare its number, issuer and "
    "date with the document you hold; to check the content itself, upload the electronic file (PDF)."
)
GENUINE_FILE = _("Genuine: this file is a result issued and signed by this portal, unaltered since.")


@dataclass(frozen=True)
class DocumentFacts:
    """What the public may know of an issued document: what its header and signature block print.

    Nothing about the applicant: not the ID number or the address, and not the name either. The code is
    printed on the document and sits in a photographed QR code; a name on the page would tell whoever
    holds or guesses a code that this person obtained this (a judicial record, a social allowance…).
    Whoever checks a document already has the name in front of them.
    """

    kind: str
    kind_label: str
    title: str
    number: str
    verification_code: str
    issued_at: datetime.datetime | None
    agency_code: str
    agency_name: str
    procedure_code: str
    procedure_name: str
    signer_name: str
    signer_title: str
    sha256: str
    demo_certificate: bool
    url: str
    revoked_at: datetime.datetime | None = None


@dataclass(frozen=True)
class VerificationResult:
    """The answer of a verification: ``found`` when the portal knows the document ``document`` describes."""

    genuine: bool
    reason: str
    document: DocumentFacts | None = None
    by_file: bool = False
    file_sha256: str = ""
    timestamped_at: datetime.datetime | None = None  # by a trusted time-stamping authority (uploads only)

    @property
    def found(self) -> bool:
        return self.document is not None

    @property
    def message(self) -> str:
        if self.reason == Reason.GENUINE:
            return str(GENUINE_FILE if self.by_file else GENUINE_BY_CODE)
        if self.reason == Reason.REVOKED:
            when = timezone.localtime(self.document.revoked_at) if self.document else None
            return str(REVOKED_ON) % {"date": when.strftime("%d/%m/%Y") if when else ""}
        return str(MESSAGES[self.reason])


# --- verification codes ----------------------------------------------------------------------------------


def new_verification_code() -> str:
    """A fresh random code such as ``7K2M-9QXD-4HNB`` (uniqueness is the database's unique constraint)."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(symbols[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normalize_code(text: str) -> str | None:
    """The code as stored, from what someone typed (any case, spaces or no dashes, O for 0); None if none."""
    symbols = "".join(ch for ch in str(text).upper() if ch.isalnum()).translate(CODE_LOOKALIKES)
    if len(symbols) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in symbols):
        return None
    return "-".join(symbols[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


# --- the PDF side -----------------------------------------------------------------------------------------


def looks_like_pdf(content: bytes) -> bool:
    return b"%PDF-" in content[:PDF_HEADER_WINDOW]


@dataclass
class OpenedSignature:
    """The first signature of a PDF, opened but not judged yet."""

    embedded: object  # pyhanko.sign.validation.pdf_embedded.EmbeddedPdfSignature
    claimed_digest: str  # what the signature says the signed bytes hash to (CMS messageDigest), hex


def open_signature(content: bytes) -> OpenedSignature | str:
    """The portal's signature of ``content``, or the Reason why there is none to check."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.general import find_unique_cms_attribute

    if not looks_like_pdf(content):
        return Reason.NOT_PDF
    try:
        signatures = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures
    except Exception:  # untrusted bytes: whatever the parser trips on, it is not a PDF we can read
        return Reason.NOT_PDF
    if not signatures:
        return Reason.NO_SIGNATURE
    # Results carry one signature; a later one (added by someone else) never covers the portal's.
    first = min(signatures, key=lambda s: s.signed_revision)
    try:
        claimed = find_unique_cms_attribute(first.signer_info["signed_attrs"], "message_digest").native
    except Exception:  # a signature dictionary whose CMS content is damaged
        return Reason.ALTERED
    return OpenedSignature(embedded=first, claimed_digest=claimed.hex())


@dataclass(frozen=True)
class SignatureCheck:
    intact: bool  # the signed bytes hash to the digest the signature vouches for
    valid: bool  # the signature over that digest verifies with the certificate's key
    trusted: bool  # the certificate chains to a trusted root and was valid at the time asked
    whole_file: bool  # the signed bytes are the whole file (nothing appended after signing)
    signer_fingerprint: str
    # The signature's timestamp (PAdES B-T) when it carries one: None without. A token that does not verify
    # is a forged or damaged one (``timestamp_sound`` False); one from a TSA not trusted vouches for nothing.
    timestamped_at: datetime.datetime | None = None
    timestamp_sound: bool = True


def check_signature(signature: OpenedSignature, *, roots: list, moment: datetime.datetime | None):
    """Validate ``signature`` with pyHanko, trusting only ``roots``, at ``moment`` (None: now).

    The diff analysis of later revisions is skipped: a result must be covered whole (``ENTIRE_FILE``), so
    any revision added after signing already fails, whatever it changed.
    """
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    context = ValidationContext(trust_roots=roots, moment=moment)
    try:
        status = validate_pdf_signature(signature.embedded, context, skip_diff=True)
    except Exception:  # a malformed signature cannot be validated: it vouches for nothing
        return SignatureCheck(False, False, False, False, "")
    stamp = status.timestamp_validity
    sound = stamp is None or bool(stamp.intact and stamp.valid)
    return SignatureCheck(
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer_fingerprint=status.signing_cert.sha256.hex(),
        timestamped_at=stamp.timestamp if stamp is not None and sound and stamp.trusted else None,
        timestamp_sound=sound,
    )


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
