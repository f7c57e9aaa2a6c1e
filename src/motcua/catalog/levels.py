"""The online service level a procedure really offers here (mức độ dịch vụ công trực tuyến), derived.

Not what the national database declares (``Procedure.declared_online_level``) but what the portal can do:

- online submission: the record has an ``online`` method;
- online payment of every fee: nothing to pay online, or every fee of the online channel has a known amount
  and every implementing agency accepts online payment (``Agency.accepts_online_payment``, set by payments);
- online result: offered with online submission (the result is delivered online or by post).

Level 4 needs all three; 3 online submission; 2 a form template to download; else 1. The level is stored on
the procedure (filters, API and exports read one value) and refreshed by ``services.refresh_online_level``.
"""

from dataclasses import dataclass

from .fees import fees_for
from .models import Channel, OnlineLevel


@dataclass(frozen=True)
class Offer:
    online_submission: bool
    online_payment: bool
    online_result: bool
    form_download: bool

    @property
    def level(self) -> OnlineLevel:
        if self.online_submission and self.online_payment and self.online_result:
            return OnlineLevel.LEVEL_4
        if self.online_submission:
            return OnlineLevel.LEVEL_3
        if self.form_download:
            return OnlineLevel.LEVEL_2
        return OnlineLevel.LEVEL_1


def online_payment_possible(procedure) -> bool:
    """Every fee of the online channel can be paid online (true when there is nothing to pay)."""
    fees = fees_for(procedure, Channel.ONLINE)
    if all(fee.amount == 0 for fee in fees):
        return True
    if any(fee.amount is None for fee in fees):
        return False
    agencies = list(procedure.agencies.all())
    return bool(agencies) and all(agency.accepts_online_payment for agency in agencies)


def offer(procedure) -> Offer:
    online = any(method.channel == Channel.ONLINE for method in procedure.methods.all())
    return Offer(
        online_submission=online,
        online_payment=online_payment_possible(procedure),
        online_result=online,
        form_download=any(bool(c.form_template) for c in procedure.components.all()),
    )


def derived_level(procedure) -> OnlineLevel:
    return offer(procedure).level
