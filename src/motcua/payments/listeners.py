"""How payments react to dossiers: a dossier refused (3) or stopped (8) gets what it paid refunded, in the
transaction of its transition (``dossiers.signals.dossier_moved``)."""

from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.signals import dossier_moved

ENDED_UNSERVED = {DossierStatus.REFUSED, DossierStatus.STOPPED}


def on_dossier_moved(sender, *, dossier, to_status, by, **kwargs):
    from .services import refund_dossier

    if to_status in ENDED_UNSERVED:
        refund_dossier(
            dossier, by=by, reason=_("Dossier %(code)s ended without a result.") % {"code": dossier.code}
        )


def connect() -> None:
    dossier_moved.connect(on_dossier_moved, sender=Dossier, dispatch_uid="payments.refund_on_end")
