"""API shapes of public verification (what a verification answers, and the upload it takes) and of the
owner's document store (kho dữ liệu)."""

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from motcua.catalog.models import PaperKind

from .verification import Reason


class IssuerSerializer(serializers.Serializer):
    code = serializers.CharField(source="agency_code", help_text="Electronic identifier code of the agency.")
    name = serializers.CharField(source="agency_name")


class ResultProcedureSerializer(serializers.Serializer):
    code = serializers.CharField(source="procedure_code")
    name = serializers.CharField(source="procedure_name")


class VerifiedDocumentSerializer(serializers.Serializer):
    """The public facts of an issued result: its header and signature block, no data of the applicant."""

    kind = serializers.CharField()
    title = serializers.CharField()
    number = serializers.CharField()
    verification_code = serializers.CharField()
    issued_at = serializers.DateTimeField(allow_null=True)
    issuer = IssuerSerializer(source="*")
    procedure = ResultProcedureSerializer(source="*")
    signer_name = serializers.CharField()
    signer_title = serializers.CharField()
    sha256 = serializers.CharField(help_text="SHA-256 of the PDF as issued (hex).")
    demo_certificate = serializers.BooleanField(help_text="Signed with a demo certificate (no legal value).")
    url = serializers.CharField(help_text="The public verification page of the document.")
    revoked_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the document was revoked (it no longer stands); null while it stands.",
    )


class VerificationSerializer(serializers.Serializer):
    genuine = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=Reason.choices, help_text="Why: a stable code.")
    message = serializers.CharField(help_text="The reason for people, in the request's language.")
    document = VerifiedDocumentSerializer(
        allow_null=True, help_text="The document the portal issued, when it knows which one it is."
    )
    file_sha256 = serializers.CharField(help_text="SHA-256 of the uploaded file; empty for a code look-up.")
    timestamped_at = serializers.DateTimeField(
        allow_null=True,
        help_text=(
            "When a trusted time-stamping authority says the genuine file was signed (PAdES B-T); null for "
            "a code look-up, a file without a timestamp, or one that is not genuine."
        ),
    )


class VerificationUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The PDF to check.")


# --- the document store (kho dữ liệu) ----------------------------------------------------------------------


class StoredIssuedSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="`result` or `payment_receipt`.")
    number = serializers.CharField()
    issued_at = serializers.DateTimeField(allow_null=True)
    verification_code = serializers.CharField(allow_null=True)


class StoredDocumentSerializer(serializers.Serializer):
    """An entry of the owner's document store: an issued document or a paper they uploaded."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    paper_kind = serializers.ChoiceField(
        choices=[("", "unknown"), *PaperKind.choices],
        help_text="The kind of paper (as dossier components name it); empty when unknown.",
    )
    kind_label = serializers.CharField()
    issuer = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    valid_today = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField(help_text="`issued` by this portal, or `uploaded` by you.")
    document = StoredIssuedSerializer(allow_null=True, help_text="The issued document; null for an upload.")
    content_type = serializers.SerializerMethodField()
    size = serializers.SerializerMethodField()
    added_at = serializers.DateTimeField()
    file_url = serializers.SerializerMethodField()

    def get_valid_today(self, entry) -> bool:
        return entry.is_valid_on(timezone.localdate())

    def get_source(self, entry) -> str:
        return "issued" if entry.is_issued else "uploaded"

    def get_content_type(self, entry) -> str:
        return "application/pdf" if entry.is_issued else entry.content_type

    def get_size(self, entry) -> int:
        return entry.document.size if entry.is_issued else entry.size

    def get_file_url(self, entry) -> str:
        return reverse("api:document-store-file", kwargs={"entry": entry.pk})


class StoredDocumentUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=255, allow_blank=True)
    issuer = serializers.CharField(
        required=False, max_length=255, allow_blank=True, help_text="Papers you uploaded only."
    )
    valid_until = serializers.DateField(required=False, allow_null=True, help_text="Null: no end date.")
