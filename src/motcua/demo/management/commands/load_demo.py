"""``manage.py load_demo``: the demo site's data, each app's from its own ``demo.py``: the catalogue
(fictional province, real procedures), online forms, inter-agency workflows, sandbox payment accounts, the
postal tariff, user accounts, petitions with their answers and dialogue sessions; safe to re-run."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.accounts.demo import ensure_demo_accounts
from motcua.catalog.demo import DemoDataError, load_demo
from motcua.catalog.services import ImportRejected
from motcua.delivery.demo import ensure_demo_tariff
from motcua.dossiers.demo import load_demo_workflows
from motcua.engagement.consultation_demo import load_demo_consultations
from motcua.engagement.demo import load_demo_dialogues, load_demo_petitions
from motcua.forms.demo import load_demo_forms
from motcua.payments.demo import ensure_demo_gateways


class Command(BaseCommand):
    help = _(
        "Load the demo agencies, sectors and procedures and generate their form templates. "
        "Existing records are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-forms",
            action="store_true",
            help=_("Do not generate the DOCX form templates (faster; they are written on a later run)."),
        )

    def handle(self, *args, **options):
        try:
            result = load_demo(forms=not options["no_forms"])
        except (DemoDataError, ImportRejected) as exc:
            raise CommandError(_("The demo data could not be loaded:\n%(errors)s") % {"errors": exc}) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
        forms = load_demo_forms()
        self.stdout.write(_("Demo online forms published: %(count)s.") % {"count": len(forms.published)})
        self.stdout.write(
            _("Procedures sent online with the generic form: %(count)s.") % {"count": len(forms.generic)}
        )
        workflows = load_demo_workflows()
        if workflows:
            self.stdout.write(_("Demo inter-agency workflows: %(codes)s.") % {"codes": ", ".join(workflows)})
        gateways = ensure_demo_gateways()
        if gateways:
            self.stdout.write(
                _("Sandbox payment accounts given to %(count)s agencies (fees paid online, test money only).")
                % {"count": len(gateways)}
            )
        ensure_demo_tariff()
        accounts = ensure_demo_accounts()
        if accounts.created:
            self.stdout.write(
                _("Demo accounts created (password Demo@12345): %(names)s.")
                % {"names": ", ".join(accounts.created)}
            )
        petitions = load_demo_petitions()
        if petitions:
            self.stdout.write(_("Demo petitions and feedback: %(count)s.") % {"count": petitions})
        dialogues = load_demo_dialogues()
        if dialogues:
            self.stdout.write(_("Demo dialogue sessions: %(count)s.") % {"count": dialogues})
        consultations = load_demo_consultations()
        if consultations:
            self.stdout.write(_("Demo consultations on drafts: %(count)s.") % {"count": consultations})
