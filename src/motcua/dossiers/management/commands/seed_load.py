"""``manage.py seed_load --dossiers N``: realistic fictional dossiers in bulk, for load tests (see
``dossiers.loadtest``). Never on a production database: seeded dossiers look real to officers."""

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers import loadtest as seeding


class Command(BaseCommand):
    help = (
        "Insert N fictional dossiers over the demo procedures and agencies of the last two years, for load "
        "tests (after load_demo), with their applicants' accounts, papers, charges and payments, ratings, "
        "and the statistics rebuilt. Refuses a database that already holds seeded dossiers unless --append "
        "(or does nothing with --if-empty)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True, help="how many dossiers to insert")
        parser.add_argument("--seed", type=int, default=20261123, help="random seed (same seed, same data)")
        parser.add_argument("--batch", type=int, default=5000, help="dossiers per transaction")
        parser.add_argument("--days", type=int, default=730, help="submitted over the last DAYS days")
        parser.add_argument("--append", action="store_true", help="add to the seeded dossiers already there")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database holds seeded dossiers"
        )
        parser.add_argument(
            "--no-analyze", action="store_true", help="do not refresh the planner statistics afterwards"
        )

    def handle(self, *args, **options):
        total = options["dossiers"]
        if total < 1 or options["batch"] < 1 or options["days"] < 1:
            raise CommandError("--dossiers, --batch and --days must be positive.")
        quiet = options["verbosity"] < 1
        if options["if_empty"] and seeding.seeded_dossiers().exists():
            if not quiet:
                self.stdout.write("The database holds seeded dossiers already: nothing seeded (--if-empty).")
            return
        step = max(total // 10, options["batch"])
        shown = [0]

        def progress(result: seeding.SeedResult):
            if not quiet and result.dossiers - shown[0] >= step:
                shown[0] = result.dossiers
                self.stdout.write(
                    f"  {result.dossiers:,} dossiers, {result.seconds:.0f} s "
                    f"({result.dossiers_per_second:,.0f} dossiers/s)"
                )

        try:
            result = seeding.seed(
                total,
                seed=options["seed"],
                batch=options["batch"],
                days=options["days"],
                append=options["append"],
                analyze_after=not options["no_analyze"],
                progress=progress,
            )
        except seeding.SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        if quiet:
            return
        shares = ", ".join(
            f"{status}: {count / result.dossiers:.1%}" for status, count in sorted(result.statuses.items())
        )
        more = "".join(f", {count:,} {name}" for name, count in sorted(result.more.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.dossiers:,} dossiers, {result.steps:,} current steps, {result.events:,} "
                f"history rows, {result.supplements:,} supplement requests, {result.accounts:,} applicant "
                f"accounts, {result.attachments:,} papers, {result.stored:,} document store entries{more} "
                f"({result.sequences:,} code sequence blocks) in {result.seconds:.1f} s: "
                f"{result.dossiers_per_second:,.0f} dossiers/s, {result.rows_per_second:,.0f} rows/s."
            )
        )
        self.stdout.write(f"Statuses: {shares}.")
        for note in result.notes:
            self.stdout.write(note)
