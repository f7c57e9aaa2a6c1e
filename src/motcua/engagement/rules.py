"""Who may do what in engagement: the one place the pages, the API and the services ask.

Ratings (đánh giá mức độ hài lòng): the applicant rates their own dossier once it has ended in a way they
lived through (``RATEABLE``); the applicant and the officers of the dossier's receiving agency read the
rating; nobody changes it.
"""

from django.db.models import QuerySet

from motcua.accounts import selectors as account_selectors
from motcua.catalog.models import Agency
from motcua.dossiers import rules as dossier_rules
from motcua.dossiers.models import DossierStatus

# Ended with a result handed over, a refusal at the desk, or processing stopped: the applicant has
# something to judge. Not a withdrawal (their own act), a draft, or a dossier still in progress.
RATEABLE = frozenset({DossierStatus.RETURNED, DossierStatus.REFUSED, DossierStatus.STOPPED})


def may_rate(dossier, user) -> bool:
    """Whether ``user`` is the dossier's applicant (``dossiers.rules.is_own``), and not merely who sent it
    for them: at the desk the sender is the officer who registered it, who never rates their own work."""
    return (
        dossier_rules.is_own(dossier, user)
        and user.is_active
        and dossier.applicant_id is not None
        and dossier.applicant_id == user.pk
    )


def rateable_now(dossier) -> bool:
    return dossier.status in RATEABLE


def rating_agencies(user) -> QuerySet[Agency]:
    """The agencies whose ratings ``user`` reads as an officer (all of them for a system administrator)."""
    return account_selectors.officer_agencies(user)


def may_read_rating(rating, user) -> bool:
    """The applicant of the rated dossier, or an officer of its receiving agency."""
    if dossier_rules.is_own(rating.dossier, user):
        return True
    return rating_agencies(user).filter(pk=rating.agency_id).exists()
