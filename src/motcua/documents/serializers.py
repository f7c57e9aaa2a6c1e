"""API shapes of public verification: what a verification answers, and the upload it takes."""

from rest_framework import serializers

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
