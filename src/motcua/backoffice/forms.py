"""The desk's form for a dossier handed in at the counter or received by post."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Channel
from motcua.dossiers.models import ApplicantKind


class CounterDossierForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How the dossier arrived"),
        choices=[(Channel.IN_PERSON, _("In person at the desk")), (Channel.POSTAL, _("By post"))],
        initial=Channel.IN_PERSON,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label=_("Applicant"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.CITIZEN,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Full name or business name"), max_length=255)
    id_number = forms.CharField(
        label=_("Personal ID (12 digits) or tax code"),
        max_length=13,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    note = forms.CharField(
        label=_("Note for the file"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def applicant(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key, "") for key in ("kind", "name", "id_number", "phone", "email", "address")}
