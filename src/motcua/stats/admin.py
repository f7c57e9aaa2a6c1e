"""Score schemes in the admin (system administrators): the points and thresholds of each indicator from
the day a new rule applies. The ledger and daily facts are not shown: they follow the dossiers."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ScoreScheme
from .scoring import DEFAULT_WEIGHTS, validate_weights


class ScoreSchemeForm(forms.ModelForm):
    class Meta:
        model = ScoreScheme
        fields = ["name", "effective_from", "weights", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("weights", json.dumps(DEFAULT_WEIGHTS, indent=2))
        self.fields["weights"].help_text = _(
            'One entry per indicator: {"points": 10, "full_at": 1.0, "zero_at": 0.0}. A rate at or above '
            "full_at earns every point, at or below zero_at none, in between in proportion."
        )

    def clean_weights(self):
        try:
            return validate_weights(self.cleaned_data["weights"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


@admin.register(ScoreScheme)
class ScoreSchemeAdmin(admin.ModelAdmin):
    form = ScoreSchemeForm
    list_display = ["name", "effective_from"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def save_model(self, request, obj, form, change):
        services.save_scheme(obj)
