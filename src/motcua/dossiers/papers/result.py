"""The signed result (văn bản kết quả giải quyết) of a dossier: what it prints, how it is signed and stored,
and which one the applicant may have.

``draft`` renders it unsigned and unnumbered for the leader to read before approving; ``sign`` renders and
signs the result outside any transaction (``services.results.approve`` calls it before it
locks the dossier); ``store`` then records the signed file with the approval; ``for_applicant`` is the result
the applicant is offered: one that stands (not revoked), once the dossier's status says it is ready.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone, translation

from motcua.catalog.models import Agency
from motcua.documents import selectors as document_selectors
from motcua.documents import services as documents
from motcua.documents.models import Document, DocumentKind

from .. import rules
from ..models import Dossier, DossierStatus

KIND = DocumentKind.RESULT
TEMPLATE = "dossiers/papers/result.html"
DEFAULT_TITLE = "Kết quả giải quyết thủ tục hành chính"
# The applicant has the result when the dossier's status says it is ready (9) or handed over (10).
READY_STATUSES = frozenset({DossierStatus.RESULT_READY, DossierStatus.RETURNED})


def templates(dossier: Dossier) -> list[str]:
    """The templates tried for a result: the procedure's own ``dossiers/papers/results/<code>.html``, then
    the default one."""
    code = (dossier.procedure_record or {}).get("code") or dossier.procedure.code
    names = [TEMPLATE]
    if re.fullmatch(r"[0-9A-Za-z.-]{1,20}", code or ""):  # a procedure code, never a path
        names.insert(0, f"dossiers/papers/results/{code}.html")
    return names


def title(record: dict) -> str:
    """The document's title from the procedure's result (``result_type``): its first document named.

    "Giấy khai sinh (bản chính) và bản điện tử Giấy khai sinh; …" gives "Giấy khai sinh"; a result that is
    not one document's name ("Cập nhật thông tin trong Cơ sở dữ liệu…" is long) gives a general title.
    """
    text = (record or {}).get("result_type") or ""
    first = re.split(r"\(|;|\.(?:\s|$)| và bản ", text, maxsplit=1)[0].strip(" ,:")
    return first if 0 < len(first) <= 80 else DEFAULT_TITLE


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
    """The context of ``dossiers/papers/result.html`` and of the procedures' own result templates."""
    record = dossier.procedure_record or {}
    values, rows = form_values(dossier)
    return {
        "dossier": dossier,
        "agency": agency,
        "number": number,
        "issued_at": issued_at,
        "place": document_selectors.place_name(agency),
        "title": title(record),
        "procedure_code": record.get("code") or dossier.procedure.code,
        "procedure_name": record.get("name") or dossier.procedure.name,
        "applicant_name": dossier.applicant_name,
        "decision_text": decision_text,
        "form": values,
        "form_rows": rows,
        "signer_name": signer_name,
        "signer_title": signer_title,
        "verification_code": verification_code,
        "verification_url": document_selectors.verification_url(verification_code),
    }


@dataclass(frozen=True)
class SignedResult:
    """A result rendered and signed, not stored yet."""

    content: bytes
    number: str
    verification_code: str
    issued_at: datetime
    signer_name: str
    signer_title: str
    title: str
    signing: documents.Signing


