"""Reads about documents: a dossier's stored receipt and result, what they show, their public verification,
and an applicant's document store."""

import hashlib
import re
from collections import Counter

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from motcua.accounts.selectors import is_officer
from motcua.catalog.models import Agency, Channel, TimeUnit
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import ApplicantKind, Dossier

from . import pki
from .models import Document, DocumentKind, StoredDocument
from .verification import (
    DocumentFacts,
    Reason,
    VerificationResult,
    check_signature,
    normalize_code,
    open_signature,
    sha256_of,
)

# The address printed (and QR-coded) on every signed result. Fixed here rather than reversed from the URL
# configuration: a result stays in people's hands for decades, so this path must never change.
VERIFY_PATH = "/xac-minh/{code}/"
RESULT_TEMPLATE = "documents/result.html"
DEFAULT_RESULT_TITLE = "Kết quả giải quyết thủ tục hành chính"


class TamperedDocument(Exception):
    """The stored file of a document no longer has the SHA-256 recorded when it was issued."""


def receipt_of(dossier: Dossier) -> Document | None:
    """The receipt and appointment slip (giấy tiếp nhận) stored for ``dossier``, or None."""
    return Document.objects.filter(
        dossier=dossier, kind=DocumentKind.RECEIPT, superseded_at__isnull=True
    ).first()


def document_bytes(document: Document) -> bytes:
    """The stored PDF of ``document``, checked against its recorded SHA-256 (raises TamperedDocument)."""
    with document.file.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise TamperedDocument(f"The file of document {document.uuid} changed after it was issued.")
    return content


def tracking_url(dossier: Dossier) -> str:
    """The absolute address of the public tracking page of ``dossier`` (tra cứu hồ sơ), for its QR code."""
    return dossier_selectors.tracking_url(dossier)


def _papers(dossier: Dossier) -> list[dict]:
    """The rows of the list of papers received: the procedure's components as received, with files counted.

    Required components are always listed; optional ones only when something was attached to them. Files
    attached to an order the record does not know (a paper added at the desk) follow, by their own name.
    """
    files, names = Counter(), {}
    for order, name in dossier.attachments.values_list("component_order", "component_name"):
        files[order] += 1
        names.setdefault(order, name)
    rows, listed = [], set()
    for component in (dossier.procedure_record or {}).get("components", []):
        order = component.get("order")
        if not component.get("is_required", True) and not files[order]:
            continue
        listed.add(order)
        rows.append(
            {
                "name": component.get("name", ""),
                "originals": component.get("originals") or 0,
                "certified_copies": component.get("certified_copies") or 0,
                "photocopies": component.get("photocopies") or 0,
                "files": files[order],
            }
        )
    for order in sorted(set(files) - listed):
        rows.append(
            {
                "name": names[order],
                "originals": 0,
                "certified_copies": 0,
                "photocopies": 0,
                "files": files[order],
            }
        )
    return rows


def _processing_time(dossier: Dossier) -> str:
    """The processing time of the dossier's channel as published when received, e.g. "3 ngày làm việc"."""
    for method in (dossier.procedure_record or {}).get("methods", []):
        amount = method.get("processing_time")
        if method.get("channel") == dossier.channel and amount not in (None, ""):
            unit = method.get("time_unit") or TimeUnit.WORKING_DAY
            label = TimeUnit(unit).label if unit in TimeUnit.values else unit
            return f"{amount} {label}"
    return ""


def receipt_context(dossier: Dossier) -> dict:
    """What form 01 shows about ``dossier``: the context of ``documents/receipt.html``.

    The receiving officer is named only when the dossier was sent by one (a counter dossier); an online
    dossier's receipt names nobody.
    """
    record = dossier.procedure_record or {}
    business = dossier.applicant_kind == ApplicantKind.BUSINESS
    officer = dossier.submitted_by if dossier.submitted_by and is_officer(dossier.submitted_by) else None
    with translation.override("vi"):  # labels of choices, for a Vietnamese-only form
        channel = (
            str(Channel(dossier.channel).label) if dossier.channel in Channel.values else dossier.channel
        )
        processing_time = _processing_time(dossier)
    return {
        "dossier": dossier,
        "agency": dossier.agency,
        "issued_at": dossier.received_at or dossier.submitted_at,
        "received_at": dossier.received_at or dossier.submitted_at,
        "procedure_code": record.get("code") or dossier.procedure.code,
        "procedure_name": record.get("name") or dossier.procedure.name,
        "id_label": "Mã số thuế" if business else "Số định danh cá nhân",
        "channel": channel,
        "in_person": dossier.channel == Channel.IN_PERSON,
        "officer_name": officer.get_full_name() if officer else "",
        "papers": _papers(dossier),
        "processing_time": processing_time,
        "tracking_url": tracking_url(dossier),
    }


