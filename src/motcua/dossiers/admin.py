"""Dossiers in the admin: a read-only view for system administrators and staff of the receiving agency.

Nothing changes a dossier here: its status moves only through ``dossiers.services`` (the back office).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import rules
from . import workflow as workflow_rules
from .models import Attachment, Dossier, DossierEvent, Workflow, WorkflowStep


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
        "active_content",
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
        return rules.visible_dossiers(request.user).select_related("procedure", "agency")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "data"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0
    fields = ["order", "name", "kind", "role", "agency", "budget", "budget_unit"]
    autocomplete_fields = ["agency"]

    def _in_use(self, obj) -> bool:
        return obj is not None and obj.dossiers.exists()

    def has_add_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(Workflow)
class WorkflowAdmin(admin.ModelAdmin):
    """A procedure's workflow. Once dossiers use a version its steps are kept as they were: copy it to a new
    version (the action below), change that, and make it the one in use."""

    list_display = ["procedure", "version", "is_active", "supplement_clock", "created_at"]
    list_filter = ["is_active", "supplement_clock"]
    search_fields = ["procedure__code", "procedure__name"]
    autocomplete_fields = ["procedure"]
    inlines = [WorkflowStepInline]
    actions = ["copy_as_new_version"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        workflow = form.instance
        for problem in workflow_rules.problems(workflow.procedure, workflow.steps.order_by("order")):
            messages.warning(request, problem)

    @admin.action(description=_("Copy as a new version (in use)"))
    def copy_as_new_version(self, request, queryset):
        for workflow in queryset:
            steps = [
                {"name": s.name, "kind": s.kind, "role": s.role, "agency": s.agency, "budget": s.budget,
                 "budget_unit": s.budget_unit}
                for s in workflow.steps.order_by("order")
            ]  # fmt: skip
            workflow_rules.save_workflow(
                workflow.procedure, steps, supplement_clock=workflow.supplement_clock
            )
        messages.success(request, _("New versions created; edit their steps."))
