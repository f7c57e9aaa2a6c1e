from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    name = "motcua.workcalendar"
    label = "workcalendar"
    verbose_name = _("Working calendar")

    def ready(self):
        from .officehours import configured_office_hours

        # A malformed MOTCUA_OFFICE_HOURS stops the process at start-up, not at the first deadline.
        configured_office_hours()
