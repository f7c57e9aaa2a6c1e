"""Finance API for integrators (kế toán): the totals per agency, day and gateway, and a bank statement
imported. Same permissions as the back office's finance page (``rules.totals_agencies``,
``rules.statement_accounts``); thin: reads through ``selectors``, the import through ``services.statements``.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND

from . import rules, selectors
from .services.statements import import_statement

TAGS = ["payments"]
MAX_DAYS = 366
FORBIDDEN = OpenApiResponse(description="Only finance officers and leaders see totals.")


class TotalsQuerySerializer(serializers.Serializer):
    from_ = serializers.DateField(
        required=False, help_text="First day (YYYY-MM-DD); default the 1st of the month."
    )
    to = serializers.DateField(required=False, help_text="Last day (YYYY-MM-DD); default today.")
    agency = serializers.CharField(
        required=False, max_length=40, help_text="An agency's code; default all yours."
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class TotalRowSerializer(serializers.Serializer):
    agency = serializers.CharField()
    day = serializers.DateField()
    gateway = serializers.CharField()
    count = serializers.IntegerField()
    paid = serializers.IntegerField(help_text="VND.")
    refunded = serializers.IntegerField(help_text="VND, of the payments paid that day.")
    net = serializers.IntegerField(help_text="paid − refunded, VND.")


class TotalsSerializer(serializers.Serializer):
    since = serializers.DateField(source="from")
    until = serializers.DateField(source="to")
    rows = TotalRowSerializer(many=True)


class StatementUploadSerializer(serializers.Serializer):
    account = serializers.IntegerField(help_text="The VietQR gateway account's id.")
    file = serializers.FileField(help_text="The bank statement, CSV or XLSX as the bank exports it.")


class StatementRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    date = serializers.DateField()
    amount = serializers.IntegerField()
    description = serializers.CharField()
    bank_reference = serializers.CharField()
    outcome = serializers.ChoiceField(
        choices=["paid", "already", "wrong_amount", "unmatched", "ambiguous", "error"]
    )
    payment = serializers.CharField(allow_blank=True)
    expected = serializers.IntegerField(allow_null=True)


class ImportReportSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    filename = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = StatementRowSerializer(many=True)


def _agencies(user):
    agencies = rules.totals_agencies(user)
    if not agencies.exists():
        raise PermissionDenied(_("Only finance officers and leaders see payment totals."))
    return agencies


class TotalsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary="Payment totals per agency, day and gateway (finance officers, leaders)",
        description=(
            "Paid, refunded and net amounts (VND) and the number of payments, per agency, day (paid on) and "
            "gateway, over `from`..`to` (at most a year), for the agencies the caller is a finance officer "
            "or a leader of and those below them; `agency` narrows to one of them."
        ),
        parameters=[
            OpenApiParameter("from", date, description="First day, YYYY-MM-DD (default: 1st of the month)."),
            OpenApiParameter("to", date, description="Last day, YYYY-MM-DD (default: today)."),
            OpenApiParameter("agency", str, description="An agency's code (default: all yours)."),
        ],
        responses={200: TotalsSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request):
        agencies = _agencies(request.user)
        query = TotalsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        since = query.validated_data.get("from") or today.replace(day=1)
        until = query.validated_data.get("to") or today
        if since > until or until - since > timedelta(days=MAX_DAYS):
            raise ValidationError({"to": [_("Choose a period of at most a year, its end after its start.")]})
        code = query.validated_data.get("agency")
        if code:
            agencies = agencies.filter(code=code)
            if not agencies.exists():
                raise NotFound(_("None of your agencies has this code."))
        start, end = selectors.day_range(since, until)
        rows = selectors.totals_table(agencies, start, end)
        return Response(TotalsSerializer({"from": since, "to": until, "rows": rows}).data)


class StatementImportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Import a VietQR account's bank statement (finance officers of its agency)",
        description=(
            "Each credit of the statement that quotes one of the account's payment references settles that "
            "payment, as a gateway's notification would; importing the same file again changes nothing. "
            "Credits of a wrong amount, without a reference or with several are listed for a person to check."
        ),
        request={"multipart/form-data": StatementUploadSerializer},
        responses={200: ImportReportSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request):
        body = StatementUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        account = rules.statement_accounts(request.user).filter(pk=body.validated_data["account"]).first()
        if account is None:
            raise NotFound(_("No bank-transfer account of your agency has this id."))
        upload = body.validated_data["file"]
        try:
            report = import_statement(
                account=account, data=upload.read(), filename=upload.name or "", by=request.user
            )
        except DjangoValidationError as exc:
            messages = exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}
            raise ValidationError(messages) from None
        except DjangoPermissionDenied:
            raise NotFound() from None
        return Response(ImportReportSerializer(report.as_dict()).data)
