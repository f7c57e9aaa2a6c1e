"""Which of the applicant's dossiers a request may open, and what the applicant's form pages share: another
person's dossier is "not found" (never "forbidden"), the form a procedure is filled in with, the redirect
after a posted form, a refusal's messages by field."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.dossiers import rules, selectors
from motcua.dossiers.models import Dossier
from motcua.forms import services as form_services
from motcua.forms.models import OnlineForm


def own_dossier(request, reference) -> Dossier:
    """The dossier ``reference`` names if the signed-in person may read it; else 404."""
    try:
        dossier = selectors.find_visible(request.user, reference)
    except Dossier.DoesNotExist:
        raise Http404(_("You have no dossier with this code.")) from None
    return dossier


def own_draft(request, reference) -> Dossier:
    """The same, and only while the person may still change it (a draft, or a supplement awaited)."""
    dossier = own_dossier(request, reference)
    if not rules.may_edit(dossier, request.user):
        raise Http404(_("You have no dossier with this code."))
    return dossier


def published_form(procedure: Procedure) -> OnlineForm:
    """The form the procedure is filled in with now: its own, else its generic one."""
    try:
        return form_services.form_for(procedure)
    except OnlineForm.DoesNotExist:
        raise Http404(_("This procedure cannot be submitted online yet.")) from None


def after_form(to: str, **kwargs):
    """The page after a form of the draft was posted. Those forms post to ``#error-summary`` (where the
    browser lands when errors come back), and a browser keeps a fragment across a redirect without one:
    ``#top`` (the top of the page, by the HTML standard) replaces it."""
    return redirect(f"{reverse(to, kwargs=kwargs)}#top")


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    """A service's refusal as messages by field (``non_field_errors`` when it names none)."""
    return exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
