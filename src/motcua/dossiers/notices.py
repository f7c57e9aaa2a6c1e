"""What the applicant is told when their dossier's status changes: which changes deserve a message, and
for each, what happened and what to do next, in the words of the status (its label in ``DossierStatus``).

One table, one rule: a status not in ``NOTICES`` is not worth a message (the dossier passing from one
officer to another, "processing", is the agencies' business; a withdrawal is the applicant's own act and
is confirmed on the page). Texts are lazy: a notification is rendered once in Vietnamese and once in
English. Each message links to the dossier (and to its result when there is one to download).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Dossier, DossierStatus, Outcome
from .papers import result as result_paper


@dataclass(frozen=True)
class Notice:
    happened: Promise
    next_step: Promise


NOTICES = {
    DossierStatus.SUBMITTED: Notice(
        _("Your dossier has been sent online. The one-stop desk has not checked it yet."),
        _(
            "The desk checks the papers, then receives the dossier or tells you what is missing. "
            "You need do nothing until then."
        ),
    ),
    DossierStatus.RECEIVED: Notice(
        _("The one-stop desk has checked your dossier and received it."),
        _("It is being processed; you need do nothing unless the agency asks you."),
    ),
    DossierStatus.REFUSED: Notice(
        _("The one-stop desk could not receive your dossier."),
        _("Read the reason on the dossier's page; you may send a new dossier once it is dealt with."),
    ),
    DossierStatus.SUPPLEMENT_REQUESTED: Notice(
        _("The agency needs more papers or corrections."),
        _("Add them on the dossier's page; the time limit stands still until you send them."),
    ),
    DossierStatus.PAYMENT_REQUESTED: Notice(
        _("The fee of your dossier is due."),
        _("Pay it on the dossier's page; the processing goes on once it is paid."),
    ),
    DossierStatus.STOPPED: Notice(
        _("The processing of your dossier has been stopped."),
        _("Read the reason on the dossier's page; contact the agency if you have questions."),
    ),
    DossierStatus.RESULT_READY: Notice(
        _("Your dossier has been processed and its result is ready."),
        _("Download the result from the link below, or collect it at the one-stop desk with your receipt."),
    ),
    DossierStatus.RETURNED: Notice(
        _("The result of your dossier has been handed over."),
        _("The electronic copy stays on the dossier's page and in your document store."),
    ),
}
# Ready, but the request was not granted: the written answer with the reasons waits at the desk.
NOT_GRANTED = Notice(
    _("The agency has decided not to grant your request."),
    _("Read the reasons on the dossier's page; the written answer can be collected at the one-stop desk."),
)

# Back to processing once what was requested is paid: the one move into "processing" the applicant hears of.
PAID = Notice(
    _("Your payment has been received."),
    _("The processing of your dossier goes on; you need do nothing unless the agency asks you."),
)


def paid_context(dossier: Dossier) -> dict:
    """The words of the message that a requested payment was received (``services.payment_received``)."""
    return {
        "status_label": DossierStatus(dossier.status).label,
        "happened": PAID.happened,
        "next_step": PAID.next_step,
        "result_url": "",
    }


def notice_for(dossier: Dossier) -> Notice | None:
    """What to tell the applicant about the status ``dossier`` has now; None: nothing."""
    if dossier.status == DossierStatus.RESULT_READY and dossier.outcome == Outcome.REJECTED:
        return NOT_GRANTED
    return NOTICES.get(DossierStatus(dossier.status))


def context(dossier: Dossier) -> dict | None:
    """The words of the message for the status ``dossier`` has now (None when it deserves none): the
    status label, what happened, what to do next, and the absolute address of the result to download."""
    notice = notice_for(dossier)
    if notice is None:
        return None
    result_url = ""
    if result_paper.for_applicant(dossier) is not None:
        result_url = settings.MOTCUA_PUBLIC_URL.rstrip("/") + selectors.applicant_result_link(dossier)
    return {
        "status_label": DossierStatus(dossier.status).label,
        "happened": notice.happened,
        "next_step": notice.next_step,
        "result_url": result_url,
    }
