"""The procedure search filters, validated once for the portal page and the API alike."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import AuthorityLevel, ServiceLevel
from .selectors import ProcedureFilters, find_agency, find_sector


class ProcedureSearchForm(forms.Form):
    """``?q=&sector=&agency=&authority_level=&service_level=``; every value is optional."""

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    sector = forms.CharField(label=_("Sector"), required=False)
    agency = forms.CharField(label=_("Agency"), required=False)
    authority_level = forms.ChoiceField(
        label=_("Level of authority"),
        required=False,
        choices=[("", _("All levels")), *AuthorityLevel.choices],
        error_messages={"invalid_choice": _("Unknown level of authority '%(value)s'.")},
    )
    service_level = forms.ChoiceField(
        label=_("Service level"),
        required=False,
        choices=[("", _("All service levels")), *ServiceLevel.choices],
        error_messages={"invalid_choice": _("Unknown service level '%(value)s'.")},
    )

    def clean_q(self):
        q = self.cleaned_data["q"]
        limit = settings.MOTCUA_SEARCH_MAX_LENGTH
        if len(q) > limit:
            raise forms.ValidationError(
                _("The search text is too long: at most %(max)s characters, please shorten it."),
                params={"max": limit},
                code="max_length",
            )
        return q

    def clean_sector(self):
        value = self.cleaned_data["sector"].strip()
        if not value:
            return None
        sector = find_sector(value)
        if sector is None:
            raise forms.ValidationError(_("Unknown sector '%(value)s'."), params={"value": value})
        return sector

    def clean_agency(self):
        value = self.cleaned_data["agency"].strip()
        if not value:
            return None
        agency = find_agency(value)
        if agency is None:
            raise forms.ValidationError(_("Unknown agency '%(value)s'."), params={"value": value})
        return agency

    def filters(self) -> ProcedureFilters:
        """The validated filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return ProcedureFilters(
            q=data.get("q") or "",
            sector=data.get("sector"),
            agency=data.get("agency"),
            authority_level=data.get("authority_level") or "",
            service_level=data.get("service_level") or "",
        )
