"""The forms of the petitions pages (phản ánh, kiến nghị).

``PetitionForm`` only carries what a visitor typed to ``engagement.services.petitions.send_petition``, which
checks all of it: its fields are of the right types and nothing more (no "required", no length, no choice
list), and the service's refusal comes back on them by name (``add_service_errors``). The limits the
page shows are the service's own. ``AnswerSearchForm`` checks its filters itself, as the procedure search
form does; ``AnswerRatingForm`` carries the sender's yes or no to ``rate_answer``.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog import selectors as catalog_selectors
from motcua.engagement.models import PetitionCategory, PetitionKind
from motcua.engagement.services.petitions import MAX_ATTACHMENTS
from motcua.engagement.services.petitions.common import NOTE_LENGTH
from motcua.engagement.services.petitions.sending import CONTENT_LENGTH, SUBJECT_LENGTH

ACCEPTED_FILES = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Every file chosen in one ``<input type=file multiple>``, as a list; the service checks them."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [upload for upload in files if upload]


def text(label, help_text="", *, widget=None, **attrs):
    """A text field that keeps what was typed and checks nothing (the service does)."""
    widget = widget or forms.TextInput
    return forms.CharField(
        label=label, help_text=help_text, required=False, widget=widget(attrs=attrs or None)
    )


class PetitionForm(forms.Form):
    """Gửi phản ánh, kiến nghị: the fields of ``send_petition``, named as its messages name them."""

    REQUIRED = frozenset({"kind", "category", "subject", "content"})  # marked with a star on the page
    ABOUT = ("procedure", "dossier_code", "about_agency", "regulation")  # one per category naming a thing
    CONTACT = ("sender_name", "sender_email", "sender_phone")  # anonymous feedback only

    kind = forms.CharField(label=_("Feedback or petition"), required=False)
    category = forms.CharField(label=_("What is it about?"), required=False)
    procedure = text(
        _("Procedure code (when about a procedure)"),
        _("As written on the procedure's page, e.g. 1.001193."),
        autocomplete="off",
        spellcheck="false",
    )
    dossier_code = text(
        _("Dossier code (when about a dossier)"),
        _("As written on the dossier's receipt."),
        autocomplete="off",
        spellcheck="false",
    )
    about_agency = forms.CharField(label=_("Agency (when about an agency or its officers)"), required=False)
    regulation = text(
        _("Regulation (when about a regulation)"),
        _("Its number or title, e.g. Decision 12/2026/QĐ-UBND."),
    )
    subject = text(_("Subject"), maxlength=SUBJECT_LENGTH[1])
    content = text(_("Content"), widget=forms.Textarea, rows=8, maxlength=CONTENT_LENGTH[1])
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ACCEPTED_FILES}),
    )
    consent_to_publish = forms.BooleanField(
        label=_("I agree that the answer may be published"), required=False
    )
    sender_name = text(_("Your name"), autocomplete="name", maxlength=150)
    sender_email = text(_("E-mail"), widget=forms.EmailInput, autocomplete="email")
    sender_phone = text(_("Phone"), widget=forms.TextInput, autocomplete="tel", inputmode="tel")

    kinds = PetitionKind.choices
    categories = PetitionCategory.choices

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limits are the service's and the settings', written in the language of this request.
        fields = self.fields
        fields["subject"].help_text = gettext("A short title, %(low)s to %(high)s characters.") % {
            "low": SUBJECT_LENGTH[0],
            "high": SUBJECT_LENGTH[1],
        }
        fields["content"].help_text = gettext(
            "What happened, where and when, and what you propose: %(low)s to %(high)s characters. Do not "
            "write ID numbers or other personal data the agency does not need."
        ) % {"low": CONTENT_LENGTH[0], "high": CONTENT_LENGTH[1]}
        fields["attachments"].help_text = gettext(
            "Up to %(count)s files: PDF, JPEG or PNG, each at most %(file_mb)s MB, all together at most "
            "%(total_mb)s MB."
        ) % {
            "count": MAX_ATTACHMENTS,
            "file_mb": settings.MOTCUA_MAX_FILE_MB,
            "total_mb": settings.MOTCUA_MAX_DOSSIER_MB,
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's refusal, each message on the field it names (the form's top otherwise)."""
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, texts in messages.items():
            self.add_error(field if field in self.fields else None, texts)

    def values(self) -> dict:
        """What ``send_petition`` takes, from the cleaned data."""
        data = self.cleaned_data
        return {name: data.get(name) for name in self.fields}


class AnswerSearchForm(forms.Form):
    """``?q=&agency=&procedure=&category=`` of the published answers; every value is optional."""

    q = forms.CharField(label=_("Words"), required=False, strip=True)
    agency = forms.CharField(label=_("Agency"), required=False)
    procedure = forms.CharField(label=_("Procedure code"), required=False)
    category = forms.ChoiceField(
        label=_("About"),
        required=False,
        choices=[("", _("Everything")), *PetitionCategory.choices],
        error_messages={"invalid_choice": _("Choose what it is about from the list.")},
    )

    def clean_q(self):
        q = self.cleaned_data["q"]
        if len(q) > settings.MOTCUA_SEARCH_MAX_LENGTH:
            raise forms.ValidationError(
                _("The search text is too long: at most %(max)s characters, please shorten it."),
                params={"max": settings.MOTCUA_SEARCH_MAX_LENGTH},
            )
        return q

    def clean_agency(self):
        value = self.cleaned_data["agency"].strip()
        if not value:
            return None
        agency = catalog_selectors.find_agency(value)
        if agency is None:
            raise forms.ValidationError(_("Unknown agency '%(value)s'."), params={"value": value})
        return agency

    def clean_procedure(self):
        value = self.cleaned_data["procedure"].strip()
        if not value:
            return None
        procedure = catalog_selectors.find_procedure(value)
        if procedure is None:
            raise forms.ValidationError(_("No procedure has the code %(code)s."), params={"code": value})
        return procedure

    def filters(self) -> dict:
        """The keyword arguments of ``selectors.petitions.published`` (call after ``is_valid()``)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "q": data.get("q") or "",
            "agency": data.get("agency"),
            "procedure": data.get("procedure"),
            "category": data.get("category") or "",
        }


class AnswerRatingForm(forms.Form):
    """The sender's word on the answer: yes or no, and a comment; ``rate_answer`` checks both."""

    ANSWERS = {"yes": True, "no": False}

    satisfied = forms.CharField(label=_("Does this answer satisfy you?"), required=False)
    comment = text(_("Comment (optional)"), widget=forms.Textarea, rows=3, maxlength=NOTE_LENGTH)

    def values(self) -> dict:
        # Neither yes nor no is passed on as None, which the service refuses with its own message.
        data = self.cleaned_data
        return {"satisfied": self.ANSWERS.get(data.get("satisfied")), "comment": data.get("comment") or ""}

    def add_service_errors(self, error: ValidationError) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, texts in messages.items():
            self.add_error(field if field in self.fields else None, texts)
