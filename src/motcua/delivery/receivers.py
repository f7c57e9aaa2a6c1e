"""What the delivery app does when a dossier moves (``dossiers.signals.dossier_moved``): a result ready for
an applicant who chose the post becomes a parcel, in the same transaction; its booking runs after commit."""

from django.dispatch import receiver

from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.signals import dossier_moved


@receiver(dossier_moved, sender=Dossier, dispatch_uid="delivery.result_ready")
def result_ready(sender, dossier, to_status, **kwargs):
    if to_status == DossierStatus.RESULT_READY:
        from .services import make_shipment

        make_shipment(dossier)
