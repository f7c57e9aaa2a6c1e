"""The slips and letters of a dossier's life (Circular 03/2025 Annex I, forms 02 to 06), as PDFs.

Each is rendered from the record the transition left (the supplement request, the history row, the apology
letter), so the same slip comes out whenever it is printed or attached to an e-mail.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import ApologyLetter, Dossier, DossierAction, DossierEvent, SupplementRequest
from ..selectors import TIMELINESS_VI

SLIPS = {
    "supplement_request": ("dossiers/papers/slips/supplement_request.html", "phieu-yeu-cau-bo-sung"),
    "refusal": ("dossiers/papers/slips/refusal.html", "phieu-tu-choi-tiep-nhan"),
    "apology": ("dossiers/papers/slips/apology.html", "phieu-xin-loi-hen-lai"),
    "stop_notice": ("dossiers/papers/slips/stop_notice.html", "thong-bao-dung-xu-ly"),
    "control_sheet": ("dossiers/papers/slips/control_sheet.html", "phieu-kiem-soat"),
}
# The process control sheet is the agencies' own record: officers print it, the applicant is not given it.
INTERNAL = {"control_sheet"}


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
                    "timeliness": TIMELINESS_VI.get(step.timeliness, "").lower() if step else "",
                }
            )
        context["rows"] = rows
    else:
        raise ValueError(f"Unknown slip {kind!r}.")
    return context


def render_slip(dossier: Dossier, kind: str, ref: int | None = None) -> bytes:
    from motcua.documents.pdf import render_pdf  # WeasyPrint is slow to import: only renderers pay for it

    template, _filename = SLIPS[kind]
    return render_pdf(template, slip_context(dossier, kind, ref))


def slip_filename(dossier: Dossier, kind: str) -> str:
    return f"{SLIPS[kind][1]}-{dossier.code}.pdf"


def issued(dossier: Dossier) -> list[tuple[str, str]]:
    """The slips the applicant has received (kind, label), from what the dossier's record holds."""
    found = []
    if dossier.supplement_requests.exists():
        found.append(("supplement_request", _("Supplement request (form 02)")))
    actions = set(dossier.events.values_list("action", flat=True))
    if DossierAction.REFUSE in actions:
        found.append(("refusal", _("Refusal of reception (form 03)")))
    if dossier.apology_letters.filter(sent_at__isnull=False).exists():
        found.append(("apology", _("Apology and new appointment (form 04)")))
    if DossierAction.STOP in actions:
        found.append(("stop_notice", _("Notice of stopped processing (form 05)")))
    return found


def offered_to(dossier: Dossier, user) -> list[tuple[str, str]]:
    """The slips ``user`` (who may read the dossier) may download: the applicant those issued to them, an
    officer the process control sheet as well."""
    if rules.is_own(dossier, user) or dossier.is_draft:
        return issued(dossier)
    return [("control_sheet", _("Process control sheet (form 06)")), *issued(dossier)]


def may_download(dossier: Dossier, user, kind: str) -> bool:
    return kind in SLIPS and not (kind in INTERNAL and rules.is_own(dossier, user))
