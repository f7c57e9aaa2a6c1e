"""The indicators of Decision 766/QĐ-TTg (2022) that Motcua's data supports, each defined once, here.

An indicator is a rate: a numerator over a denominator, both named figures (``stats.figures``); its formula,
in words, is what the page's "how is this computed" shows. Each belongs to one of the Decision's five groups.
Its points come from the score scheme in force (``stats.scoring``), never from here. An indicator whose data
Motcua does not hold is *not available* (``available=False``): shown as such, never as zero, and left out of
the score.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    points: int  # the Decision's points for the group


GROUPS = (
    Group("publicity", _("Publicity and transparency"), 18),
    Group("progress", _("Progress and results of processing"), 20),
    Group("digitisation", _("Digitisation of dossiers"), 22),
    Group("online", _("Online service provision"), 22),
    Group("satisfaction", _("Satisfaction"), 18),
)
GROUP_BY_KEY = {group.key: group for group in GROUPS}


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str
    label: str
    formula: str
    numerator: str
    denominator: str
    available: bool = True  # False while Motcua has no data for it

    def rate(self, figures: dict) -> float | None:
        """numerator ÷ denominator, or None when there is nothing to divide (or no data at all)."""
        if not self.available:
            return None
        numerator, denominator = figures.get(self.numerator), figures.get(self.denominator)
        if numerator is None or not denominator:
            return None
        return numerator / denominator


INDICATORS = (
    Indicator(
        "procedures_published_on_time",
        "publicity",
        _("Procedures published on time"),
        _(
            "Procedures in force whose record entered the catalogue no later than their effective date ÷ "
            "procedures in force that have an effective date (on the last day of the period)."
        ),
        "procedures_on_time",
        "procedures_dated",
    ),
    Indicator(
        "procedures_published_in_full",
        "publicity",
        _("Procedures published in full"),
        _(
            "Procedures in force whose record gives a way to carry them out with its processing time, the "
            "papers of the dossier, the legal basis and the result ÷ procedures in force."
        ),
        "procedures_in_full",
        "procedures",
    ),
    Indicator(
        "resolved_in_time",
        "progress",
        _("Dossiers resolved early or on time"),
        _(
            "Dossiers resolved (granted or not granted) in the period before or on their due time ÷ dossiers "
            "resolved in the period. The due time is the dossier's clock: working days, stopped while the "
            "applicant supplements or pays."
        ),
        "resolved_in_time",
        "resolved",
    ),
    Indicator(
        "in_progress_within_time",
        "progress",
        _("Dossiers in progress within time"),
        _(
            "Dossiers received and not yet finished at the end of the period (or now) whose due time has not "
            "passed, or whose clock is stopped waiting for the applicant ÷ dossiers in progress then."
        ),
        "in_progress_within_time",
        "in_progress",
    ),
    Indicator(
        "results_electronic",
        "digitisation",
        _("Results issued electronically"),
        _(
            "Dossiers granted in the period whose result is a document signed with the agency's digital "
            "certificate (and still standing) ÷ dossiers granted in the period."
        ),
        "e_results",
        "granted",
    ),
    Indicator(
        "dossiers_digitised",
        "digitisation",
        _("Dossiers digitised"),
        _(
            "Dossiers received in the period whose papers are kept electronically (uploaded, scanned at the "
            "desk or reused) ÷ dossiers received in the period."
        ),
        "digitised",
        "received",
    ),
    Indicator(
        "papers_reused",
        "digitisation",
        _("Dossiers reusing digitised papers"),
        _(
            "Dossiers received in the period with at least one paper taken from the applicant's document "
            "store instead of a new upload ÷ dossiers received in the period."
        ),
        "reused",
        "received",
    ),
    Indicator(
        "procedures_full_online",
        "online",
        _("Procedures offered fully online"),
        _(
            "Procedures in force offered as full online public services (sent online, every fee payable "
            "online: level 4) ÷ procedures in force."
        ),
        "procedures_full_online",
        "procedures",
    ),
    Indicator(
        "dossiers_online",
        "online",
        _("Dossiers received online"),
        _("Dossiers received in the period that were sent online ÷ dossiers received in the period."),
        "received_online",
        "received",
    ),
    Indicator(
        "payments_online",
        "online",
        _("Fees paid online"),
        _(
            "Dossiers received in the period with a fee that was paid through an online gateway ÷ dossiers "
            "received in the period with a fee."
        ),
        "paid_online",
        "with_fee",
    ),
    Indicator(
        "petitions_on_time",
        "satisfaction",
        _("Petitions handled on time"),
        _(
            "Petitions and feedback handled in the period (answered with a leader's approval, or declined "
            "with the reason) no later than their due time ÷ petitions and feedback handled in the period. "
            "The due time is counted in working days from reception; a duplicate merged into another counts "
            "once, through it."
        ),
        "petitions_on_time",
        "petitions_handled",
    ),
    Indicator(
        "petitions_satisfaction",
        "satisfaction",
        _("Satisfaction with petition answers"),
        _(
            "Senders who said the answer satisfies them ÷ senders who said whether it did, for the petitions "
            "handled in the period."
        ),
        "petitions_satisfied",
        "petitions_rated",
    ),
    Indicator(
        "dossier_satisfaction",
        "satisfaction",
        _("Satisfaction with the handling of dossiers"),
        _(
            "Applicants who rated their finished dossier 4 or 5 out of 5 (satisfied, very satisfied) in the "
            "period ÷ applicants who rated one in the period."
        ),
        "ratings_satisfied",
        "ratings",
    ),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}

# Shares shown beside the indicators, without points: how dossiers arrived (domain.md: channel shares).
CHANNEL_SHARES = (
    ("received_online", _("Online")),
    ("received_in_person", _("In person")),
    ("received_postal", _("By post")),
)
