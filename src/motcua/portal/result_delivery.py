"""The review page's "Nhận kết quả" section: how the applicant receives the result, and the postal address
(prefilled from the profile), read from and written back to the page without JavaScript."""

import contextlib

from motcua.accounts import selectors as account_selectors
from motcua.delivery import selectors as delivery_selectors
from motcua.dossiers import services
from motcua.dossiers.models import ResultDelivery
from motcua.forms import units

FIELDS = ("name", "phone", "province", "commune", "detail")


def initial(dossier, user) -> dict:
    """What the section shows first: the draft's choice and address, else the profile's."""
    address = dict(dossier.delivery_address or {})
    if not address:
        profile = account_selectors.applicant_profile(user)
        address = {
            **(profile.get("address") or {}),
            "name": profile.get("name", ""),
            "phone": profile.get("phone", ""),
        }
    province = address.get("province", "")
    commune = address.get("commune", "")
    values = {key: str(address.get(key) or "") for key in FIELDS}
    values["commune"] = units.commune_name(province, commune) or commune
    values["choice"] = dossier.result_delivery or ResultDelivery.ONLINE
    return values


def from_post(post) -> dict:
    values = {key: post.get(f"delivery_{key}", "").strip() for key in FIELDS}
    values["choice"] = post.get("result_delivery", "")
    return values


def update_kwargs(values: dict) -> dict:
    """The ``update_draft`` arguments the section's values stand for."""
    address = {key: values[key] for key in FIELDS} if values["choice"] == ResultDelivery.POST else {}
    return {"result_delivery": values["choice"], "delivery_address": address}


def context(dossier, values: dict) -> dict:
    home = delivery_selectors.home_province()
    fees = {}
    if dossier.agency_id:
        for zone, address in (("inner", {"province": home}), ("outer", {"province": ""})):
            with contextlib.suppress(delivery_selectors.NoTariff):
                fees[zone] = delivery_selectors.money(delivery_selectors.postal_fee(dossier.agency, address))
    return {
        "delivery": values,
        "delivery_choices": services.delivery_choices(dossier.procedure),
        "provinces": units.provinces(),
        "home_communes": units.communes(home),
        "home_province_name": units.province(home)["name"],
        "postal_fees": fees,
    }


def postal_fee_of(dossier) -> int | None:
    """The postal fee the draft would owe as it stands (result by post to its address), or None."""
    if dossier.result_delivery != ResultDelivery.POST or not dossier.agency_id:
        return None
    try:
        return delivery_selectors.postal_fee(dossier.agency, dossier.delivery_address)
    except delivery_selectors.NoTariff:
        return None


def amount_due(dossier, fee_total: int) -> dict:
    """Tổng số tiền phải nộp: the fees and the postal fee paid online once the dossier is sent."""
    postal = postal_fee_of(dossier) or 0
    return {"fee": fee_total or 0, "postal": postal, "total": (fee_total or 0) + postal}
