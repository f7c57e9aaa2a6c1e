"""Ratings in the admin: read-only, and shown to system administrators only. A rating is the applicant's
word: no officer changes or deletes it, and the agency reads its own on the back-office page."""

from django.contrib import admin

from .models import DossierRating


@admin.register(DossierRating)
class DossierRatingAdmin(admin.ModelAdmin):
    list_display = ["dossier", "agency", "overall", "rated_at"]
    list_filter = ["overall"]
    search_fields = ["dossier__code"]
    date_hierarchy = "rated_at"
    list_select_related = ["dossier", "agency"]
    readonly_fields = [f.name for f in DossierRating._meta.fields]

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
