"""Admin of online forms: JSON editing checked on the server, publishing, new versions and a preview."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.text import whole_number

from . import services
from .models import FormLocked, OnlineForm
from .rendering import FILE_PREFIX, FILES_PRESENT
from .schema import file_fields

JSON_WIDGET = forms.Textarea(
    attrs={"rows": 24, "cols": 100, "style": "font-family: monospace", "spellcheck": "false"}
)

# Shown prefilled in the preview, as the applicant's profile would prefill the real form.
SAMPLE_PROFILE = {
    "full_name": "Nguyễn Văn An",
    "personal_id": "001090012345",
    "birth_date": "1990-04-12",
    "phone": "0912345678",
    "email": "nguyenvanan@example.com",
    "address": {"province": "99", "commune": "001.00.30.H99", "detail": "Số 12, đường Trần Phú"},
}


class OnlineFormAdminForm(forms.ModelForm):
    schema = forms.JSONField(label=gettext_lazy("JSON Schema"), widget=JSON_WIDGET)
    ui = forms.JSONField(label=gettext_lazy("UI hints"), widget=JSON_WIDGET, required=False)

    class Meta:
        model = OnlineForm
        fields = ["procedure", "version", "schema", "ui"]

    def clean(self):
        cleaned = super().clean()
        procedure = cleaned.get("procedure")
        if procedure is None or "schema" not in cleaned:
            return cleaned
        orders = services.component_orders(procedure)
        problems = services.check_definition(cleaned["schema"], cleaned.get("ui") or {}, orders)
        for name, messages_ in problems.items():
            for message in messages_:
                self.add_error(name, message)
        if cleaned.get("ui") is None:
            cleaned["ui"] = {}
        return cleaned


@admin.register(OnlineForm)
class OnlineFormAdmin(admin.ModelAdmin):
    form = OnlineFormAdminForm
    change_form_template = "forms/admin/change_form.html"
    list_display = [
        "procedure_code",
        "procedure_name",
        "version",
        "kind",
        "status",
        "published_at",
        "preview_link",
    ]
    list_filter = ["status", "kind", ("procedure", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["procedure__code", "procedure__name"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure"]
    actions = ["publish_selected", "new_version_of_selected"]
    # A generic form is built from the procedure's record (manage.py publish_generic_forms); a copy of it
    # (new version) is written for the procedure and can be edited.
    readonly_fields = ["kind", "status", "published_at"]

    @admin.display(description=gettext_lazy("code"), ordering="procedure__code")
    def procedure_code(self, obj):
        return obj.procedure.code

    @admin.display(description=gettext_lazy("procedure"))
    def procedure_name(self, obj):
        return obj.procedure.name[:80]

    @admin.display(description=gettext_lazy("preview"))
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:forms_onlineform_preview", args=[obj.pk]), _("Preview")
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            # Published versions are what dossiers were received under: nothing may change.
            return ["procedure", "version", "schema_json", "ui_json", "status", "published_at"]
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return ["procedure", "version", "status", "published_at", "schema_json", "ui_json"]
        return ["procedure", "version", "schema", "ui", "status", "published_at"]

    @admin.display(description=gettext_lazy("JSON Schema"))
    def schema_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.schema, ensure_ascii=False, indent=2))

    @admin.display(description=gettext_lazy("UI hints"))
    def ui_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.ui, ensure_ascii=False, indent=2))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("version", 1)
        initial.setdefault("schema", {"type": "object", "properties": {}, "required": []})
        initial.setdefault("ui", {})
        return initial

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            obj.delete()  # one by one, so that a published version refuses

    @admin.action(description=gettext_lazy("Publish the selected draft (retires the current version)"))
    def publish_selected(self, request, queryset):
        for obj in queryset.select_related("procedure"):
            try:
                services.publish(obj)
            except FormLocked:
                self.message_user(request, _("%(form)s is not a draft.") % {"form": obj}, messages.WARNING)
            except services.DefinitionError as exc:
                self.message_user(
                    request, _("%(form)s: %(problems)s") % {"form": obj, "problems": exc}, messages.ERROR
                )
            else:
                self.message_user(request, _("%(form)s is published.") % {"form": obj}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Copy the selected form to a new draft version"))
    def new_version_of_selected(self, request, queryset):
        for obj in queryset.select_related("procedure"):
            copy = services.new_version(obj)
            self.message_user(request, _("Draft %(form)s created.") % {"form": copy}, messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="forms_onlineform_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The form as a citizen sees it; a posted submission is validated and nothing is saved."""
        obj = get_object_or_404(OnlineForm.objects.select_related("procedure"), pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        context = {"online_form": obj, "opts": self.opts, "title": _("Preview of %(form)s") % {"form": obj}}
        if request.method == "POST":
            component_ids = {c.order: c.id for c in obj.procedure.components.all()}
            present = {whole_number(v) for v in request.POST.getlist(FILES_PRESENT)} - {None}
            for name, sub in file_fields(obj.schema).items():
                if request.FILES.get(FILE_PREFIX + name) and sub["x-component"] in component_ids:
                    present.add(component_ids[sub["x-component"]])  # counted, never stored
            state = services.advance(obj, request.POST, files_present=present)
            context.update(
                data=state.data,
                errors=state.errors,
                step=state.step,
                files_present=present,
                complete=state.complete,
                data_json=json.dumps(state.data, ensure_ascii=False, indent=2),
            )
        else:
            context.update(data=None, errors={}, step=0, files_present=set(), initial=SAMPLE_PROFILE)
        return TemplateResponse(request, "forms/admin/preview.html", context)
