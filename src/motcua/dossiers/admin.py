"""Dossiers in the admin: a read-only view for system administrators and staff of the receiving agency.

Nothing changes a dossier here: its status moves only through ``dossiers.services`` (the back office).
"""

from django.contrib import admin

from . import selectors
from .models import Attachment, Dossier, DossierEvent


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = [
        "component_order",
        "component_name",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
    ]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ["at", "action", "actor_name", "from_status", "to_status", "from_agency", "to_agency", "note"]
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["reference", "procedure", "agency", "status", "channel", "submitted_at", "due_at"]
    list_filter = ["status", "channel", "agency"]
    search_fields = ["code", "applicant_id_number", "applicant_name", "procedure__code"]
    list_select_related = ["procedure", "agency"]
    date_hierarchy = "submitted_at"
    inlines = [AttachmentInline, EventInline]
    exclude = ["data"]
    show_full_result_count = False

    def get_queryset(self, request):
        # Staff see the dossiers their agencies received, exactly as on every other page.
        return selectors.visible_dossiers(request.user).select_related("procedure", "agency")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "data"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
