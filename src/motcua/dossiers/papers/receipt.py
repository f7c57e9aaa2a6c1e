"""Form 01, the receipt and appointment slip (giấy tiếp nhận hồ sơ và hẹn trả kết quả): what it says about a
dossier, and the one stored for its current reception (reissued when the desk fixes the due date)."""

import re
from collections import Counter

from django.utils import translation

from motcua.accounts.selectors import is_officer
from motcua.catalog.models import Channel, TimeUnit
from motcua.documents import services as documents
from motcua.documents.models import Document, DocumentKind

from .. import selectors
from ..models import ApplicantKind, Dossier
from . import receipt_pdf

KIND = DocumentKind.RECEIPT


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
    """What form 01 shows about ``dossier``: everything ``receipt_pdf.render`` draws, and nothing else.

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
        "tracking_url": selectors.tracking_url(dossier),
    }


def receipt(dossier: Dossier) -> Document:
    """The receipt of ``dossier``'s current reception: the stored one, or rendered and stored the first time
    (once, even when two workers ask at the same moment). Raises ValueError for a draft, which has no code
    and so no receipt. Call it after the transaction that sent or received the dossier has committed."""
    if dossier.is_draft or not dossier.code:
        raise ValueError("A draft dossier has no receipt: it has not been sent yet.")
    return documents.issue_once(dossier, KIND, lambda: receipt_pdf.render(receipt_context(dossier)))


def reissue(dossier: Dossier) -> int:
    """The receipt the applicant holds no longer says the truth (the desk fixed the due date): the next
    ``receipt`` renders a new one; the old one is kept as it was issued."""
    return documents.supersede(dossier, KIND)


def filename(dossier: Dossier) -> str:
    # The code is made of an agency identifier, a date and digits; anything else a custom format might put
    # in it is kept out of the file name.
    safe_code = re.sub(r"[^A-Za-z0-9._-]+", "-", dossier.code or "")
    return f"giay-tiep-nhan-{safe_code}.pdf"
