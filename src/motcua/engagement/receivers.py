"""What engagement does when a dossier moves (``dossiers.signals.dossier_moved``): once its result has been
handed over (10), the applicant is invited to rate it, in the same transaction (the message is sent after
the commit; nothing is sent if the hand-over rolls back)."""

from django.dispatch import receiver

from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.signals import dossier_moved


@receiver(dossier_moved, sender=Dossier, dispatch_uid="engagement.invite_to_rate")
def result_returned(sender, dossier, to_status, from_status=None, **kwargs):
    if to_status == DossierStatus.RETURNED and from_status != DossierStatus.RETURNED:
        from .services import invite_to_rate

        invite_to_rate(dossier)
