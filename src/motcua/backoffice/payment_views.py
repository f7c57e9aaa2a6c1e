"""The back office's payment actions: a finance officer refunds a payment of a dossier of their agency.

Thin: ``payments.services.refund`` checks who may and when; asking for a payment is the dossier's
``request_payment`` action (``views.act``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier
from motcua.payments import services as payment_services
from motcua.payments.models import Payment


@require_POST
@login_required
def refund(request, reference, payment):
    try:
        dossier = selectors.find_for_officer(request.user, reference)
    except Dossier.DoesNotExist:
        raise Http404(_("No dossier of your agencies has this code.")) from None
    found = Payment.objects.filter(dossier=dossier, reference=payment).first()
    if found is None:
        raise Http404(_("No payment of this dossier has this reference."))
    try:
        payment_services.refund(found, by=request.user, reason=request.POST.get("reason", "")[:2000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (payment_services.PaymentRefused, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        messages.success(
            request, _("The refund of %(reference)s is recorded.") % {"reference": found.reference}
        )
    return redirect("backoffice:dossier", reference=dossier.code)
