"""The daily facts counted straight from the dossier table, with GROUP BY: the yardstick the kept facts are
held to (``tests/test_exactness.py``) and the baseline ``bench/stats.py`` times.

It shares with the ledger only what the domain apps say a dossier is (``dossiers.facts``,
``payments.facts``, the rating); the counting, by day, agency, procedure and channel, is written again here
in SQL aggregates, so that a mistake in keeping the facts (a change not followed, a difference added twice)
shows as a difference between the two.
"""

from collections import Counter, defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from motcua.dossiers import facts as dossier_facts
from motcua.dossiers.models import Dossier, DossierStatus, Outcome, Timeliness
from motcua.payments import facts as payment_facts

from . import ratings

KEY = ("day", "agency_id", "procedure_id", "channel")


def direct_counts(**filters) -> dict[tuple, Counter]:
    """{(day, agency, procedure, channel): Counter of measures} over the dossiers matching ``filters``."""
    tz = timezone.get_current_timezone()
    sent = Dossier.objects.exclude(status=DossierStatus.DRAFT).filter(**filters).order_by()
    counted: dict[tuple, Counter] = defaultdict(Counter)

    received = (
        sent.filter(dossier_facts.received())
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values(*KEY)
        .annotate(
            received=Count("pk"),
            digitised=Count("pk", filter=Q(dossier_facts.digitised())),
            reused=Count("pk", filter=Q(dossier_facts.reused_papers())),
            with_fee=Count("pk", filter=payment_facts.with_fee()),
            paid_online=Count("pk", filter=Q(payment_facts.paid_online())),
        )
    )
    resolved = Q(outcome__in=[Outcome.APPROVED, Outcome.REJECTED])
    in_time = [Timeliness.EARLY, Timeliness.ON_TIME]
    finished = (
        sent.filter(finished_at__isnull=False)
        .exclude(outcome="")
        .annotate(day=TruncDate("finished_at", tzinfo=tz))
        .values(*KEY)
        .annotate(
            resolved=Count("pk", filter=resolved),
            resolved_early=Count("pk", filter=resolved & Q(timeliness=Timeliness.EARLY)),
            resolved_on_time=Count("pk", filter=resolved & Q(timeliness=Timeliness.ON_TIME)),
            resolved_late=Count("pk", filter=resolved & ~Q(timeliness__in=in_time)),
            granted=Count("pk", filter=Q(outcome=Outcome.APPROVED)),
            e_results=Count("pk", filter=Q(outcome=Outcome.APPROVED) & Q(dossier_facts.electronic_result())),
            not_granted=Count("pk", filter=Q(outcome=Outcome.REJECTED)),
            stopped=Count("pk", filter=Q(outcome=Outcome.STOPPED)),
            withdrawn=Count("pk", filter=Q(outcome=Outcome.WITHDRAWN)),
            refused=Count("pk", filter=Q(outcome=Outcome.REFUSED)),
        )
    )
    rated = (
        sent.filter(rating__isnull=False)
        .annotate(day=TruncDate("rating__rated_at", tzinfo=tz))
        .values(*KEY)
        .annotate(
            ratings=Count("pk"),
            ratings_satisfied=Count("pk", filter=ratings.satisfied_filter("rating__overall")),
            overall_sum=Sum("rating__overall"),
            **{
                ratings.CRITERIA_SUMS[str(criterion)]: Sum(f"rating__{column}")
                for criterion, column in ratings.COLUMNS.items()
            },
        )
    )
    for rows in (received, finished, rated):
        for row in rows:
            key = tuple(row.pop(field) for field in KEY)
            counted[key].update({measure: n for measure, n in row.items() if n})
    return {key: counts for key, counts in counted.items() if counts}
