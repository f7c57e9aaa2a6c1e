"""How the applicant receives the result (hình thức nhận kết quả): online, at the desk, or by post, and the
postal address, checked the same way when a draft is saved and when it is sent.

Delivery by post (dịch vụ bưu chính công ích, Decision 45/2016/QĐ-TTg) is offered when the procedure lists
the post among its ways of being done (``Channel.POSTAL``): the catalogue says per procedure whether papers
may travel by post, and a procedure whose result must be collected in person (a passport, a weapon
licence) does not list it. The postal fee itself is the ``delivery`` app's business, above this one.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.catalog.models import Channel, Procedure
from motcua.core.identity import validate_phone
from motcua.forms import units

from ..models import ResultDelivery

ADDRESS_KEYS = ("name", "phone", "province", "commune", "detail")


def offers_post(procedure: Procedure) -> bool:
    """Whether the result of ``procedure`` may be sent by post."""
    return any(method.channel == Channel.POSTAL for method in procedure.methods.all())


def choices(procedure: Procedure) -> list[ResultDelivery]:
    """The ways the applicant may choose for ``procedure``, online first."""
    offered = [ResultDelivery.ONLINE, ResultDelivery.DESK]
    return [*offered, ResultDelivery.POST] if offers_post(procedure) else offered


def _text(value, limit: int) -> str:
    return " ".join(str(value).split())[:limit] if isinstance(value, str | int) else ""


def check_address(value) -> dict:
    """A postal address as stored, ``{"name", "phone", "province", "commune", "detail"}`` (province and a
    listed commune as codes, the phone as ten digits); ValidationError naming each part that is missing or
    wrong (``delivery_address.<part>``)."""
    if not isinstance(value, dict):
        raise ValidationError(
            {"delivery_address": [_("Give the delivery address: name, phone, province, commune and street.")]}
        )
    errors: dict[str, list[str]] = {}
    address = {
        "name": _text(value.get("name"), 255),
        "phone": _text(value.get("phone"), 20),
        "detail": _text(value.get("detail"), 255),
    }
    if not address["name"]:
        errors["delivery_address.name"] = [_("Enter the name of the person who receives the result.")]
    if not address["phone"]:
        errors["delivery_address.phone"] = [_("Enter a phone number the postman can call.")]
    else:
        try:
            address["phone"] = validate_phone(address["phone"])
        except ValidationError as exc:
            errors["delivery_address.phone"] = list(exc.messages)
    province = units.find_province(value.get("province"))
    address["province"] = province or ""
    address["commune"] = ""
    commune_text = _text(value.get("commune"), 120)
    if province is None:
        errors["delivery_address.province"] = [_("Choose the province or city of the delivery address.")]
    elif units.communes(province):
        address["commune"] = units.find_commune(province, commune_text) or ""
        if not address["commune"]:
            errors["delivery_address.commune"] = [
                _("Choose a commune or ward of %(province)s.")
                % {"province": units.province(province)["name"]}
            ]
    elif commune_text:
        address["commune"] = commune_text
    else:
        errors["delivery_address.commune"] = [_("Enter the commune or ward of the delivery address.")]
    if not address["detail"]:
        errors["delivery_address.detail"] = [_("Enter the house number and street, or the hamlet.")]
    if errors:
        raise ValidationError(errors)
    return {key: address[key] for key in ADDRESS_KEYS}


def check_delivery(procedure: Procedure, choice, address) -> tuple[str, dict]:
    """``(result_delivery, delivery_address)`` as stored: a way the procedure offers, and for the post a
    complete address (none kept for the other ways)."""
    if choice not in ResultDelivery.values:
        raise ValidationError(
            {"result_delivery": [_("Choose how to receive the result: online, at the desk or by post.")]}
        )
    if choice not in choices(procedure):
        raise ValidationError(
            {
                "result_delivery": [
                    _("The result of this procedure cannot be sent by post; choose online or at the desk.")
                ]
            }
        )
    if choice != ResultDelivery.POST:
        return choice, {}
    return choice, check_address(address)
