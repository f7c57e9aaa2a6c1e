"""The sandbox gateway's ledger in the admin, read-only: what the gateway did, for testers to look at."""

from django.contrib import admin

from .models import IpnAttempt, IpnDelivery, SandboxRefund, SandboxTransaction


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RefundInline(admin.TabularInline):
    model = SandboxRefund
    extra = 0
    can_delete = False
    readonly_fields = ("request_id", "transaction_type", "amount", "created_by", "created_at")
    fields = readonly_fields


class IpnAttemptInline(admin.TabularInline):
    model = IpnAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "at", "http_status", "answer", "error")
    fields = readonly_fields


@admin.register(SandboxTransaction)
class SandboxTransactionAdmin(ReadOnly):
    list_display = (
        "transaction_no",
        "txn_ref",
        "tmn_code",
        "amount",
        "status",
        "pay_date",
        "refunded_amount",
    )
    list_filter = ("status",)
    search_fields = ("transaction_no", "txn_ref")
    inlines = [RefundInline]


@admin.register(IpnDelivery)
class IpnDeliveryAdmin(ReadOnly):
    list_display = ("transaction", "url", "attempts", "confirmed", "created_at")
    list_filter = ("confirmed",)
    inlines = [IpnAttemptInline]
