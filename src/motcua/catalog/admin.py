"""Django admin for the whole catalogue: agencies, sectors, legal documents and procedures."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold

from . import services
from .models import (
    Agency,
    ApplicantType,
    DossierComponent,
    Fee,
    LegalDocument,
    Procedure,
    ProcedureMethod,
    ProcedureStep,
    Sector,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["name", "code", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]
    # Set by the payments app (catalog.services.set_accepts_online_payment), never typed here.
    readonly_fields = ["accepts_online_payment"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # Agency names are part of their procedures' search text.
            services.reindex_procedures(obj.procedures.select_related("sector"))


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "slug", "order", "procedure_count"]
    list_editable = ["order"]
    search_fields = ["name", "code", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(procedure_count=Count("procedures"))

    @admin.display(description=_("procedures"), ordering="procedure_count")
    def procedure_count(self, sector):
        return sector.procedure_count


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "title", "issuer", "issued_on"]
    list_filter = ["kind"]
    search_fields = ["number", "title"]
    date_hierarchy = "issued_on"


class StepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0


class MethodInline(admin.TabularInline):
    model = ProcedureMethod
    extra = 0


class FeeInline(admin.StackedInline):
    model = Fee
    extra = 0
    fields = [("channel", "name", "amount"), ("unit_label", "per_unit"), "exemptions", "description"]


class ComponentInline(admin.StackedInline):
    model = DossierComponent
    extra = 0
    fields = [
        ("order", "is_required"),
        "name",
        "paper_kind",
        ("originals", "certified_copies", "photocopies"),
        ("form_name", "form_template"),
        "note",
    ]


class ProcedureForm(forms.ModelForm):
    # The model keeps a JSON list; people tick boxes.
    applicant_types = forms.MultipleChoiceField(
        label=_("applicant types"),
        choices=ApplicantType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "sector",
            "authority_level",
            "declared_online_level",
            "fee_before_processing",
            "is_active",
            "agencies",
            "implementing_body",
            "applicant_types",
            "requirements",
            "result_type",
            "legal_basis",
            "effective_from",
            "cutoff_time",
            "popularity",
            "notes",
        ]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    form = ProcedureForm
    list_display = ["code", "name", "sector", "authority_level", "online_level", "is_active"]
    list_filter = [
        "sector",
        "authority_level",
        "online_level",
        "is_active",
        ("agencies", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["sector"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["sector", "agencies", "legal_basis"]
    inlines = [StepInline, MethodInline, FeeInline, ComponentInline]
    readonly_fields = ["online_level", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["code", "name", "sector", "authority_level", "is_active"]}),
        (
            _("Online service and fees"),
            {"fields": ["online_level", "declared_online_level", "fee_before_processing"]},
        ),
        (
            _("Who and how"),
            {
                "fields": [
                    "agencies",
                    "implementing_body",
                    "applicant_types",
                    "requirements",
                    "result_type",
                    "cutoff_time",
                ]
            },
        ),
        (
            _("Legal basis and dates"),
            {"fields": ["legal_basis", "effective_from", "popularity", "notes", "created_at", "updated_at"]},
        ),
    ]

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = fold(search_term).split()
        if words:
            # Also without marks or case: "khai sinh" finds "Đăng ký khai sinh".
            folded = Q()
            for word in words:
                folded &= Q(search_name__contains=word)
            results |= queryset.filter(folded)
        return results, may_have_duplicates

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Components and agencies are part of the search text; they are saved only now.
        form.instance.refresh_search_text(save=True)
        services.refresh_online_level(form.instance)
