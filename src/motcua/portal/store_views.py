"""Kho dữ liệu: the applicant's document store page: every paper they sent and every document issued to
them, each with its kind, issuer and validity; the owner renames, dates, removes and downloads them.

Thin: reads through ``documents.selectors``, writes through ``documents.services``. Another person's entry
is "not found", never "forbidden". Works without JavaScript: each entry's edit form opens in a
``<details>``, and every button is a form post.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.catalog.models import PaperKind
from motcua.documents import selectors, services
from motcua.documents.models import StoredDocument
from motcua.documents.views import stored_file_response


def _own(request, entry) -> StoredDocument:
    try:
        return selectors.entry_of(request.user, entry)
    except StoredDocument.DoesNotExist:
        raise Http404(_("This document is not in your store.")) from None


def _page(request, *, errors=None, failed=None, status=200):
    return render(
        request,
        "portal/dossiers/store.html",
        {
            "stored": selectors.store_of(request.user),
            "kinds": PaperKind.choices,
            "errors": errors or {},
            "failed": failed,
        },
        status=status,
    )


@never_cache
@login_required
def document_store(request):
    """Kho dữ liệu: the papers the applicant sent and the documents issued to them, kept for reuse."""
    return _page(request)


def _date(text: str):
    """A date typed as dd/mm/yyyy or sent by a date input (yyyy-mm-dd); None for empty; ValueError else."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


@require_POST
@login_required
def update_entry(request, entry):
    found = _own(request, entry)
    changes = {"title": request.POST.get("title", "")[:1000]}
    if not found.is_issued:
        changes["issuer"] = request.POST.get("issuer", "")[:1000]
    try:
        changes["valid_until"] = _date(request.POST.get("valid_until", "")[:20])
    except ValueError:
        errors = {"valid_until": [_("Enter a date, such as 31/12/2030.")]}
        return _page(request, errors=errors, failed=found.pk, status=400)
    try:
        services.update_stored(found, by=request.user, **changes)
    except ValidationError as exc:
        return _page(request, errors=exc.message_dict, failed=found.pk, status=400)
    except PermissionDenied:
        raise Http404(_("This document is not in your store.")) from None
    messages.success(request, _("The document has been updated."))
    return redirect("portal:document_store")


@require_POST
@login_required
def remove_entry(request, entry):
    try:
        services.remove_stored(_own(request, entry), by=request.user)
    except PermissionDenied:
        raise Http404(_("This document is not in your store.")) from None
    messages.success(
        request,
        _("The document has been removed from your store; the dossiers that hold it keep their copy."),
    )
    return redirect("portal:document_store")


@never_cache
@login_required
def entry_file(request, entry):
    return stored_file_response(_own(request, entry))
