"""The transitions of a dossier by name: the table the API and the pages run an action through (``act``).

Which transition is possible when, and for whom, is ``rules.RULES``; each transition is one function in
``reception``, ``processing``, ``results`` or ``endings``. A payment is not requested by name here: it is
requested with its amount through ``payments.services.request_charge`` (a charge, then ``request_payment``),
and ``payment_received`` is taken by payments alone.
"""

import inspect

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Dossier, DossierAction
from .endings import stop, withdraw
from .errors import invalid
from .processing import assign, forward, propose, send_back
from .reception import receive, refuse, request_supplement, supplement
from .results import approve, number_result, reject, return_result

TRANSITIONS = {
    DossierAction.RECEIVE: receive,
    DossierAction.REFUSE: refuse,
    DossierAction.REQUEST_SUPPLEMENT: request_supplement,
    DossierAction.SUPPLEMENT: supplement,
    DossierAction.ASSIGN: assign,
    DossierAction.FORWARD: forward,
    DossierAction.SEND_BACK: send_back,
    DossierAction.PROPOSE: propose,
    DossierAction.APPROVE: approve,
    DossierAction.REJECT: reject,
    DossierAction.NUMBER_RESULT: number_result,
    DossierAction.RETURN_RESULT: return_result,
    DossierAction.STOP: stop,
    DossierAction.WITHDRAW: withdraw,
}


def act(dossier: Dossier, action: str, *, by, request=None, **fields) -> Dossier:
    """Run one named transition with the fields it takes (the API and the pages call this)."""
    transition = TRANSITIONS.get(action)
    if action == DossierAction.REQUEST_PAYMENT:
        raise invalid(
            "action", _("A payment is requested with its amount and reason, on the dossier's payments.")
        )
    if transition is None:
        raise invalid("action", _("Unknown action %(action)s.") % {"action": action})
    accepted = set(inspect.signature(transition).parameters) - {"dossier", "by", "request"}
    unknown = set(fields) - accepted
    if unknown:
        raise ValidationError({name: [_("This action takes no such field.")] for name in sorted(unknown)})
    return transition(dossier, by=by, request=request, **fields)
