"""Merchant accounts (tài khoản thanh toán) of agencies, saved, switched on or off and deleted here, so that
the catalogue's service levels follow: an agency with an active account at a gateway Motcua knows takes fees
online (``catalog.services.set_accepts_online_payment``), which makes its fee-bearing procedures level 4."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.catalog import services as catalog_services

from .. import registry, selectors
from ..models import GatewayAccount
from .errors import PaymentRefused


def sync_online_payment(agency) -> None:
    """The agency's "takes fees online" as its accounts say; written only when it changes."""
    value = selectors.has_active_gateway(agency)
    if agency.accepts_online_payment != value:
        catalog_services.set_accepts_online_payment(agency, value)


@transaction.atomic
def save_gateway_account(account: GatewayAccount, *, by=None) -> GatewayAccount:
    """Create or change ``account`` (unsaved or edited instance); the agencies concerned (the old one too,
    when the account moved) follow."""
    if not registry.known(account.gateway):
        raise ValidationError({"gateway": [_("Motcua knows no payment gateway of this name.")]})
    before = None
    if account.pk:
        before = GatewayAccount.objects.select_related("agency").filter(pk=account.pk).first()
    account.full_clean()
    account.save()
    audit.record(
        "payment.account_saved", actor=by, target=account.agency, target_label=str(account.agency),
        gateway=account.gateway, active=account.is_active, created=before is None,
    )  # fmt: skip
    sync_online_payment(account.agency)
    if before is not None and before.agency_id != account.agency_id:
        sync_online_payment(before.agency)
    return account


@transaction.atomic
def set_gateway_active(account: GatewayAccount, *, active: bool, by=None) -> GatewayAccount:
    """Switch an account on or off (an agency stops taking a gateway without losing its history)."""
    account.is_active = bool(active)
    return save_gateway_account(account, by=by)


@transaction.atomic
def delete_gateway_account(account: GatewayAccount, *, by=None) -> None:
    """Delete an account nothing was paid through (one with payments is switched off instead)."""
    if account.payments.exists():
        raise PaymentRefused(_("Payments were made through this account: deactivate it instead."))
    agency = account.agency
    audit.record(
        "payment.account_deleted", actor=by, target=agency, target_label=str(agency), gateway=account.gateway
    )
    account.delete()
    sync_online_payment(agency)
