"""Fees as data (phí, lệ phí): the exemption rule format, its validation, and the quote of what is owed.

A fee (``models.Fee``) has an amount in VND (``None`` when it varies and an officer states it later),
optionally per unit (``unit_label``, e.g. "bản sao"; the quantity comes from the form field ``per_unit`` or is
entered by the applicant), and exemptions (miễn, giảm) for groups the applicant declares.

Exemption rules are a JSON list, read as data (never evaluated)::

    [{"group": "poor_household", "waive": "all"},    # miễn: nothing to pay
     {"group": "student", "percent": 50}]            # giảm 50%

``group`` is an ``ExemptionGroup`` value; each rule has exactly one of ``"waive": "all"`` or ``"percent"``
(a whole number 1–100, the share taken off); a group appears once per fee. When the applicant declares
several groups, the single most favourable rule applies: exemptions never add up beyond the fee.

``quote`` is pure: it reads the procedure's fees and returns a ``FeeQuote`` (lines and total) without
writing anything; the dossier freezes it when it is sent.
"""

from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.money import format_vnd

# A quantity above this is a typing error, not a request (Decree 23/2015 sets no cap; the desk does).
MAX_QUANTITY = 100


class ExemptionGroup(models.TextChoices):
    """Groups that Vietnamese fee law exempts or reduces (e.g. Circular 75/2022/TT-BTC on residence fees,
    Circular 244/2016/TT-BTC on judicial records, Decree 120/2016 on fees): the applicant declares, the desk
    checks the proof."""

    POOR_HOUSEHOLD = "poor_household", gettext_lazy("Member of a poor household")
    NEAR_POOR_HOUSEHOLD = "near_poor_household", gettext_lazy("Member of a near-poor household")
    DISABILITY = "disability", gettext_lazy("Person with a disability")
    MERITORIOUS = (
        "meritorious",
        gettext_lazy(
            "Person with meritorious services to the revolution, or their family (incl. martyrs' relatives)"
        ),
    )
    ETHNIC_MINORITY_DIFFICULT_AREA = (
        "ethnic_minority_difficult_area",
        gettext_lazy("Ethnic minority person living in an extremely difficult commune"),
    )
    CHILD = "child", gettext_lazy("Child (under 16)")
    ELDERLY = "elderly", gettext_lazy("Elderly person (60 or over)")
    STUDENT = "student", gettext_lazy("Pupil or student")


WAIVE_ALL = "all"


@dataclass(frozen=True)
class Exemption:
    """One rule: ``percent`` taken off the fee for ``group`` (100 = waived)."""

    group: str
    percent: int

    @property
    def waives_all(self) -> bool:
        return self.percent >= 100


def check_exemptions(rules) -> list[dict]:
    """The rules in their stored shape, or ``ValidationError`` naming every problem (admin, import)."""
    if rules in (None, ""):
        return []
    if not isinstance(rules, list):
        raise ValidationError(
            _('Exemptions must be a list of rules, e.g. [{"group": "disability", "waive": "all"}].')
        )
    problems, cleaned, seen = [], [], set()
    for number, rule in enumerate(rules, start=1):
        where = _("Rule %(number)s") % {"number": number}
        if not isinstance(rule, dict):
            problems.append(_("%(where)s: must be an object with a group.") % {"where": where})
            continue
        unknown = sorted(set(rule) - {"group", "waive", "percent"})
        if unknown:
            problems.append(
                _("%(where)s: unknown key %(keys)s; use group, and waive or percent.")
                % {"where": where, "keys": ", ".join(unknown)}
            )
        group = rule.get("group")
        if group not in ExemptionGroup.values:
            problems.append(
                _("%(where)s: '%(group)s' is not a group; use one of %(allowed)s.")
                % {"where": where, "group": group, "allowed": ", ".join(ExemptionGroup.values)}
            )
        elif group in seen:
            problems.append(
                _("%(where)s: the group '%(group)s' already has a rule.") % {"where": where, "group": group}
            )
        seen.add(group)
        has_waive, has_percent = "waive" in rule, "percent" in rule
        if has_waive == has_percent:
            problems.append(
                _('%(where)s: give either "waive": "all" or a "percent" from 1 to 100.') % {"where": where}
            )
            continue
        if has_waive and rule["waive"] != WAIVE_ALL:
            problems.append(_('%(where)s: "waive" can only be "all".') % {"where": where})
            continue
        percent = rule.get("percent")
        if has_percent and (
            isinstance(percent, bool) or not isinstance(percent, int) or not 1 <= percent <= 100
        ):
            problems.append(
                _('%(where)s: "percent" must be a whole number from 1 to 100.') % {"where": where}
            )
            continue
        cleaned.append(
            {"group": group, "waive": WAIVE_ALL} if has_waive else {"group": group, "percent": percent}
        )
    if problems:
        raise ValidationError(problems)
    return cleaned


def exemptions_of(fee) -> list[Exemption]:
    """A fee's rules as ``Exemption`` objects (the stored rules were checked when saved)."""
    return [
        Exemption(rule["group"], 100 if rule.get("waive") == WAIVE_ALL else int(rule["percent"]))
        for rule in fee.exemptions or []
    ]


def fees_for(procedure, channel: str) -> list:
    """The fees that apply to ``channel``: the channel's own and those for every channel."""
    return [fee for fee in procedure.fees.all() if fee.channel in ("", channel)]


