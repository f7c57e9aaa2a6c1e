"""API shapes of dossiers. Output only: input is read by small request serializers and checked by services."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.documents import selectors as document_selectors

from .models import Attachment, Dossier, DossierEvent, DossierStatus, ResultDelivery
from .papers import result as result_paper
from .papers import slips as slip_papers
from .services import fees as fee_services


class StatusSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="External status code: 0 draft, 1–10 as in provincial systems.")
    label = serializers.CharField()


class AgencyRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    slug = serializers.CharField()
    name = serializers.CharField()


def _status(value: int) -> dict:
    return {"code": value, "label": str(DossierStatus(value).label)}


def _agency(agency) -> dict | None:
    return {"code": agency.code, "slug": agency.slug, "name": agency.name} if agency else None


class AttachmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    component = serializers.IntegerField(source="component_order")
    # The uploader's name, with the extension of what the file is (a PDF sent as ho-so.html: ho-so.pdf).
    name = serializers.CharField(source="download_name", read_only=True)
    active_content = serializers.ListField(
        source="active_content_names",
        child=serializers.CharField(),
        read_only=True,
        help_text=(
            'What the PDF runs when opened or used, e.g. ["JavaScript", "OpenAction", "AA", "Launch"]; '
            "empty when nothing. Such a file is only served as a download."
        ),
    )
    reused_from = serializers.IntegerField(
        source="reused_from_id",
        read_only=True,
        allow_null=True,
        help_text="The entry of the applicant's document store this paper is a copy of; null for an upload.",
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "component",
            "component_name",
            "name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "active_content",
            "reused_from",
            "url",
        ]

    def get_url(self, attachment) -> str:
        return reverse(
            "api:dossier-attachment-file",
            kwargs={"reference": attachment.dossier.reference, "attachment": attachment.uuid},
        )


class EventSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_action_display")
    by = serializers.CharField(source="actor_name")
    from_status = serializers.SerializerMethodField()
    to_status = serializers.SerializerMethodField()
    from_agency = serializers.SerializerMethodField()
    to_agency = serializers.SerializerMethodField()

    class Meta:
        model = DossierEvent
        fields = [
            "at",
            "action",
            "label",
            "by",
            "from_status",
            "to_status",
            "from_agency",
            "to_agency",
            "note",
        ]

    @extend_schema_field(StatusSerializer(allow_null=True))
    def get_from_status(self, event):
        return _status(event.from_status) if event.from_status is not None else None

    def get_to_status(self, event) -> StatusSerializer:
        return _status(event.to_status)

    @extend_schema_field(AgencyRefSerializer(allow_null=True))
    def get_from_agency(self, event):
        return _agency(event.from_agency)

    @extend_schema_field(AgencyRefSerializer(allow_null=True))
    def get_to_agency(self, event):
        return _agency(event.to_agency)


class DossierSummarySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    agency = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "id", "code", "procedure", "procedure_name", "agency", "status", "channel",
            "created_at", "submitted_at", "received_at", "due_at", "url",
        ]  # fmt: skip

    @extend_schema_field(AgencyRefSerializer(allow_null=True))
    def get_agency(self, dossier):
        return _agency(dossier.agency)

    def get_status(self, dossier) -> StatusSerializer:
        return _status(dossier.status)

    def get_url(self, dossier) -> str:
        return reverse("api:dossier-detail", kwargs={"reference": dossier.reference})


class ResultSerializer(serializers.Serializer):
    """The signed result (kết quả điện tử) the caller may download."""

    number = serializers.CharField(help_text="Số văn bản.")
    title = serializers.CharField()
    issued_at = serializers.DateTimeField()
    agency = serializers.SerializerMethodField()
    signer_name = serializers.CharField()
    signer_title = serializers.CharField()
    verification_code = serializers.CharField()
    verification_url = serializers.SerializerMethodField()
    sha256 = serializers.CharField(help_text="SHA-256 of the PDF as issued (hex).")
    url = serializers.SerializerMethodField(help_text="Download of the signed PDF.")

    @extend_schema_field(AgencyRefSerializer(allow_null=True))
    def get_agency(self, document):
        return _agency(document.agency)

    def get_verification_url(self, document) -> str:
        return document_selectors.verification_url(document.verification_code)

    def get_url(self, document) -> str:
        return reverse("api:dossier-result", kwargs={"reference": self.context["dossier"].reference})


class SlipSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="supplement_request, refusal, apology, stop_notice or control_sheet."
    )
    label = serializers.CharField()
    url = serializers.CharField(help_text="Download of the slip as PDF.")


class DeliveryAddressSerializer(serializers.Serializer):
    """Where the post brings the result: checked when saved (a known province, a listed commune of the demo
    province, a Vietnamese phone number)."""

    name = serializers.CharField(max_length=255, required=False, allow_blank=True, help_text="Recipient.")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    province = serializers.CharField(
        max_length=80, required=False, allow_blank=True, help_text="Province code or name."
    )
    commune = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Commune code or name."
    )
    detail = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="House number, street, hamlet."
    )


class FeeLineSerializer(serializers.Serializer):
    fee_id = serializers.IntegerField(allow_null=True, help_text="The catalogue's fee row when quoted.")
    name = serializers.CharField()
    unit_amount = serializers.IntegerField(allow_null=True, help_text="VND per unit; null when it varies.")
    quantity = serializers.IntegerField()
    unit_label = serializers.CharField(help_text='What one unit is (e.g. "bản sao"); empty per dossier.')
    gross = serializers.IntegerField(allow_null=True, help_text="Before any exemption.")
    exemption_group = serializers.CharField(help_text="The declared group whose rule applied, or empty.")
    exemption_percent = serializers.IntegerField(help_text="The share taken off (100: waived).")
    total = serializers.IntegerField(allow_null=True, help_text="What the line costs; null when it varies.")


class FeeQuoteSerializer(serializers.Serializer):
    lines = FeeLineSerializer(many=True)
    total = serializers.IntegerField(help_text="VND, the sum of the lines with a known amount.")
    groups = serializers.ListField(child=serializers.CharField(), help_text="The exemption groups declared.")
    payable_online = serializers.BooleanField(help_text="False when some amount varies (stated later).")
    fee_ids = serializers.ListField(child=serializers.IntegerField())
    quoted_at = serializers.DateTimeField(allow_null=True, help_text="When it was frozen; null on a draft.")


class FeeDeclarationSerializer(serializers.Serializer):
    groups = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Exemption groups the applicant declares (e.g. poor_household); the desk checks the proof.",
    )
    quantities = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text='Units of a fee per unit that the form does not ask, by quantity key (e.g. {"fee-12": 2}).',
    )


class DossierSerializer(DossierSummarySerializer):
    """A dossier as its reader may see it. The result and slips are those the caller may download (the
    serializer's context carries the ``request``): the applicant gets the result once the dossier is ready
    (status 9 or 10) and while it stands; officers see the standing result and the process control sheet."""

    form_version = serializers.IntegerField(source="form.version", allow_null=True, default=None)
    applicant = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True)
    history = EventSerializer(many=True, source="events")
    receipt_url = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    slips = serializers.SerializerMethodField()
    delivery_address = DeliveryAddressSerializer(help_text="Empty unless the result goes by post.")
    fee_declaration = FeeDeclarationSerializer(read_only=True)
    fee_quote = serializers.SerializerMethodField(
        help_text="Phí, lệ phí: on a draft the quote as it would be sent now; once sent, the frozen quote."
    )
    fee_total = serializers.IntegerField(
        read_only=True, help_text="VND owed as frozen when sent; 0 on a draft."
    )

    class Meta(DossierSummarySerializer.Meta):
        fields = [
            *DossierSummarySerializer.Meta.fields,
            "due_is_provisional", "form_version", "applicant", "data", "attachments", "history",
            "receipt_url", "result", "slips", "result_delivery", "delivery_address",
            "fee_declaration", "fee_quote", "fee_total",
        ]  # fmt: skip

    @extend_schema_field(FeeQuoteSerializer)
    def get_fee_quote(self, dossier) -> dict:
        return fee_services.quote_of(dossier)

    def _reader(self):
        return self.context["request"].user

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, dossier):
        document = result_paper.offered_to(dossier, self._reader())
        if document is None:
            return None
        return ResultSerializer(document, context={"dossier": dossier}).data

    @extend_schema_field(SlipSerializer(many=True))
    def get_slips(self, dossier):
        return [
            {
                "kind": kind,
                "label": str(label),
                "url": reverse("api:dossier-slip", kwargs={"reference": dossier.reference, "kind": kind}),
            }
            for kind, label in slip_papers.offered_to(dossier, self._reader())
        ]

    def get_applicant(self, dossier) -> dict:
        return {
            "kind": dossier.applicant_kind,
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        }

    def get_receipt_url(self, dossier) -> str | None:
        if dossier.is_draft:
            return None
        return reverse("api:dossier-receipt", kwargs={"reference": dossier.reference})


class DraftCreateSerializer(serializers.Serializer):
    procedure = serializers.CharField(max_length=20, help_text="The procedure's code, e.g. 1.001193.")
    agency = serializers.CharField(
        max_length=60, required=False, help_text="Code or slug of the receiving agency, when it has several."
    )
    data = serializers.JSONField(required=False, help_text="The form data so far (checked when sent).")


class DraftUpdateSerializer(serializers.Serializer):
    agency = serializers.CharField(max_length=60, required=False)
    data = serializers.JSONField(required=False)
    result_delivery = serializers.ChoiceField(
        choices=ResultDelivery.choices,
        required=False,
        help_text="How the result comes back: online, desk, or post (when the procedure offers it).",
    )
    delivery_address = DeliveryAddressSerializer(
        required=False, help_text="Required with result_delivery=post; checked at once."
    )
    fee_declaration = serializers.JSONField(
        required=False,
        help_text='Exemption groups and quantities: {"groups": ["poor_household"], '
        '"quantities": {"fee-12": 2}} (checked against the procedure\'s fees; see fee_quote for the result).',
    )


class DraftCreatedSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True)
    id = serializers.UUIDField()
    status = StatusSerializer()
    url = serializers.CharField()


class AttachmentUploadSerializer(serializers.Serializer):
    component = serializers.CharField(help_text="The order number of the dossier component (paper).")
    file = serializers.FileField(
        required=False,
        help_text="PDF, JPEG or PNG (DOCX/XLSX where the paper allows), checked by content.",
    )
    stored_document = serializers.IntegerField(
        required=False,
        help_text=(
            "Instead of `file`: the id of a paper in your document store (`GET /api/v1/document-store/`) of "
            "the kind this component asks for, valid today. The dossier gets a copy of it."
        ),
    )
    replace = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if ("file" in attrs) == ("stored_document" in attrs):
            raise serializers.ValidationError(
                {"file": [_("Attach a file, or choose a paper from your document store (one of the two).")]}
            )
        return attrs


class SubmittedSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = StatusSerializer()
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    receipt_url = serializers.CharField()


class TrackingStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    label = serializers.CharField()
    status = StatusSerializer()
    agency = serializers.CharField()


class TrackingSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = StatusSerializer()
    procedure = serializers.DictField(child=serializers.CharField())
    agency = AgencyRefSerializer()
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    steps = TrackingStepSerializer(many=True)
