"""The slips and letters of a dossier's life (Circular 03/2025 Annex I, forms 02 to 06), as PDFs.

Each is rendered from the record the transition left (the supplement request, the history row, the apology
letter), so the same slip comes out whenever it is printed or attached to an e-mail.
"""

from django.utils import timezone

from motcua.dossiers.models import ApologyLetter, Dossier, DossierEvent, SupplementRequest

from .pdf import render_pdf

SLIPS = {
    "supplement_request": ("documents/slips/supplement_request.html", "phieu-yeu-cau-bo-sung"),
    "refusal": ("documents/slips/refusal.html", "phieu-tu-choi-tiep-nhan"),
    "apology": ("documents/slips/apology.html", "phieu-xin-loi-hen-lai"),
    "stop_notice": ("documents/slips/stop_notice.html", "thong-bao-dung-xu-ly"),
    "control_sheet": ("documents/slips/control_sheet.html", "phieu-kiem-soat"),
}
TIMELINESS = {"early": "sớm hạn", "on_time": "đúng hạn", "late": "trễ hạn"}


def _name(user) -> str:
    return user.get_full_name() if user is not None else ""


def slip_context(dossier: Dossier, kind: str, ref: int | None = None) -> dict:
    """What a slip shows; ``ref`` names the supplement request or apology letter (the latest otherwise)."""
    context = {
        "dossier": dossier,
        "agency": dossier.current_agency or dossier.agency,
        "issued_at": timezone.now(),
    }
    if kind == "supplement_request":
        requests = list(dossier.supplement_requests.order_by("requested_at"))
        request = (
            next((r for r in requests if r.pk == ref), None) if ref else (requests[-1] if requests else None)
        )
        if request is None:
            raise SupplementRequest.DoesNotExist
        context.update(
            request=request,
            request_number=requests.index(request) + 1,
            officer_name=_name(request.requested_by),
            issued_at=request.requested_at,
        )
    elif kind in ("refusal", "stop_notice"):
        action = "refuse" if kind == "refusal" else "stop"
        event = dossier.events.filter(action=action).select_related("actor").order_by("-at").first()
        if event is None:
            raise DossierEvent.DoesNotExist
        context.update(
            event=event,
            officer_name=event.actor_name,
            issued_at=event.at,
            agency=event.to_agency or dossier.agency,
        )
    elif kind == "apology":
        letters = dossier.apology_letters.select_related("sent_by")
        # Without ``ref``: the letter last sent (a draft is a leader's work in progress, not the applicant's).
        letter = (
            letters.filter(pk=ref).first()
            if ref
            else letters.exclude(sent_at=None).order_by("-sent_at").first()
        )
        if letter is None:
            raise ApologyLetter.DoesNotExist
        context.update(
            letter=letter, leader_name=_name(letter.sent_by), issued_at=letter.sent_at or letter.drafted_at
        )
    elif kind == "control_sheet":
        steps = {s.order: s for s in dossier.steps.all()}
        rows = []
        for event in dossier.events.select_related("from_agency", "to_agency").order_by("at", "id"):
            step = steps.get(event.detail.get("step_order")) if isinstance(event.detail, dict) else None
            rows.append(
                {
                    "at": event.at,
                    "from_agency": event.from_agency.name if event.from_agency_id else "",
                    "to_agency": event.to_agency.name if event.to_agency_id else "",
                    "label": event.get_action_display(),
                    "actor": event.actor_name,
                    "note": event.note,
                    "timeliness": TIMELINESS.get(step.timeliness, "") if step else "",
                }
            )
        context["rows"] = rows
    else:
        raise ValueError(f"Unknown slip {kind!r}.")
    return context


def render_slip(dossier: Dossier, kind: str, ref: int | None = None) -> bytes:
    template, _filename = SLIPS[kind]
    return render_pdf(template, slip_context(dossier, kind, ref))


def slip_filename(dossier: Dossier, kind: str) -> str:
    return f"{SLIPS[kind][1]}-{dossier.code}.pdf"


def slip_attachment(dossier_id: int, kind: str, ref: int | None = None) -> tuple[str, bytes, str] | None:
    """For the notifications outbox: the slip attached to the e-mail that announces it."""
    dossier = (
        Dossier.objects.select_related("procedure", "agency", "current_agency").filter(pk=dossier_id).first()
    )
    if dossier is None or dossier.is_draft:
        return None
    return slip_filename(dossier, kind), render_slip(dossier, kind, ref), "application/pdf"
