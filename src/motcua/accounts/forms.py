"""Forms of the account pages. Rules come from ``motcua.core.identity`` and ``services``; the forms only
put each message next to its field."""

from datetime import date

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.core.identity import validate_personal_id, validate_phone, validate_tax_code
from motcua.core.text import whole_number

from . import selectors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password, not like your name."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def check_passwords(self, user) -> None:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
            return
        if first:
            try:
                password_validation.validate_password(first, user)
            except ValidationError as exc:
                self.add_error("password1", exc)


class CitizenRegistrationForm(PasswordPairMixin):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    personal_id = forms.CharField(
        label=_("Personal ID number"),
        max_length=20,
        help_text=_("The 12 digits on your chip-based citizen ID card (CCCD)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=DateInput(attrs={"autocomplete": "bday"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(
        label=_("Address"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    field_order = [
        "full_name",
        "personal_id",
        "birth_date",
        "phone",
        "email",
        "address",
        "password1",
        "password2",
    ]

    def clean_personal_id(self):
        number = validate_personal_id(self.cleaned_data["personal_id"])
        if selectors.personal_id_taken(number):
            raise ValidationError(
                _("An account with this personal ID already exists. Sign in or reset the password.")
            )
        return number

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > date.today():
            raise ValidationError(_("The date of birth cannot be in the future."))
        if born.year < 1900:
            raise ValidationError(_("Check the year of birth."))
        return born

    def clean_phone(self):
        return validate_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        number, born = cleaned.get("personal_id"), cleaned.get("birth_date")
        if number and born:
            try:
                validate_personal_id(number, born)
            except ValidationError as exc:
                self.add_error("personal_id", exc)
        from .models import User

        self.check_passwords(
            User(
                username=number or "", full_name=cleaned.get("full_name", ""), email=cleaned.get("email", "")
            )
        )
        return cleaned


class BusinessRegistrationForm(PasswordPairMixin):
    tax_code = forms.CharField(
        label=_("Tax code"),
        max_length=20,
        help_text=_("10 digits, or 13 for a branch (e.g. 0100109106-001)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    business_name = forms.CharField(
        label=_("Business name"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    representative_name = forms.CharField(label=_("Legal representative"), max_length=150)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(
        label=_("Head office address"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    field_order = [
        "tax_code", "business_name", "representative_name", "phone", "email", "address",
        "password1", "password2",
    ]  # fmt: skip

    def clean_tax_code(self):
        code = validate_tax_code(self.cleaned_data["tax_code"])
        if selectors.tax_code_taken(code):
            raise ValidationError(
                _("An account with this tax code already exists. Sign in or reset the password.")
            )
        return code

    def clean_phone(self):
        return validate_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        from .models import User

        self.check_passwords(
            User(
                username=cleaned.get("tax_code") or "",
                full_name=cleaned.get("business_name", ""),
                email=cleaned.get("email", ""),
            )
        )
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's login form (it passes the request to ``authenticate``, which django-axes needs)."""

    error_messages = {
        "invalid_login": _(
            "The username or password is not right. Citizens sign in with their personal ID, businesses with "
            "their tax code. Passwords are case-sensitive."
        ),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Personal ID, tax code or username")
        self.fields["password"].label = _("Password")


class OTPForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
        help_text=_("The code your authenticator app shows now."),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if len(token) != 6 or whole_number(token, digits=6) is None:
            raise ValidationError(_("Enter the 6 digits the app shows."))
        return token


class ContactForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("A new address is used once you open the link we send to it."),
    )

    def clean_phone(self):
        return validate_phone(self.cleaned_data["phone"])
