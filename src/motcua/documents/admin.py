"""Issued documents in the admin: a read-only register for system administrators.

Documents are issued by ``documents.services`` and never edited: the admin lists them and adds, changes or
deletes nothing. Their files hold personal data and have no URL; the list shows sizes, not links.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "dossier_code", "number", "created_at", "size"]
    list_filter = ["kind", "created_at"]
    search_fields = ["dossier__code", "number"]
    list_select_related = ["dossier"]
    date_hierarchy = "created_at"
    fields = ["kind", "dossier", "number", "size", "sha256", "created_at", "uuid"]
    readonly_fields = fields

    @admin.display(description=_("dossier code"), ordering="dossier__code")
    def dossier_code(self, document):
        return document.dossier.code

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
