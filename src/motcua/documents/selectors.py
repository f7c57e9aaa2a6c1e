"""Reads about documents: a dossier's stored receipt, and what its receipt shows."""

import hashlib
from collections import Counter

from django.utils import translation

from motcua.accounts.selectors import is_officer
from motcua.catalog.models import Channel, TimeUnit
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import ApplicantKind, Dossier

from .models import Document, DocumentKind


class TamperedDocument(Exception):
    """The stored file of a document no longer has the SHA-256 recorded when it was issued."""


def receipt_of(dossier: Dossier) -> Document | None:
    """The receipt and appointment slip (giấy tiếp nhận) stored for ``dossier``, or None."""
    return Document.objects.filter(dossier=dossier, kind=DocumentKind.RECEIPT).first()


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
