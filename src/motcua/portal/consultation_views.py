"""The public pages of consultations on drafts (góp ý dự thảo): the list (open, upcoming, closed) and a
draft's page, article by article, with the approved comments under each, a comment form per article and
for the whole draft while it is open (signed in; a visitor gets a sign-in link), and the agency's answers
once published.

Thin: writes through ``engagement.services.consultations`` (every field checked there, its messages back on
the form), reads through ``engagement.selectors.consultations`` (``public_record``: the authors' shown names
only). Everything a visitor wrote is printed escaped. Works without JavaScript.
"""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.core.net import client_ip
from motcua.dossiers.services import ActionRefused
from motcua.engagement import rules
from motcua.engagement.models import ConsultationPhase
from motcua.engagement.selectors import consultations as selectors
from motcua.engagement.services import consultations as services

from .consultation_forms import CommentForm

WHOLE = "whole"  # the target of a comment on the whole draft


def consultations(request):
    """Góp ý dự thảo: the drafts open for comments, those to come and those closed."""
    listed = selectors.public_list()
    context = {
        "open": listed[ConsultationPhase.OPEN],
        "upcoming": listed[ConsultationPhase.UPCOMING],
        "closed": listed[ConsultationPhase.CLOSED],
    }
    return render(request, "portal/consultations/list.html", context)


def _prefix(target) -> str:
    return f"article-{target}" if target != WHOLE else WHOLE


@never_cache
def consultation(request, pk):
    """A draft article by article; posted, a comment on one article or on the whole draft."""
    found = selectors.public_one(pk)
    if found is None:
        raise Http404(_("No published consultation has this number."))
    may_comment = rules.may_comment(found, request.user)
    bound, status = None, 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={quote(request.path)}")
        target = (request.POST.get("target") or WHOLE)[:20]
        form = CommentForm(request.POST, prefix=_prefix(target))
        form.is_valid()
        typed = form.cleaned_data
        try:
            services.comment(
                found, by=request.user, article=None if target == WHOLE else target,
                content=typed.get("content", ""), author_name=typed.get("author_name", ""),
                client_ip=client_ip(request) or "", request=request,
            )  # fmt: skip
        except services.TooManyComments as exc:
            response = render(request, "portal/consultations/too_many.html",
                              {"message": str(exc), "consultation": found}, status=429)  # fmt: skip
            response["Retry-After"] = str(exc.retry_after)
            return response
        except (ActionRefused, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect("portal:consultation", pk=found.pk)
        except ValidationError as exc:
            form.add_service_errors(exc)
            bound, status = (target, form), 400
        else:
            messages.success(
                request, _("Thank you: your comment was received. It will be published once a moderator has "
                           "approved it.")
            )  # fmt: skip
            anchor = f"article-{target}" if target != WHOLE else "whole-draft"
            return redirect(f"{reverse('portal:consultation', kwargs={'pk': found.pk})}#{anchor}")
    record = selectors.public_record(found)
    if bound is not None and bound[0] not in {str(a["id"]) for a in record["articles"]}:
        bound = (WHOLE, bound[1])  # an article not of this draft: its message shown on the whole draft's form
    if may_comment:
        for article in record["articles"]:
            article["form"] = _form(bound, str(article["id"]))
        record["form"] = _form(bound, WHOLE)
    context = {
        "consultation": found,
        "record": record,
        "may_comment": may_comment,
        "has_errors": status == 400,
        "login_url": f"{reverse('accounts:login')}?next={quote(request.path)}",
    }
    return render(request, "portal/consultations/detail.html", context, status=status)


def _form(bound, target: str) -> CommentForm:
    if bound is not None and bound[0] == target:
        return bound[1]
    return CommentForm(prefix=_prefix(target))
