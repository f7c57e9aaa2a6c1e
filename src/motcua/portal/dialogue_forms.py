"""The forms of the dialogue pages (đối thoại trực tuyến). ``QuestionForm`` carries what a visitor typed to
``engagement.services.dialogues.ask_question``, which checks all of it (its refusal comes back on the
fields by name); ``TranscriptSearchForm`` checks its one field itself."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.engagement.models.dialogues import CONTENT_LENGTH

from .petition_forms import text


class QuestionForm(forms.Form):
    content = text(_("Your question"), widget=forms.Textarea, rows=5, maxlength=CONTENT_LENGTH[1])
    name = text(_("Your name (shown with the question)"), autocomplete="name", maxlength=150)
    phone = text(_("Phone"), autocomplete="tel", inputmode="tel", maxlength=20)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        self.fields["content"].help_text = _(
            "%(low)s to %(high)s characters. Do not write ID numbers or other personal data."
        ) % {"low": CONTENT_LENGTH[0], "high": CONTENT_LENGTH[1]}
        self.fields["name"].help_text = _(
            "Only your name (and, if you like, where you live, e.g. Nguyễn Văn A, Hải An ward) is shown."
        )
        self.fields["phone"].help_text = (
            _("Optional: your account's phone is used if you leave it empty. Never shown.")
            if signed_in
            else _("Required, for the organisers to reach you if needed. Never shown.")
        )

    def add_service_errors(self, error: ValidationError) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, texts in messages.items():
            self.add_error(field if field in self.fields else None, texts)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "content": data.get("content") or "",
            "name": data.get("name") or "",
            "phone": data.get("phone") or "",
        }


class TranscriptSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, strip=True)

    def clean_q(self):
        q = self.cleaned_data["q"]
        if len(q) > settings.MOTCUA_SEARCH_MAX_LENGTH:
            raise forms.ValidationError(
                _("The search text is too long: at most %(max)s characters, please shorten it."),
                params={"max": settings.MOTCUA_SEARCH_MAX_LENGTH},
            )
        return q
