"""The period chooser of the statistics pages (kỳ báo cáo), checked on the server: ``?ky=&nam=&tu=&den=``.

``ky`` is the year, its first 6 or 9 months, a quarter (``quarter-2``), a month (``month-3``) or a range of
days (``range``, with ``tu`` and ``den``); ``nam`` the year (this year when left out). Nothing chosen is
this year. Every bad value gets a message on its own field, the form keeping what was typed.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .periods import Period, PeriodError

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def period_choices() -> list:
    return [
        ("year", _("Whole year")),
        ("half", _("First 6 months")),
        ("nine_months", _("First 9 months")),
        (_("Quarter"), [(f"quarter-{n}", _("Quarter %(number)s") % {"number": n}) for n in range(1, 5)]),
        (_("Month"), [(f"month-{n}", _("Month %(number)s") % {"number": n}) for n in range(1, 13)]),
        ("range", _("Other dates (from … to …)")),
    ]


class PeriodForm(forms.Form):
    ky = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=period_choices,
        error_messages={"invalid_choice": _("Choose a period from the list.")},
    )
    nam = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Type the year in figures, for example 2026."),
            "min_value": _("Choose a year between 2000 and 2100."),
            "max_value": _("Choose a year between 2000 and 2100."),
        },
    )
    tu = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Type the first day as dd/mm/yyyy.")},
    )
    den = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Type the last day as dd/mm/yyyy.")},
    )

    def __init__(self, data=None, *, today=None, **kwargs):
        # Only the form's own keys make it bound: ?dinh-dang=xlsx alone is this year's table.
        mine = data is not None and any(data.get(name) for name in self.base_fields)
        super().__init__(data if mine else None, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["ky"].initial, self.fields["nam"].initial = "year", self.today.year
        self._period: Period | None = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        kind = cleaned.get("ky") or "year"
        try:
            if kind == "range":
                start, end = cleaned.get("tu"), cleaned.get("den")
                if start is None:
                    self.add_error("tu", _("Type the first day of the period."))
                if end is None:
                    self.add_error("den", _("Type the last day of the period."))
                if start is None or end is None:
                    return cleaned
                period = Period(start, end)
            else:
                year = cleaned.get("nam") or self.today.year
                kind, _dash, number = kind.partition("-")
                period = Period.of(kind, year, int(number or 1))
        except PeriodError as error:
            self.add_error("den" if kind == "range" else "nam", str(error))
            return cleaned
        if period.start > self.today:
            self.add_error(
                "tu" if kind == "range" else "nam", _("This period has not begun yet: choose an earlier one.")
            )
            return cleaned
        self._period = period
        return cleaned

    def period(self) -> Period:
        """The period chosen (this year when nothing was); call ``is_valid()`` first on a bound form."""
        if not self.is_bound:
            return Period.of("year", self.today.year)
        if self._period is None:
            raise ValueError("The form is not valid.")
        return self._period

    def query(self) -> dict:
        """The period as query parameters, for links that keep it (drill-downs, downloads)."""
        if not self.is_bound or self._period is None:
            return {}
        return {name: self.data.get(name) for name in self.base_fields if self.data.get(name)}
