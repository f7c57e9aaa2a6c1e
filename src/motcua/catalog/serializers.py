"""JSON shapes of the catalogue in the public API (read-only).

Choice values are the stable machine codes (``commune``, ``full``…), not their labels; clients translate them.
"""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .fees import ExemptionGroup
from .models import (
    Agency,
    ApplicantType,
    AuthorityLevel,
    Channel,
    DossierComponent,
    Fee,
    LegalDocument,
    Procedure,
    ProcedureMethod,
    ProcedureStep,
    Sector,
    ServiceLevel,
)


@extend_schema_field({"type": "number", "nullable": True, "example": 3})
class NumberField(serializers.Field):
    """A decimal as a plain JSON number (3, 0.5), or null; DRF's DecimalField would give a string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        value = Decimal(value)
        return int(value) if value == value.to_integral_value() else float(value)


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "slug", "name"]


class SectorSerializer(serializers.ModelSerializer):
    procedure_count = serializers.IntegerField(read_only=True, help_text="Active procedures of the sector.")

    class Meta:
        model = Sector
        fields = ["code", "slug", "name", "procedure_count"]


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The parent agency's identifier code, or null.",
    )

    class Meta:
        model = Agency
        fields = ["code", "slug", "name", "level", "parent"]


class AgencyContactSerializer(AgencySerializer):
    class Meta:
        model = Agency
        fields = [
            *AgencySerializer.Meta.fields,
            "short_name",
            "kind",
            "address",
            "phone",
            "email",
            "website",
            "office_hours",
        ]


class ProcedureListSerializer(serializers.ModelSerializer):
    sector = SectorRefSerializer(read_only=True)
    authority_level = serializers.ChoiceField(choices=AuthorityLevel.choices, read_only=True)
    service_level = serializers.ChoiceField(
        choices=ServiceLevel.choices,
        read_only=True,
        help_text="Since Decree 42/2022: information only, partial online, full online.",
    )
    processing_days = NumberField(
        allow_null=True,
        help_text="The shortest processing time over the methods, in working days; null when not published.",
    )
    url = serializers.HyperlinkedIdentityField(
        view_name="api:procedure-detail", lookup_field="code", help_text="The full record in this API."
    )

    class Meta:
        model = Procedure
        fields = ["code", "name", "sector", "authority_level", "service_level", "processing_days", "url"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = ["order", "title", "description"]


class MethodSerializer(serializers.ModelSerializer):
    processing_time = NumberField(allow_null=True, help_text="In `time_unit`; null when not published.")
    processing_days = NumberField(allow_null=True, help_text="The processing time in working days.")

    class Meta:
        model = ProcedureMethod
        fields = ["channel", "processing_time", "time_unit", "processing_days", "description"]


class ExemptionRuleSerializer(serializers.Serializer):
    group = serializers.ChoiceField(
        choices=ExemptionGroup.choices, help_text="The group the applicant declares."
    )
    waive = serializers.ChoiceField(
        choices=["all"], required=False, help_text='"all": the group pays nothing (miễn).'
    )
    percent = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text="The share taken off, 1–100 (giảm)."
    )


class FeeSerializer(serializers.ModelSerializer):
    channel = serializers.SerializerMethodField(
        help_text="The channel it applies to; null for every channel."
    )
    amount = serializers.IntegerField(
        allow_null=True,
        read_only=True,
        help_text="In VND, per unit when `unit_label` is set; null when it varies.",
    )
    unit_label = serializers.CharField(
        read_only=True, help_text='For a fee per unit, what one unit is (e.g. "bản sao"); empty otherwise.'
    )
    per_unit = serializers.CharField(
        read_only=True,
        help_text="The online form field that gives the number of units; empty when the applicant enters it.",
    )
    exemptions = ExemptionRuleSerializer(many=True, read_only=True)
    wording = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="How the fee is counted and who is exempt, in the language of the request.",
    )

    class Meta:
        model = Fee
        fields = [
            "channel",
            "name",
            "amount",
            "unit_label",
            "per_unit",
            "exemptions",
            "wording",
            "description",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Channel.choices, allow_null=True))
    def get_channel(self, fee):
        return fee.channel or None


class CopiesSerializer(serializers.Serializer):
    originals = serializers.IntegerField(help_text="Bản chính")
    certified_copies = serializers.IntegerField(help_text="Bản sao chứng thực")
    photocopies = serializers.IntegerField(help_text="Bản sao / bản chụp")


class ComponentSerializer(serializers.ModelSerializer):
    copies = serializers.SerializerMethodField()
    form_template_url = serializers.SerializerMethodField(
        help_text="Absolute download address of the form template, or null."
    )

    class Meta:
        model = DossierComponent
        fields = ["order", "name", "copies", "is_required", "form_name", "form_template_url", "note"]

    @extend_schema_field(CopiesSerializer)
    def get_copies(self, component):
        return {
            "originals": component.originals,
            "certified_copies": component.certified_copies,
            "photocopies": component.photocopies,
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_form_template_url(self, component):
        if not component.form_template:
            return None
        url = component.form_template.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class LegalDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalDocument
        fields = ["number", "kind", "title", "issuer", "issued_on"]


class ProcedureDetailSerializer(ProcedureListSerializer):
    portal_url = serializers.SerializerMethodField(help_text="The procedure's public page on the portal.")
    online_level = serializers.IntegerField(
        read_only=True,
        min_value=1,
        max_value=4,
        help_text="The four levels of online service (1–4), derived from what the portal offers: 3 online "
        "submission, 4 also every fee payable online.",
    )
    declared_online_level = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        min_value=1,
        max_value=4,
        help_text="The level the national procedure database declares, or null.",
    )
    fee_before_processing = serializers.BooleanField(
        read_only=True, help_text="The fee is paid when the dossier is sent, before processing."
    )
    applicant_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ApplicantType.choices), read_only=True
    )
    online_submission = serializers.BooleanField(
        source="accepts_online_submission",
        read_only=True,
        help_text=(
            "A dossier can be sent online: the procedure offers the online channel to these applicants. "
            "Its form is at /api/v1/procedures/{code}/form/ (written for it, or generic)."
        ),
    )
    agencies = AgencyContactSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    methods = MethodSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    components = ComponentSerializer(many=True, read_only=True)
    legal_basis = LegalDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = [
            *ProcedureListSerializer.Meta.fields,
            "portal_url",
            "online_level",
            "online_submission",
            "declared_online_level",
            "fee_before_processing",
            "implementing_body",
            "agencies",
            "applicant_types",
            "requirements",
            "result_type",
            "notes",
            "steps",
            "methods",
            "fees",
            "components",
            "legal_basis",
            "effective_from",
            "updated_at",
        ]

    @extend_schema_field(serializers.URLField())
    def get_portal_url(self, procedure):
        url = procedure.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
