"""The demo data of payments (``manage.py load_demo``): a sandbox gateway account for every agency that
receives dossiers, so that every fee-bearing demo procedure whose fees are known can be paid online (and
shows service level 4). Idempotent: an agency that has a sandbox account, active or not, is left as it is."""

from django.db import transaction

from motcua.catalog.models import Agency

from .models import GatewayAccount
from .services import save_gateway_account

SANDBOX = "sandbox"


def receiving_agencies():
    """The active agencies that receive dossiers of some procedure in force."""
    return Agency.objects.filter(is_active=True, procedures__is_active=True).distinct().order_by("pk")


@transaction.atomic
def ensure_demo_gateways() -> list[str]:
    """Give every receiving agency without one a sandbox account (the sandbox's demo merchant and secret);
    returns the slugs of the agencies given one now."""
    has = set(GatewayAccount.objects.filter(gateway=SANDBOX).values_list("agency_id", flat=True))
    created = []
    for agency in receiving_agencies():
        if agency.pk in has:
            continue
        save_gateway_account(GatewayAccount(agency=agency, gateway=SANDBOX, is_active=True))
        created.append(agency.slug)
    return created
