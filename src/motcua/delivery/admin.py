from django.contrib import admin

from .models import PostalTariff, SandboxParcel, Shipment, ShipmentEvent


@admin.register(PostalTariff)
class PostalTariffAdmin(admin.ModelAdmin):
    list_display = ["agency", "zone", "amount", "effective_from"]
    list_filter = ["zone"]
    autocomplete_fields = ["agency"]


class ShipmentEventInline(admin.TabularInline):
    model = ShipmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["event_id", "status", "occurred_at", "received_at", "note", "raw", "entered_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    """Read-only: a parcel moves through ``delivery.services`` (the post's notices, the desk's page)."""

    list_display = ["dossier", "service", "tracking_number", "status", "fee", "booked_at", "delivered_at"]
    list_filter = ["service", "status"]
    search_fields = ["tracking_number", "dossier__code"]
    inlines = [ShipmentEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SandboxParcel)
class SandboxParcelAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "reference", "status", "created_at"]