def sign(
    dossier: Dossier,
    signing: documents.Signing,
    *,
    number: str,
    signed_by,
    decision_text: str = "",
    signer_title: str = "",
) -> SignedResult:
    """Render, number and sign the result of ``dossier`` with ``signing`` (``documents.signing_for``).

    The PDF (the procedure's own template, else the default) carries ``number`` (số văn bản), the signer
    ``signed_by`` (the leader approving), an optional ``decision_text`` and ``signer_title`` (chức vụ, e.g.
    "CHỦ TỊCH"), and a QR code to its public verification page with a new random verification code. Nothing
    is written: call it outside any transaction. Raises ``pki.CertificateProblem`` when the key or the
    time-stamping server fails.
    """
    from motcua.documents.pdf import render_pdf  # WeasyPrint is slow to import: only renderers pay for it

    signer_name = signed_by.get_full_name()
    issued_at = timezone.now()
    code = documents.unused_verification_code()
    context = result_context(
        dossier,
        agency=signing.agency,
        number=number,
        verification_code=code,
        issued_at=issued_at,
        signer_name=signer_name,
        signer_title=signer_title,
        decision_text=decision_text,
    )
    content = documents.sign(
        render_pdf(templates(dossier), context),
        signing,
        signer_name=signer_name,
        reason=f"{context['title']} số {number}" if number else context["title"],
        location=context["place"],
    )
    return SignedResult(
        content, number, code, issued_at, signer_name, signer_title, context["title"], signing
    )


def draft(dossier: Dossier, *, signer, decision_text: str = "", signer_title: str = "") -> bytes:
    """The result as ``signer`` would sign it now, marked as a draft: no number, no verification code, no
    signature. The leader reads it before approving (``approve`` renders the same template, then numbers
    and signs it); nothing is written or used up."""
    from motcua.documents.pdf import render_pdf

    context = result_context(
        dossier,
        agency=dossier.current_agency,
        number="",
        verification_code="",
        issued_at=timezone.now(),
        signer_name=signer.get_full_name(),
        signer_title=signer_title,
        decision_text=decision_text,
    )
    context["draft"] = True
    return render_pdf(templates(dossier), context)


def draft_filename(dossier: Dossier) -> str:
    return f"du-thao-ket-qua-{dossier.code}.pdf"


def store(dossier: Dossier, signed: SignedResult, *, signed_by) -> Document:
    """Record ``signed`` as the dossier's result. Call it in the transaction that approves the dossier: it
    writes the file first; if that transaction rolls back, the caller deletes it (``documents.delete_file``).
    The applicant's document store gets it when it is ready (``hand_to_applicant``)."""
    record = dossier.procedure_record or {}
    document = documents.store_document(
        dossier,
        KIND,
        signed.content,
        number=signed.number,
        title=signed.title,
        procedure_code=record.get("code") or dossier.procedure.code,
        procedure_name=record.get("name") or dossier.procedure.name,
        verification_code=signed.verification_code,
        issued_at=signed.issued_at,
        signed_by=signed_by,
        signer_name=signed.signer_name,
        signer_title=signed.signer_title,
        **documents.signed_facts(signed.content, signed.signing),
    )
    return document


def hand_to_applicant(dossier: Dossier):
    """The result is ready (status 9): it goes into the applicant's document store too."""
    document = standing(dossier)
    return keep_for_applicant(dossier, document) if document is not None else None


def keep_for_applicant(dossier: Dossier, document: Document):
    """Keep the result in the document store (kho dữ liệu) of the dossier's applicant, titled with its
    number; None for an applicant without an account."""
    label = f"{document.title} số {document.number}" if document.number else document.title
    return documents.keep_in_store(document, owner=dossier.applicant, title=label)


def standing(dossier: Dossier) -> Document | None:
    """The dossier's signed result that stands (the latest, not revoked), or None: what officers see."""
    return document_selectors.current_document(dossier, KIND)


def for_applicant(dossier: Dossier) -> Document | None:
    """The result the applicant is offered: one that stands, and only once the dossier's status says it is
    ready (9) or handed over (10); before that (still "processing", awaiting its number) there is none to
    take, on every path (portal, API, e-mail)."""
    if dossier.status not in READY_STATUSES:
        return None
    return standing(dossier)


def offered_to(dossier: Dossier, user) -> Document | None:
    """The result ``user`` (who may read the dossier) may download: the applicant's rule for the applicant
    (``for_applicant``), the standing result for the officers handling it."""
    return for_applicant(dossier) if rules.is_own(dossier, user) else standing(dossier)


def filename(dossier: Dossier) -> str:
    return f"ket-qua-{dossier.code}.pdf"