# --- results (kết quả điện tử) -----------------------------------------------------------------------------


def result_of(dossier: Dossier) -> Document | None:
    """The latest signed result of ``dossier``, or None."""
    return (
        Document.objects.filter(dossier=dossier, kind=DocumentKind.RESULT)
        .select_related("agency", "certificate")
        .order_by("-issued_at", "-id")
        .first()
    )


def verification_url(code: str) -> str:
    """The public verification address of a result (what its QR code holds)."""
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + VERIFY_PATH.format(code=code)


def result_templates(dossier: Dossier) -> list[str]:
    """The templates tried for a result: the procedure's own ``documents/results/<code>.html``, then the
    default one."""
    code = (dossier.procedure_record or {}).get("code") or dossier.procedure.code
    names = [RESULT_TEMPLATE]
    if re.fullmatch(r"[0-9A-Za-z.-]{1,20}", code or ""):  # a procedure code, never a path
        names.insert(0, f"documents/results/{code}.html")
    return names


def result_title(record: dict) -> str:
    """The document's title from the procedure's result (``result_type``): its first document named.

    "Giấy khai sinh (bản chính) và bản điện tử Giấy khai sinh; …" gives "Giấy khai sinh"; a result that is
    not one document's name ("Cập nhật thông tin trong Cơ sở dữ liệu…" is long) gives a general title.
    """
    text = (record or {}).get("result_type") or ""
    first = re.split(r"\(|;|\.(?:\s|$)| và bản ", text, maxsplit=1)[0].strip(" ,:")
    return first if 0 < len(first) <= 80 else DEFAULT_RESULT_TITLE


def place_name(agency: Agency | None) -> str:
    """The place name (địa danh) written before the date: the commune's or province's name (Decree 30/2020).

    Read from the names of the agency and then its parents: "Ủy ban nhân dân xã Tân Phong" gives
    "Tân Phong", "Sở Tư pháp tỉnh Hải Đông" gives "Hải Đông"; empty when no name says where.
    """
    unit = re.compile(r"(?:^|\s)(?:tỉnh|thành phố|xã|phường|thị trấn|đặc khu)\s+(.+)$", re.IGNORECASE)
    node, seen = agency, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        match = unit.search(node.name)
        if match:
            return match.group(1).strip()
        node = node.parent
    return ""


def _value_text(field, value) -> str:
    from motcua.forms.rendering import address_text

    if field.kind in ("choice", "multichoice"):
        labels = dict(field.choices())
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    if field.kind == "address":
        return address_text(value)
    if field.kind == "date" and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
    return str(value)


def _readable(fields, data, rows, depth=0) -> dict:
    """``data`` with each value as the document prints it, and ``rows`` (heading, label, value) for a table.

    Files are papers, not facts, and tick boxes are the applicant's declarations: neither is printed.
    """
    out = {}
    for field in fields:
        value = data.get(field.name) if isinstance(data, dict) else None
        if field.kind in ("file", "boolean") or value in (None, "", [], {}):
            continue
        if field.kind == "group":
            rows.append({"heading": field.label, "depth": depth})
            out[field.name] = _readable(field.children, value, rows, depth + 1)
        elif field.kind == "repeat":
            items = []
            for number, item in enumerate(value if isinstance(value, list) else [], start=1):
                rows.append({"heading": f"{field.label} {number}", "depth": depth})
                items.append(_readable(field.children, item, rows, depth + 1))
            out[field.name] = items
        else:
            out[field.name] = _value_text(field, value)
            rows.append({"label": field.label, "value": out[field.name], "depth": depth})
    return out


def form_values(dossier: Dossier) -> tuple[dict, list[dict]]:
    """The dossier's form data as printed on its result (in Vietnamese): a nested dict, and table rows."""
    if dossier.form is None:
        return {}, []
    from motcua.forms.schema import build_fields

    rows = []
    with translation.override("vi"):
        values = _readable(build_fields(dossier.form.schema, dossier.form.ui or {}), dossier.data or {}, rows)
    return values, rows


