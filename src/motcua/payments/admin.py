"""Payments in the admin, for system administrators only.

Merchant accounts are chosen here, per agency and gateway (the secret stays in the environment variable the
row names). Charges, payments and callbacks are a read-only register: money moves only through
``payments.services``, never by editing a row.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import registry, services
from .models import Charge, GatewayAccount, Payment, PaymentCallback


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(SuperuserOnly):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class GatewayAccountForm(forms.ModelForm):
    gateway = forms.ChoiceField(label=_("gateway"), choices=())

    class Meta:
        model = GatewayAccount
        fields = ["agency", "gateway", "merchant_code", "secret_env", "config", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gateway"].choices = registry.choices()

    def clean(self):
        data = super().clean()
        gateway = data.get("gateway")
        if gateway and registry.known(gateway):
            probe = GatewayAccount(gateway=gateway, config=data.get("config") or {})
            for name, message in registry.get(gateway).validate_config(probe).items():
                self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(GatewayAccount)
class GatewayAccountAdmin(SuperuserOnly, admin.ModelAdmin):
    form = GatewayAccountForm
    list_display = ["agency", "gateway", "merchant_code", "is_active"]
    list_filter = ["gateway", "is_active"]
    search_fields = ["agency__name", "agency__code", "merchant_code"]
    autocomplete_fields = ["agency"]

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # An account something was paid through is deactivated, never deleted (the service refuses).
        allowed = request.user.is_active and request.user.is_superuser
        return allowed and (obj is None or not obj.payments.exists())

    # Through the service, so that the agency's "takes fees online" (and its service levels) follows.
    def save_model(self, request, obj, form, change):
        services.save_gateway_account(obj, by=request.user)

    def delete_model(self, request, obj):
        services.delete_gateway_account(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for account in queryset:
            services.delete_gateway_account(account, by=request.user)


@admin.register(Payment)
class PaymentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["reference", "dossier", "amount", "state", "gateway", "created_at", "paid_at"]
    list_filter = ["state", "gateway", "created_at"]
    search_fields = ["reference", "dossier__code", "transaction_no"]
    date_hierarchy = "created_at"


@admin.register(Charge)
class ChargeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["dossier", "kind", "amount", "state", "created_at", "paid_at"]
    list_filter = ["kind", "state"]
    search_fields = ["dossier__code"]


@admin.register(PaymentCallback)
class PaymentCallbackAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["received_at", "gateway", "kind", "answer", "verified", "payment", "remote_ip"]
    list_filter = ["gateway", "kind", "answer", "verified"]
    search_fields = ["payment__reference", "raw"]
    date_hierarchy = "received_at"
