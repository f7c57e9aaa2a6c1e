"""The one-stop desk (bộ phận một cửa): where officers register counter dossiers and see their agency's files.

Thin: the rules are in ``dossiers.services`` and ``dossiers.selectors``; an officer reaches only the agencies
of their memberships (anything else is "not found").
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import OfficerRole
from motcua.audit import services as audit
from motcua.catalog.models import Procedure
from motcua.dossiers import downloads, selectors, services
from motcua.dossiers.models import Dossier
from motcua.forms.rendering import render_summary

from .forms import CounterDossierForm


def _desk_agency(request, slug):
    agency = account_selectors.officer_agencies(request.user, role=OfficerRole.DESK).filter(slug=slug).first()
    if agency is None:
        raise Http404(_("You are not a desk officer of this agency."))
    return agency


@never_cache
@login_required
def home(request):
    agencies = account_selectors.officer_agencies(request.user)
    if not agencies.exists():
        raise Http404(_("This area is for officers."))
    desks = account_selectors.officer_agencies(request.user, role=OfficerRole.DESK)
    recent = (
        selectors.officer_dossiers(request.user)
        .select_related("procedure", "agency")
        .order_by("-submitted_at")[:20]
    )
    return render(request, "backoffice/home.html", {"desks": desks, "recent": recent})


@never_cache
@login_required
def choose_procedure(request, agency):
    agency = _desk_agency(request, agency)
    procedures = Procedure.objects.active().filter(agencies=agency).order_by("code").only("code", "name")
    return render(request, "backoffice/choose_procedure.html", {"agency": agency, "procedures": procedures})


@never_cache
@login_required
def register(request, agency, code):
    agency = _desk_agency(request, agency)
    procedure = Procedure.objects.active().filter(agencies=agency, code=code).first()
    if procedure is None:
        raise Http404(_("This agency does not receive that procedure."))
    components = list(procedure.components.order_by("order"))
    form = CounterDossierForm(request.POST or None)
    file_errors: dict[int, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        files = [
            (component.order, upload)
            for component in components
            for upload in request.FILES.getlist(f"component-{component.order}")
        ]
        try:
            dossier = services.register_at_counter(
                officer=request.user,
                procedure=procedure,
                agency=agency,
                channel=form.cleaned_data["channel"],
                applicant=form.applicant(),
                files=files,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field.startswith("component."):
                    file_errors[int(field.split(".", 1)[1])] = errors
                elif field in form.fields:
                    form.add_error(field, errors)
                else:
                    form.add_error(None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Dossier %(code)s is registered. Print the receipt for the applicant.")
                % {"code": dossier.code},
            )
            return redirect("backoffice:dossier", reference=dossier.code)
    return render(
        request,
        "backoffice/register.html",
        {
            "agency": agency,
            "procedure": procedure,
            "components": components,
            "form": form,
            "file_errors": file_errors,
        },
        status=400 if form.errors or file_errors else 200,
    )


def _officer_dossier(request, reference) -> Dossier:
    try:
        return selectors.find_for_officer(request.user, reference)
    except Dossier.DoesNotExist:
        raise Http404(_("No dossier of your agencies has this code.")) from None


@never_cache
@login_required
def dossier(request, reference):
    found = _officer_dossier(request, reference)
    audit.record("dossier.view", actor=request.user, request=request, target=found, target_label=found.code)

    return render(
        request,
        "backoffice/dossier.html",
        {
            "dossier": found,
            "summary": render_summary(found.form, found.data) if found.form_id else "",
            "attachments": found.attachments.all(),
            "history": selectors.history(found),
        },
    )


@never_cache
@login_required
def receipt(request, reference):
    found = _officer_dossier(request, reference)
    return downloads.receipt_response(request, found, inline=True)
