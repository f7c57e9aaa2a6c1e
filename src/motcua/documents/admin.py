"""Documents in the admin, for system administrators only.

Issued documents are a read-only register: they are issued by ``documents.services`` and never edited; their
files hold personal data and have no URL, so the list shows sizes, not links. Signing certificates are
registered here (a PKCS#12 file on the server, or a key in a PKCS#11 token): the subject, dates and
fingerprint are read from the certificate, and a certificate is never deleted, since results name it.
"""

from dataclasses import asdict

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import pki
from .models import CertificateSource, Document, SigningCertificate, StoredDocument


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["kind", "about", "number", "verification_code", "created_at", "size", "revoked_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["number", "verification_code", "procedure_code", "sha256"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "about",
        "title",
        "procedure_code",
        "procedure_name",
        "number",
        "size",
        "sha256",
        "created_at",
        "uuid",
        "agency",
        "verification_code",
        "issued_at",
        "signer_name",
        "signer_title",
        "certificate",
        "certificate_fingerprint",
        "superseded_at",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
    ]
    readonly_fields = fields

    @admin.display(description=_("about"))
    def about(self, document):
        return str(document.subject) if document.subject is not None else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SigningCertificateForm(forms.ModelForm):
    class Meta:
        model = SigningCertificate
        fields = ["agency", "source", "path", "secret_env", "token_label", "key_label", "certificate_pem"]
        widgets = {"certificate_pem": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate_pem"].required = False
        self.fields["certificate_pem"].help_text = _(
            "For a PKCS#11 token: the signing certificate, then its intermediates (PEM). A PKCS#12 file "
            "holds its own."
        )

    def clean(self):
        data = super().clean()
        try:
            if data.get("source") == CertificateSource.PKCS11:
                if not data.get("certificate_pem"):
                    raise ValidationError({"certificate_pem": _("Paste the certificate of the token's key.")})
                facts = pki.pem_facts(data["certificate_pem"])
            else:
                facts = pki.pkcs12_facts(data.get("path") or "", data.get("secret_env") or "")
        except pki.CertificateProblem as exc:
            raise ValidationError(str(exc)) from None
        for name, value in asdict(facts).items():
            setattr(self.instance, name, value)
        return data


@admin.register(SigningCertificate)
class SigningCertificateAdmin(SuperuserOnly, admin.ModelAdmin):
    """Register an agency's certificate; activating one leaves the agency's previous one inactive."""

    form = SigningCertificateForm
    list_display = ["agency", "subject", "source", "not_after", "is_active", "is_demo"]
    list_filter = ["is_active", "is_demo", "source"]
    search_fields = ["agency__name", "agency__code", "subject", "fingerprint"]
    list_select_related = ["agency"]
    facts = ["subject", "issuer", "serial", "not_before", "not_after", "fingerprint", "is_demo", "created_at"]

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def get_fields(self, request, obj=None):
        if obj is None:
            return SigningCertificateForm.Meta.fields
        where = ["agency", "source", "path", "secret_env", "token_label", "key_label"]
        return [*where, *self.facts, "is_active"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Only (de)activation changes a registered certificate: its facts are those of the certificate.
        return [f for f in self.get_fields(request, obj) if f != "is_active"]

    def save_model(self, request, obj, form, change):
        pki.save_certificate(obj)


@admin.register(StoredDocument)
class StoredDocumentAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["title", "owner", "paper_kind", "valid_until", "added_at", "removed_at"]
    list_filter = ["paper_kind", "added_at"]
    list_select_related = ["owner"]
    search_fields = ["title", "owner__username"]
    fields = [
        "owner", "document", "title", "paper_kind", "issuer", "valid_until", "original_name", "content_type",
        "size", "sha256", "added_at", "updated_at", "removed_at",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
