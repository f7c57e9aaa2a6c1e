"""The back office's payment actions: a finance officer refunds a payment of a dossier of their agency, or
records a charge paid at the desk (waived); officers of the dossier read a payment's e-receipt.

Thin: ``payments.services.refund`` and ``waive_charge`` check who may and when; asking for a payment is
the dossier's ``request_payment`` action (``views.act``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier
from motcua.payments import downloads, rules
from motcua.payments import services as payment_services
from motcua.payments.models import Charge, Payment


def _dossier(request, reference) -> Dossier:
    try:
        return selectors.find_for_officer(request.user, reference)
    except Dossier.DoesNotExist:
        raise Http404(_("No dossier of your agencies has this code.")) from None


@require_POST
@login_required
def refund(request, reference, payment):
    dossier = _dossier(request, reference)
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


@require_POST
@login_required
def waive(request, reference, charge):
    """Thu tại quầy / miễn: the charge is settled at the desk (cash) or exempted, with the reason."""
    dossier = _dossier(request, reference)
    found = Charge.objects.filter(dossier=dossier, pk=charge).first()
    if found is None:
        raise Http404(_("No charge of this dossier has this number."))
    try:
        payment_services.waive_charge(found, by=request.user, reason=request.POST.get("reason", "")[:2000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (payment_services.PaymentRefused, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        messages.success(request, _("The charge is recorded as paid at the desk or waived."))
    return redirect("backoffice:dossier", reference=dossier.code)


@never_cache
@login_required
def receipt(request, reference, payment):
    """The e-receipt of a payment of a dossier the officer may read."""
    dossier = _dossier(request, reference)
    if not rules.allowed(rules.SEE, dossier, request.user):
        raise Http404(_("No dossier of your agencies has this code."))
    found = Payment.objects.filter(dossier=dossier, reference=payment).select_related("dossier").first()
    if found is None:
        raise Http404(_("No payment of this dossier has this reference."))
    return downloads.receipt_response(request, found)
