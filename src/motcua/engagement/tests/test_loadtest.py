"""Satisfaction ratings of seeded dossiers (``engagement.loadtest``): given by the applicant's account once
the dossier has ended in a rateable way, after it ended and not after now, mostly satisfied."""

from collections import Counter

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.seeding import seed, seed_world
from motcua.engagement.models import CRITERION_FIELDS, DossierRating
from motcua.engagement.rules import RATEABLE


def test_seeded_ratings_are_given_by_applicants_after_the_end(agency, procedure, time_machine_monday):
    seed_world(agency, procedure)
    seed(dossiers=300, days=200, seed=5)

    ratings = list(DossierRating.objects.select_related("dossier"))
    assert len(ratings) > 30
    for rating in ratings:
        dossier = rating.dossier
        assert dossier.status in RATEABLE and rating.rated_by_id == dossier.applicant_id is not None
        assert rating.agency_id == dossier.agency_id and rating.procedure_id == dossier.procedure_id
        assert (dossier.returned_at or dossier.finished_at) <= rating.rated_at <= time_machine_monday
        assert all(1 <= score <= 5 for score in [rating.overall, *rating.scores().values()])
    overall = Counter(r.overall for r in ratings)
    assert (overall[4] + overall[5]) / len(ratings) > 0.7, overall  # mostly satisfied
    assert len(overall) >= 3  # but not all
    assert any(r.comment for r in ratings)
    assert set(CRITERION_FIELDS.values()) <= {f.attname for f in DossierRating._meta.concrete_fields}
    # Only applicants with an account rate: none of the dossiers registered at the desk without one.
    assert not DossierRating.objects.filter(dossier__applicant=None).exists()
    returned = Dossier.objects.filter(status=10).exclude(applicant=None).count()
    assert len(ratings) < returned  # not everybody rates
