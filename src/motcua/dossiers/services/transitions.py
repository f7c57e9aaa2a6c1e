"""The transitions of a dossier by name: the table the API and the pages run an action through (``act``).

Which transition is possible when, and for whom, is ``rules.RULES``; each transition is one function in
``reception``, ``processing``, ``results`` or ``endings``.
"""

import inspect

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Dossier, DossierAction
from .endings import stop, withdraw
from .errors import invalid
from .processing import assign, forward, propose, request_payment, send_back
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
    DossierAction.REQUEST_PAYMENT: request_payment,
    DossierAction.NUMBER_RESULT: number_result,
    DossierAction.RETURN_RESULT: return_result,
    DossierAction.STOP: stop,
    DossierAction.WITHDRAW: withdraw,
}


def act(dossier: Dossier, action: str, *, by, request=None, **fields) -> Dossier:
    """Run one named transition with the fields it takes (the API and the pages call this)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise invalid("action", _("Unknown action %(action)s.") % {"action": action})
    accepted = set(inspect.signature(transition).parameters) - {"dossier", "by", "request"}
    unknown = set(fields) - accepted
    if unknown:
        raise ValidationError({name: [_("This action takes no such field.")] for name in sorted(unknown)})
    return transition(dossier, by=by, request=request, **fields)
