"""The audit log in the Django admin: read-only, and for system administrators (superusers) only.

Officers may hold every model permission and still not see it: who looked at what is not theirs to read.
"""

import functools

from django.contrib import admin
from django.contrib.admin import actions as django_actions
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from . import selectors, signals
from .models import AuditEntry


def _is_system_administrator(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class ActionAreaFilter(admin.SimpleListFilter):
    """By the part of the action before the first dot: auth, admin, dossier, document…"""

    title = _("action area")
    parameter_name = "area"

    def lookups(self, request, model_admin):
        return [(prefix, prefix) for prefix in selectors.action_prefixes()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action__startswith=f"{self.value()}.")
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["seq", "at", "actor_username", "ip", "action", "target_label"]
    list_filter = [ActionAreaFilter, ("at", admin.DateFieldListFilter)]
    # The search itself is selectors.search (exact matches); a search field makes the box appear.
    search_fields = ["actor_username"]
    search_help_text = _("An exact username, target label (e.g. a dossier code), target ID or IP address.")
    ordering = ["-seq"]
    # Counting the whole log on each page costs a full scan; the filtered count is enough.
    show_full_result_count = False
    fields = [
        "seq",
        "at",
        "action",
        "actor",
        "actor_username",
        "actor_pk",
        "ip",
        "target_type",
        "target_id",
        "target_label",
        "detail",
        "prev_hash",
        "hash",
    ]

    def has_module_permission(self, request):
        return _is_system_administrator(request)

    def has_view_permission(self, request, obj=None):
        return _is_system_administrator(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        return selectors.search(queryset, search_term), False


@functools.wraps(django_actions.delete_selected)
def delete_selected(modeladmin, request, queryset):
    """Django's "delete selected" action, with an audit entry for every object it deletes.

    For two objects or more Django writes its LogEntries with bulk_create, which sends no post_save, so the
    receiver in signals.py never sees them: they are recorded here, in one transaction with the deletion.
    """
    content_type = ContentType.objects.get_for_model(modeladmin.model, for_concrete_model=False)
    with transaction.atomic(), signals.watching_admin_log() as seen:
        before = LogEntry.objects.aggregate(last=Max("pk"))["last"] or 0
        response = django_actions.delete_selected(modeladmin, request, queryset)
        written = LogEntry.objects.filter(
            pk__gt=before, user_id=request.user.pk, content_type=content_type, action_flag=DELETION
        ).select_related("user", "content_type")
        for log in written.order_by("pk"):
            if log.pk not in seen:
                signals.record_log_entry(log)
    return response


admin.site.add_action(delete_selected, "delete_selected")
