from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.models import Agency
from motcua.core.demo import demo_allowed
from motcua.documents import pki


class Command(BaseCommand):
    help = (
        "Make the demo PKI so that results can be signed offline: a root CA 'Motcua Demo CA — không dùng "
        "cho văn bản thật' and one signing certificate per agency, as PKCS#12 files in MOTCUA_PKI_DIR, "
        "registered as each agency's certificate unless it has one already. Existing files and "
        "certificates are kept: running it again only adds what is missing. Refused in production "
        "(DEBUG off, MOTCUA_DEMO unset)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--agency", action="append", default=[], help="Only this agency code (repeatable)."
        )

    def handle(self, *args, agency, **options):
        if not demo_allowed():
            raise CommandError(
                "The demo PKI is for demonstrations: it is refused while DEBUG is off (unless MOTCUA_DEMO=1)."
            )
        ca = pki.ensure_demo_ca()
        state = "created" if ca.created else "kept"
        self.stdout.write(f"Demo CA {state}: {pki.pki_dir() / pki.CA_PEM}")
        agencies = Agency.objects.filter(is_active=True).order_by("code")
        if agency:
            agencies = agencies.filter(code__in=agency)
            missing = set(agency) - set(agencies.values_list("code", flat=True))
            if missing:
                raise CommandError(f"No active agency has the code {', '.join(sorted(missing))}.")
        created = 0
        for item in agencies:
            _path, made = pki.ensure_demo_agency_file(item)
            certificate = pki.ensure_demo_certificate(item)
            created += made
            if not certificate.is_active:
                self.stdout.write(f"{item.code}: has a certificate of its own; the demo one is not used")
        self.stdout.write(
            self.style.SUCCESS(f"{created} agency certificates created, {agencies.count() - created} kept.")
        )