def result_context(
    dossier: Dossier,
    *,
    agency: Agency,
    number: str,
    verification_code: str,
    issued_at,
    signer_name: str,
    signer_title: str = "",
    decision_text: str = "",
) -> dict:
    """The context of ``documents/result.html`` and of the procedures' own result templates."""
    record = dossier.procedure_record or {}
    values, rows = form_values(dossier)
    return {
        "dossier": dossier,
        "agency": agency,
        "number": number,
        "issued_at": issued_at,
        "place": place_name(agency),
        "title": result_title(record),
        "procedure_code": record.get("code") or dossier.procedure.code,
        "procedure_name": record.get("name") or dossier.procedure.name,
        "applicant_name": dossier.applicant_name,
        "decision_text": decision_text,
        "form": values,
        "form_rows": rows,
        "signer_name": signer_name,
        "signer_title": signer_title,
        "verification_code": verification_code,
        "verification_url": verification_url(verification_code),
    }


# --- public verification (xác minh) ------------------------------------------------------------------------


def _results() -> QuerySet[Document]:
    return Document.objects.filter(kind=DocumentKind.RESULT).select_related(
        "agency", "dossier__agency", "dossier__procedure", "certificate"
    )


def document_facts(document: Document) -> DocumentFacts:
    """The public facts of an issued result (see DocumentFacts for what is left out, and why)."""
    record = document.dossier.procedure_record or {}
    agency = document.agency or document.dossier.agency
    with translation.override("vi"):
        kind_label = str(DocumentKind(document.kind).label)
    return DocumentFacts(
        kind=document.kind,
        kind_label=kind_label,
        title=result_title(record),
        number=document.number,
        verification_code=document.verification_code or "",
        issued_at=document.issued_at,
        agency_code=agency.code if agency else "",
        agency_name=agency.name if agency else "",
        procedure_code=record.get("code") or document.dossier.procedure.code,
        procedure_name=record.get("name") or document.dossier.procedure.name,
        signer_name=document.signer_name,
        signer_title=document.signer_title,
        sha256=document.sha256,
        demo_certificate=bool(document.certificate and document.certificate.is_demo),
        url=verification_url(document.verification_code) if document.verification_code else "",
    )


def verify_code(code: str) -> VerificationResult:
    """Is there a result with this verification code (as printed, or typed in any reasonable way)?"""
    normalized = normalize_code(code)
    document = _results().filter(verification_code=normalized).first() if normalized else None
    if document is None:
        return VerificationResult(genuine=False, reason=Reason.UNKNOWN_CODE)
    return VerificationResult(genuine=True, reason=Reason.GENUINE, document=document_facts(document))


def verify_pdf(content: bytes) -> VerificationResult:
    """Is ``content`` a genuine, unaltered result of this portal? If not, the first reason why not.

    Checks in order: a PDF; signed; the signed bytes match the signature (intact) and the signature
    verifies (valid); the certificate chains to a trusted root; the signature covers the whole file; and
    the portal issued it (a result whose SHA-256, or whose signed digest, it recorded, with that
    certificate). When the file is not the exact one issued but carries its signature, the answer still
    names that document: "altered" or "modified after signing" then says what became of it.
    """
    file_hash = sha256_of(content)
    opened = open_signature(content)
    if isinstance(opened, str):
        return VerificationResult(genuine=False, reason=opened, by_file=True, file_sha256=file_hash)
    # The exact file, else the result whose signature this file carries (then it was changed somewhere).
    document = (
        _results().filter(sha256=file_hash).first()
        or _results().filter(signed_digest=opened.claimed_digest).first()
    )
    # The portal's own record of when it signed is a time it can trust: a result it issued is checked as of
    # that moment, so it stays verifiable after its certificate expires. Anything else is checked as of now.
    check = check_signature(opened, roots=pki.trust_roots(), moment=document.issued_at if document else None)
    facts = document_facts(document) if document else None
    if not (check.intact and check.valid and check.timestamp_sound):
        reason = Reason.ALTERED
    elif not check.trusted:
        reason, facts = Reason.UNKNOWN_CERTIFICATE, None
    elif not check.whole_file:
        reason = Reason.MODIFIED_AFTER_SIGNING
    elif document is None or check.signer_fingerprint != document.certificate_fingerprint:
        reason, facts = Reason.NOT_ISSUED_HERE, None
    else:
        reason = Reason.GENUINE
    return VerificationResult(
        genuine=reason == Reason.GENUINE,
        reason=reason,
        document=facts,
        by_file=True,
        file_sha256=file_hash,
        timestamped_at=check.timestamped_at if reason == Reason.GENUINE else None,
    )


# --- the applicant's document store (kho dữ liệu) ---------------------------------------------------------


def store_of(user) -> QuerySet[StoredDocument]:
    """The documents kept in ``user``'s store, newest first."""
    return StoredDocument.objects.filter(owner=user).select_related(
        "document__dossier__procedure", "document__agency"
    )
