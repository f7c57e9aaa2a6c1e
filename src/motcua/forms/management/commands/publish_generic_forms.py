"""``manage.py publish_generic_forms``: after a bulk import of procedures, publish the generic online form
of every procedure that offers online submission without a form written for it (or a new version where its
dossier components changed), rather than on each one's first draft. Safe to re-run."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.forms import services


class Command(BaseCommand):
    help = (
        "Publish the generic online form of each procedure that offers online submission and has no form "
        "written for it; a new version where its dossier components changed. Published versions never change."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Procedure codes (default: every procedure).")

    def handle(self, *args, codes, **options):
        procedures = Procedure.objects.offering_online_submission()
        if codes:
            procedures = procedures.filter(code__in=codes)
            missing = sorted(set(codes) - set(procedures.values_list("code", flat=True)))
            if missing:
                raise CommandError(
                    _("No active procedure offering online submission has the code: %(codes)s.")
                    % {"codes": ", ".join(missing)}
                )
        forms = services.publish_generic_forms(procedures)
        self.stdout.write(
            _("Generic online forms: %(count)s procedures (%(versions)s).")
            % {
                "count": len(forms),
                "versions": ", ".join(f"{f.procedure.code} v{f.version}" for f in forms) or "—",
            }
        )
