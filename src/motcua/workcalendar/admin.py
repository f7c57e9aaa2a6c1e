"""The administrator's exceptions to the national calendar; the admin log keeps who changed what, when."""

from django.contrib import admin
from django.db.models.functions import ExtractYear
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from motcua.core.text import whole_number

from . import services
from .models import CalendarException


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .annotate(year=ExtractYear("date"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        year = whole_number(value, digits=4)
        if year is not None:
            return queryset.filter(date__year=year)
        return queryset


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "reason", "updated_at"]
    list_filter = ["kind", YearFilter]
    search_fields = ["reason"]
    date_hierarchy = "date"
    fields = ["date", "kind", "reason", "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("weekday"))
    def weekday(self, exception):
        return date_format(exception.date, "l") if exception.date else ""

    def save_model(self, request, obj, form, change):
        # The form has validated already; the service is the one place that writes.
        services.save_exception(obj)

    def delete_model(self, request, obj):
        services.remove_exception(obj.date)

    def delete_queryset(self, request, queryset):
        for day in queryset.values_list("date", flat=True):
            services.remove_exception(day)
