"""The fee of a dossier (phí, lệ phí): the applicant's declaration checked, a draft's live quote, and the
quote frozen when the dossier is sent. The arithmetic and the rule format are ``catalog.fees``'.

A declaration is ``{"groups": [ExemptionGroup values], "quantities": {quantity key: whole number}}``:
the groups some fee of this procedure exempts (the desk checks the proof), and the number of units of a fee
per unit whose quantity the form does not ask (its key is ``Fee.quantity_key``, e.g. ``"fee-12"``). A fee
whose ``per_unit`` names a form field takes its quantity from the form data.
"""

from django.utils.translation import gettext as _

from motcua.catalog import fees as catalog_fees
from motcua.catalog.fees import MAX_QUANTITY, FeeQuote

from .errors import invalid

FIELD = "fee_declaration"


def entered_fees(procedure, channel: str) -> list:
    """The fees per unit whose number of units the applicant enters on the review page."""
    return [fee for fee in catalog_fees.fees_for(procedure, channel) if fee.is_per_unit and not fee.per_unit]


def _quantity(value) -> int | None:
    """A whole number of units from JSON or a form (text), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def check_declaration(procedure, channel: str, declaration) -> dict:
    """The declaration as stored, or ValidationError on ``fee_declaration`` with a message a citizen reads."""
    if declaration in (None, ""):
        return {"groups": [], "quantities": {}}
    if not isinstance(declaration, dict) or set(declaration) - {"groups", "quantities"}:
        raise invalid(FIELD, _("The fee declaration must be an object with 'groups' and 'quantities'."))
    groups = declaration.get("groups") or []
    offered = catalog_fees.exempt_groups(procedure, channel)
    if not isinstance(groups, list) or any(group not in offered for group in groups):
        raise invalid(
            FIELD,
            _("The fees of this procedure have no exemption for the group you chose.")
            if isinstance(groups, list)
            else _("The exemption groups must be a list."),
        )
    quantities = declaration.get("quantities") or {}
    keys = {fee.quantity_key: fee for fee in entered_fees(procedure, channel)}
    if not isinstance(quantities, dict) or set(quantities) - set(keys):
        raise invalid(FIELD, _("A quantity was given for a fee that is not counted per unit."))
    cleaned = {}
    for key, value in quantities.items():
        number = _quantity(value)
        if number is None or not 1 <= number <= MAX_QUANTITY:
            raise invalid(
                FIELD,
                _("The number of %(unit)s must be a whole number from 1 to %(max)s.")
                % {"unit": keys[key].unit_label, "max": MAX_QUANTITY},
            )
        cleaned[key] = number
    return {"groups": [g for g in offered if g in groups], "quantities": cleaned}


def _form_value(data: dict, path: str):
    value = data
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def live_quote(dossier) -> FeeQuote:
    """What the dossier would owe if it were sent now: its channel's fees, the quantities from the form and
    the declaration, the declared groups."""
    procedure = dossier.procedure
    declaration = dossier.fee_declaration or {}
    quantities = {}
    for fee in catalog_fees.fees_for(procedure, dossier.channel):
        if fee.per_unit:
            number = _quantity(_form_value(dossier.data or {}, fee.per_unit))
            if number is not None and number >= 1:
                quantities[fee.quantity_key] = number
    quantities.update(declaration.get("quantities") or {})
    return catalog_fees.quote(
        procedure, channel=dossier.channel, quantities=quantities, groups=declaration.get("groups") or []
    )


def frozen_quote(dossier, now) -> dict:
    """The quote kept on the dossier when it is sent (``Dossier.fee_quote``)."""
    return {**live_quote(dossier).as_json(), "quoted_at": now.isoformat()}


def quote_of(dossier) -> dict:
    """The quote to show: a draft's live one, a sent dossier's frozen one (empty for a dossier sent before
    fees were data, or registered at the desk)."""
    if dossier.is_draft:
        return {**live_quote(dossier).as_json(), "quoted_at": None}
    return dossier.fee_quote or {}
