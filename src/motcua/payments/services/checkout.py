"""Checkout: a payment transaction (giao dịch) opened over everything a dossier owes, through one of its
agency's gateways, and where to send the payer.

One pending payment per dossier and gateway: a payer who comes back before it expires, owing the same
charges, continues the same transaction (same reference, so the gateway cannot take the money twice for
it); when what is owed has changed, the old one is superseded (expired) and a new one opened, since its
amount no longer matches. A superseded payment that the gateway still confirms is honoured and the
surplus refunded (``callbacks``).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.dossiers.models import FINAL_STATUSES, Dossier, DossierStatus

from .. import registry, rules, selectors
from ..base import Checkout
from ..models import Payment, PaymentState
from .errors import PaymentRefused
from .references import new_reference


@transaction.atomic
def open_checkout(
    dossier: Dossier, *, by, gateway: str = "", client_ip: str = "", return_url: str, locale: str = "vi"
) -> tuple[Payment, Checkout]:
    """Open (or continue) the payment of what ``dossier`` owes through ``gateway`` (by default the
    agency's first one); returns the pending payment and where the payer goes (``Checkout``).

    ``return_url``: the absolute address the gateway sends the payer back to. Refused when nothing is owed,
    when the dossier has ended, or when its agency takes no payment through ``gateway``."""
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if not rules.allowed(rules.PAY, dossier, by):
        raise PermissionDenied(_("Only the applicant pays for their dossier."))
    if dossier.status in FINAL_STATUSES or dossier.status == DossierStatus.DRAFT:
        raise PaymentRefused(_("This dossier takes no payment now."))
    charges = list(selectors.owed_charges(dossier))
    if not charges:
        raise PaymentRefused(_("Nothing is owed on this dossier."))
    accounts = selectors.gateway_accounts(dossier)
    account = (
        next((a for a in accounts if a.gateway == gateway), None) if gateway else next(iter(accounts), None)
    )
    if account is None:
        raise ValidationError({"gateway": [_("The agency takes no payment this way; choose another.")]})
    plugin = registry.get(account.gateway)
    now = timezone.now()
    amount = sum(c.amount for c in charges)
    wanted = {c.pk for c in charges}
    payment = _reusable(dossier, account, amount, wanted, now)
    if payment is None:
        payment = _create(dossier, account, amount, charges, by, now)
        audit.record(
            "payment.opened", actor=by, target=dossier, target_label=dossier.code, payment=payment.reference,
            gateway=account.gateway, amount=amount,
        )  # fmt: skip
    description = _("Payment for dossier %(code)s") % {"code": dossier.code}
    checkout = plugin.start(
        payment, client_ip=client_ip, return_url=return_url, locale=locale, expires_at=payment.expires_at,
        description=description,
    )  # fmt: skip
    return payment, checkout


def _reusable(dossier, account, amount, wanted, now) -> Payment | None:
    """The pending payment of this dossier at this account that still fits; the others superseded."""
    keep = None
    for pending in Payment.objects.select_for_update().filter(
        dossier=dossier, account=account, state=PaymentState.PENDING
    ):
        fits = (
            keep is None
            and pending.expires_at > now
            and pending.amount == amount
            and set(pending.charges.values_list("pk", flat=True)) == wanted
        )
        if fits:
            keep = pending
        else:
            pending.state = PaymentState.EXPIRED
            pending.save(update_fields=["state"])
    return keep


def _create(dossier, account, amount, charges, by, now) -> Payment:
    expires_at = now + timedelta(minutes=registry.get(account.gateway).expiry_minutes())
    for _attempt in range(5):
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    reference=new_reference(), dossier=dossier, payer=by, amount=amount,
                    gateway=account.gateway, account=account, created_at=now, expires_at=expires_at,
                )  # fmt: skip
            break
        except IntegrityError:  # the reference was taken: draw another
            continue
    else:
        raise RuntimeError("no free payment reference")
    payment.charges.set(charges)
    return payment
