"""Statistics follow every change they count, in the transaction of the change: a dossier's transitions
(``dossiers.signals.dossier_moved``), a charge added or a payment paid (``payments.signals``), a rating
given (``engagement.signals.dossier_rated``). Each reads the dossier again (``services.refresh_dossier``)."""

from motcua.dossiers.signals import dossier_moved
from motcua.engagement.signals import dossier_rated
from motcua.payments.models import Charge, Payment
from motcua.payments.signals import charge_added, payment_paid


def on_dossier_moved(sender, *, dossier, **kwargs):
    from .services import refresh_dossier

    refresh_dossier(dossier.pk)


def on_payment_paid(sender, *, payment, **kwargs):
    from .services import refresh_dossier

    refresh_dossier(payment.dossier_id)


def on_charge_added(sender, *, charge, **kwargs):
    from .services import refresh_dossier

    refresh_dossier(charge.dossier_id)


def on_dossier_rated(sender, *, rating, **kwargs):
    from .services import refresh_dossier

    refresh_dossier(rating.dossier_id)


def connect() -> None:
    dossier_moved.connect(on_dossier_moved, dispatch_uid="stats.facts_on_moved")
    payment_paid.connect(on_payment_paid, sender=Payment, dispatch_uid="stats.facts_on_paid")
    charge_added.connect(on_charge_added, sender=Charge, dispatch_uid="stats.facts_on_charge")
    dossier_rated.connect(on_dossier_rated, dispatch_uid="stats.facts_on_rated")
