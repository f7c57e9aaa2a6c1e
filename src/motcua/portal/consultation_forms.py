"""The comment form of a consultation's page (góp ý dự thảo): it carries what a visitor typed to
``engagement.services.consultations.comment``, which checks all of it; its messages come back on the fields.
One form per article (and one for the whole draft), each with its own prefix so their fields stay apart."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.engagement.services.consultations import COMMENT_LENGTH


class CommentForm(forms.Form):
    content = forms.CharField(
        label=_("Your comment"), required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": COMMENT_LENGTH[1]}),
    )  # fmt: skip
    author_name = forms.CharField(
        label=_("Name shown with your comment (optional)"), required=False,
        widget=forms.TextInput(attrs={"maxlength": 150, "autocomplete": "organization"}),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].help_text = gettext(
            "%(low)s to %(high)s characters. It is published once a moderator has approved it."
        ) % {"low": COMMENT_LENGTH[0], "high": COMMENT_LENGTH[1]}
        self.fields["author_name"].help_text = gettext(
            "Your full name by default; or the organisation you write for. Nothing else about you is shown."
        )

    def add_service_errors(self, error: ValidationError) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, texts in messages.items():
            self.add_error(field if field in self.fields else None, texts)