def exempt_groups(procedure, channel: str) -> list[str]:
    """The groups that some fee of this channel exempts or reduces, in the enum's order."""
    groups = {e.group for fee in fees_for(procedure, channel) for e in exemptions_of(fee)}
    return [g for g in ExemptionGroup.values if g in groups]


@dataclass
class FeeLine:
    fee_id: int | None
    name: str
    unit_amount: int | None  # None: the amount varies and is stated by the agency later
    quantity: int
    unit_label: str
    gross: int | None
    exemption_group: str = ""  # the group whose rule applied
    exemption_percent: int = 0
    total: int | None = None


@dataclass
class FeeQuote:
    """What the applicant owes for one procedure and channel. ``total`` sums the lines with a known amount;
    ``payable_online`` is False when some line's amount is not known (it cannot be paid online now)."""

    lines: list[FeeLine] = field(default_factory=list)
    total: int = 0
    groups: list[str] = field(default_factory=list)
    payable_online: bool = True

    @property
    def fee_ids(self) -> list[int]:
        return [line.fee_id for line in self.lines if line.fee_id is not None]

    def as_json(self) -> dict:
        """The quote as stored on a dossier (``Dossier.fee_quote``)."""
        return {
            "lines": [asdict(line) for line in self.lines],
            "total": self.total,
            "groups": list(self.groups),
            "payable_online": self.payable_online,
            "fee_ids": self.fee_ids,
        }


def best_exemption(fee, groups) -> Exemption | None:
    """The most favourable of the fee's rules for the declared groups (ties: the rule listed first)."""
    matching = [e for e in exemptions_of(fee) if e.group in set(groups)]
    return max(matching, key=lambda e: e.percent, default=None)


def line_for(fee, *, quantity: int, groups) -> FeeLine:
    quantity = quantity if fee.is_per_unit else 1
    line = FeeLine(
        fee_id=fee.pk,
        name=fee.name,
        unit_amount=fee.amount,
        quantity=quantity,
        unit_label=fee.unit_label,
        gross=None if fee.amount is None else fee.amount * quantity,
    )
    if line.gross is None:
        return line
    exemption = best_exemption(fee, groups) if line.gross else None
    line.total = line.gross
    if exemption is not None:
        # The reduction is rounded up: the applicant never pays a fraction of a dong more than the rule says.
        line.exemption_group, line.exemption_percent = exemption.group, exemption.percent
        line.total = line.gross - min(line.gross, -(-line.gross * exemption.percent // 100))
    return line


def quote(procedure, *, channel: str, quantities: dict | None = None, groups=()) -> FeeQuote:
    """Báo giá phí, lệ phí: each fee of ``channel`` with its quantity and exemption, and the total.

    ``quantities`` maps a fee's ``quantity_key`` to a whole number of units (default 1); ``groups`` are the
    ``ExemptionGroup`` values the applicant declares (unknown ones change nothing). Pure: nothing is written.
    """
    return quote_fees(fees_for(procedure, channel), quantities=quantities, groups=groups)


def quote_fees(fees, *, quantities: dict | None = None, groups=()) -> FeeQuote:
    """``quote`` over a list of fees (saved or not): the arithmetic alone."""
    quantities = quantities or {}
    groups = [g for g in ExemptionGroup.values if g in set(groups)]
    result = FeeQuote(groups=groups)
    for fee in fees:
        quantity = quantities.get(fee.quantity_key, 1)
        line = line_for(fee, quantity=max(1, min(int(quantity), MAX_QUANTITY)), groups=groups)
        result.lines.append(line)
        if line.total is None:
            result.payable_online = False
        else:
            result.total += line.total
    return result


# --- wording, generated from the data (vi/en) --------------------------------------------------------------


def exemption_text(exemption: Exemption) -> str:
    label = ExemptionGroup(exemption.group).label
    if exemption.waives_all:
        return _("free for: %(group)s") % {"group": label}
    return _("%(percent)s%% off for: %(group)s") % {"percent": exemption.percent, "group": label}


def unit_text(fee) -> str:
    """'per copy'-style wording of a fee per unit, or ''."""
    return _("per %(unit)s") % {"unit": fee.unit_label} if fee.is_per_unit else ""


def fee_wording(fee) -> list[str]:
    """Sentences that say how the fee is counted and who is exempt."""
    parts = [unit_text(fee)] if fee.is_per_unit else []
    return parts + [exemption_text(e) for e in exemptions_of(fee)]


def vnd(amount: int | None) -> str:
    """An amount as the portal writes it: 8.000 đ."""
    return "—" if amount is None else format_vnd(amount)


def readable_lines(stored: dict) -> list[dict]:
    """The lines of a quote as stored (``FeeQuote.as_json()``) with the words to show them, in the active
    language: the exemption's group and amounts as the portal writes them."""
    lines = []
    for line in stored.get("lines") or []:
        group = line.get("exemption_group") or ""
        label = ExemptionGroup(group).label if group in ExemptionGroup.values else group
        lines.append(
            {
                **line,
                "exemption_label": str(label),
                "unit_amount_text": vnd(line.get("unit_amount")),
                "total_text": vnd(line.get("total")),
            }
        )
    return lines


def readable(stored: dict) -> dict:
    """A stored quote ready for a page (template ``fees/_quote.html``): lines, total and payability."""
    return {
        "lines": readable_lines(stored),
        "total_text": vnd(stored.get("total", 0)),
        "payable_online": stored.get("payable_online", True),
    }
