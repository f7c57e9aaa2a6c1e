"""Writes of satisfaction ratings (đánh giá mức độ hài lòng): the applicant rates a finished dossier once
(``rate_dossier``), after being invited when its result was handed over (``invite_to_rate``). There is no
change and no deletion: a rating stands as given, so that nobody, officers included, can improve it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.audit import services as audit
from motcua.core.text import whole_number
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.services import ActionRefused
from motcua.notifications import services as notifications

from .. import rules
from ..models import CRITERION_FIELDS, MAX_SCORE, MIN_SCORE, DossierRating, RatingCriterion
from ..signals import dossier_rated

COMMENT_MAX_LENGTH = 2000
RATING_ANCHOR = "danh-gia"  # the rating section of the applicant's dossier page

# One wording for the service, the page and the API (whose serializer checks the same scale).
SCORE_REQUIRED = gettext_lazy("Choose a score from 1 to 5.")
SCORE_INVALID = gettext_lazy("The score is a whole number from 1 (very dissatisfied) to 5 (very satisfied).")
ALREADY_RATED = gettext_lazy("This dossier has already been rated; a rating cannot be changed.")


class AlreadyRated(ActionRefused):
    """The dossier has its rating already (409): a rating is given once and never changed."""


def rate_dossier(dossier: Dossier, *, by, overall, criteria: dict, comment: str = "", request=None):
    """Đánh giá mức độ hài lòng: ``by``, the dossier's applicant, rates it once it has ended
    (``rules.RATEABLE``): ``overall`` and each ``RatingCriterion`` in ``criteria`` (keys: the criteria's
    values), each a whole number 1–5 (an int, or its digit as text from a form), and an optional comment.

    One transaction: the dossier's row locked, checks first (the person, 403; the moment and a rating
    already given, 409; the values, ValidationError by field: ``overall``, each criterion's value,
    ``comment``), then the rating, ``signals.dossier_rated`` and the audit entry. A repeat, or two at once,
    gives ``AlreadyRated`` and leaves the first rating as it was.
    """
    with transaction.atomic():
        row = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("agency", "procedure")
            .get(pk=dossier.pk)
        )
        if not rules.may_rate(row, by):
            raise PermissionDenied(_("Only the applicant of this dossier may rate it."))
        if _already_rated(row):
            raise AlreadyRated(str(ALREADY_RATED))
        if not rules.rateable_now(row):
            raise ActionRefused(
                _("A dossier is rated once it has ended; this one is “%(status)s”.")
                % {"status": DossierStatus(row.status).label}
            )
        values = clean_rating(overall=overall, criteria=criteria, comment=comment)
        try:
            with transaction.atomic():  # a savepoint: a duplicate leaves the outer transaction usable
                rating = DossierRating.objects.create(
                    dossier=row, agency=row.agency, procedure=row.procedure, rated_by=by,
                    rated_at=timezone.now(), **values,
                )  # fmt: skip
        except IntegrityError:
            # Someone rated it between our check and our write (the OneToOne refused the second row).
            if not DossierRating.objects.filter(dossier_id=row.pk).exists():
                raise
            raise AlreadyRated(str(ALREADY_RATED)) from None
        dossier_rated.send(sender=DossierRating, rating=rating)
        audit.record(
            "dossier.rate", actor=by, request=request, target=row, target_label=row.code,
            overall=rating.overall,
        )  # fmt: skip
    return rating


def _already_rated(dossier: Dossier) -> bool:
    return DossierRating.objects.filter(dossier_id=dossier.pk).exists()


def clean_rating(*, overall, criteria, comment) -> dict:
    """The rating's columns from what was given, or a ValidationError naming every wrong field."""
    errors: dict[str, list] = {}
    values = {}
    score = _score(overall)
    if isinstance(score, str):
        errors["overall"] = [score]
    else:
        values["overall"] = score
    criteria = criteria if isinstance(criteria, dict) else {}
    for criterion in RatingCriterion:
        score = _score(criteria.get(criterion.value))
        if isinstance(score, str):
            errors[criterion.value] = [score]
        else:
            values[CRITERION_FIELDS[criterion]] = score
    comment = (comment or "").strip() if isinstance(comment, str) else None
    if comment is None:
        errors["comment"] = [_("The comment is text.")]
    elif len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [
            _("The comment is at most %(limit)s characters (it has %(count)s).")
            % {"limit": COMMENT_MAX_LENGTH, "count": len(comment)}
        ]
    elif "\x00" in comment:
        errors["comment"] = [_("The comment contains a character that is not allowed.")]
    else:
        values["comment"] = comment
    if errors:
        raise ValidationError(errors)
    return values


def _score(value) -> int | str:
    """The score ``value`` gives, or the message saying why it is not one."""
    if value is None or value == "":
        return str(SCORE_REQUIRED)
    if isinstance(value, str):
        value = whole_number(value.strip(), digits=1)
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SCORE <= value <= MAX_SCORE:
        return str(SCORE_INVALID)
    return value


def invite_to_rate(dossier: Dossier):
    """Mời đánh giá: tell the applicant their dossier can now be rated (inbox, e-mail, SMS as ``notify``
    chooses), with a link to the rating section of the dossier's page. Written in the caller's transaction
    (the hand-over of the result); sent after it commits. None, and nothing written, for a dossier whose
    applicant has no portal account (registered at the desk for them): only an account can rate."""
    if dossier.applicant_id is None:
        return None
    link = f"{dossier_selectors.applicant_link(dossier)}#{RATING_ANCHOR}"
    return notifications.notify(
        topic="engagement.rating_invited",
        template="rating_invitation",
        context=dossier_selectors.notification_context(dossier),
        recipient=dossier.applicant,
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        subject=dossier,
        link=link,
    )
