"""The officers' form of a dialogue session (đối thoại trực tuyến): its topic, announcement, time, agencies
and up to ``LEADER_ROWS`` leaders with their positions and secretaries. It reads the choices; the service
(``engagement.services.dialogues``) checks the values and names every wrong field."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import OfficerRole
from motcua.catalog.models import Agency

LEADER_ROWS = 4
DATETIME = "%Y-%m-%dT%H:%M"


def _people(**memberships):
    return (
        get_user_model()
        .objects.filter(is_active=True, **memberships)
        .distinct()
        .order_by("full_name", "username")
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Announcement"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    organiser = forms.ModelChoiceField(
        label=_("Organising agency"), queryset=Agency.objects.none(), required=False
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"), required=False, input_formats=[DATETIME],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME),
    )  # fmt: skip
    ends_at = forms.DateTimeField(
        label=_("Ends at"), required=False, input_formats=[DATETIME],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME),
    )  # fmt: skip
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies taking part"), queryset=Agency.objects.filter(is_active=True), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisers is None:
            del self.fields["organiser"]  # editing: the organiser stays
        else:
            self.fields["organiser"].queryset = Agency.objects.filter(pk__in=organisers).order_by(
                "order", "name"
            )
        leaders = _people(memberships__role=OfficerRole.LEADER)
        officers = _people(memberships__isnull=False)
        for n in range(1, LEADER_ROWS + 1):
            self.fields[f"leader_{n}"] = forms.ModelChoiceField(
                label=_("Leader %(n)s") % {"n": n}, queryset=leaders, required=False
            )
            self.fields[f"title_{n}"] = forms.CharField(
                label=_("Position of leader %(n)s") % {"n": n}, max_length=150, required=False
            )
            self.fields[f"secretary_{n}"] = forms.ModelChoiceField(
                label=_("Secretary of leader %(n)s (optional)") % {"n": n}, queryset=officers, required=False
            )

    def leader_rows(self):
        """The bound fields of each leader's row, for the template."""
        return [
            (self[f"leader_{n}"], self[f"title_{n}"], self[f"secretary_{n}"])
            for n in range(1, LEADER_ROWS + 1)
        ]

    def values(self) -> dict:
        data = self.cleaned_data
        leaders = [
            {"leader": data[f"leader_{n}"], "title": data[f"title_{n}"], "secretary": data[f"secretary_{n}"]}
            for n in range(1, LEADER_ROWS + 1)
            if data.get(f"leader_{n}")
        ]
        values = {
            "title": data.get("title") or "", "summary": data.get("summary") or "",
            "starts_at": data.get("starts_at"), "ends_at": data.get("ends_at"),
            "agencies": list(data.get("agencies") or []), "leaders": leaders,
        }  # fmt: skip
        if "organiser" in self.fields:
            values["organiser"] = data.get("organiser")
        return values

    def add_service_errors(self, error: ValidationError) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, texts in messages.items():
            target = "leader_1" if field == "leaders" else field
            self.add_error(target if target in self.fields else None, texts)


def initial_of(session) -> dict:
    """The form's values for an existing session."""
    initial = {
        "title": session.title, "summary": session.summary,
        "starts_at": timezone.localtime(session.starts_at), "ends_at": timezone.localtime(session.ends_at),
        "agencies": list(session.agencies.all()),
    }  # fmt: skip
    for n, row in enumerate(session.leader_rows.order_by("order", "id")[:LEADER_ROWS], start=1):
        initial.update({f"leader_{n}": row.leader, f"title_{n}": row.title, f"secretary_{n}": row.secretary})
    return initial
