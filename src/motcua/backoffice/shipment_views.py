"""The desk's part in results sent by post: the tracking number of a parcel booked at the post-office
counter, and what the post reported (on its way, delivered, failed, returned). Thin: ``delivery.services``
decides, ``delivery.rules`` says who may (the desk of the dossier's receiving agency)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.delivery import services as delivery
from motcua.dossiers import services

from .views import _officer_dossier


def _done(request, found, call, success: str):
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (services.ActionRefused, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        messages.success(request, success)
    return redirect("backoffice:dossier", reference=found.code)


@require_POST
@login_required
def tracking(request, reference):
    found = _officer_dossier(request, reference)
    number = request.POST.get("tracking_number", "")
    return _done(
        request,
        found,
        lambda: delivery.enter_tracking(found, by=request.user, tracking_number=number),
        _("The tracking number has been saved."),
    )


@require_POST
@login_required
def status(request, reference):
    found = _officer_dossier(request, reference)
    return _done(
        request,
        found,
        lambda: delivery.enter_status(
            found, by=request.user, status=request.POST.get("status", ""), note=request.POST.get("note", "")
        ),
        _("The parcel's news has been recorded."),
    )
