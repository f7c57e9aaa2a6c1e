"""The applicant's payment page (``/ho-so/<code>/thanh-toan/``): what is owed, the agency's ways to pay, and a
button that opens the checkout and sends them to the gateway.

Thin: ``payments.services.open_checkout`` decides; another person's dossier is "not found".
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.core.net import client_ip
from motcua.dossiers.models import Dossier
from motcua.payments import downloads, rules, selectors, services
from motcua.payments.models import Payment

from .dossier_access import own_dossier


def _payable(request, reference) -> Dossier:
    dossier = own_dossier(request, reference)
    if not rules.allowed(rules.PAY, dossier, request.user):
        raise Http404(_("You have no dossier with this code."))
    return dossier


@never_cache
@login_required
def checkout(request, reference):
    dossier = _payable(request, reference)
    accounts = selectors.gateway_accounts(dossier)
    errors = []
    if request.method == "POST":
        gateway = request.POST.get("gateway", "")
        back = request.build_absolute_uri(reverse("payments:return", kwargs={"gateway": gateway or "none"}))
        try:
            _payment, started = services.open_checkout(
                dossier, by=request.user, gateway=gateway, client_ip=client_ip(request) or "",
                return_url=back, locale=get_language() or "vi",
            )  # fmt: skip
        except ValidationError as exc:
            errors = exc.messages
        except (services.PaymentRefused, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect("portal:dossier_detail", reference=dossier.code)
        else:
            if started.redirect_url:
                return HttpResponseRedirect(started.redirect_url)
            errors = [_("This way of paying cannot be used from this page.")]
    return render(
        request,
        "portal/dossiers/checkout.html",
        {
            "dossier": dossier,
            "charges": selectors.owed_charges(dossier),
            "total": selectors.owed_total(dossier),
            "gateways": [(a.gateway, selectors.gateway_label(a.gateway)) for a in accounts],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@never_cache
@login_required
def receipt(request, reference, payment):
    """The e-receipt of one payment of the applicant's own dossier."""
    dossier = _payable(request, reference)
    found = Payment.objects.filter(dossier=dossier, reference=payment).select_related("dossier").first()
    if found is None:
        raise Http404(_("No payment of this dossier has this reference."))
    return downloads.receipt_response(request, found)
