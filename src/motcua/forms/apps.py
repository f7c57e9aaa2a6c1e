from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "motcua.forms"
    label = "forms"
    verbose_name = _("Online forms")

    def ready(self):
        from motcua.catalog.signals import bump_revision

        from .models import OnlineForm

        # Procedure pages say whether a procedure can be submitted online: publishing a form changes them.
        post_save.connect(bump_revision, sender=OnlineForm, dispatch_uid="forms-revision-save")
        post_delete.connect(bump_revision, sender=OnlineForm, dispatch_uid="forms-revision-delete")
