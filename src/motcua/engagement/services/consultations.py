"""Writes of consultations on drafts (góp ý dự thảo): the drafting agency's moderators create, edit and
publish a draft article by article; a signed-in person comments while it is open; moderators approve or reject
each comment (the reason stays internal); the agency answers the approved comments and, once it has closed,
a leader publishes the answers. Each write is one transaction with its step (``ConsultationEvent``) and its
audit entry. Errors: ValidationError by field (400), ``ActionRefused`` (409, the wrong moment),
PermissionDenied (403, the wrong person), ``TooManyComments`` (429)."""

import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.catalog.models import Agency
from motcua.core import ratelimit
from motcua.dossiers.services import ActionRefused

from .. import consultation_rules as rules
from ..models.consultations import (
    CommentStatus,
    Consultation,
    ConsultationAction,
    ConsultationArticle,
    ConsultationComment,
    ConsultationEvent,
)
from .petitions.common import clean_text

A = ConsultationAction
TITLE_LENGTH = (5, 255)
SUMMARY_LENGTH = 4000
ARTICLE_TEXT_LENGTH = (1, 20000)
MAX_ARTICLES = 200
COMMENT_LENGTH = (10, 4000)
RESPONSE_LENGTH = (10, 4000)
REASON_LENGTH = (5, 1000)
RATE_WINDOW = 3600  # MOTCUA_CONSULTATION_COMMENT_RATE counts per hour
# "Điều 1." / "Điều 12:" at the start of a line opens an article; what follows on the line is its title.
ARTICLE_HEADING = re.compile(
    r"^\s*(Điều|Article)\s+(\d+[a-z]?)\s*[.:]?[ \t]*(.*)$", re.IGNORECASE | re.MULTILINE
)


class TooManyComments(Exception):
    """The address or the account sent the most comments this hour allows (429); ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(_("You have sent many comments in a short time; please try again later."))
        self.retry_after = retry_after


# --- the draft ----------------------------------------------------------------------------------------------


def split_articles(text: str) -> list[dict]:
    """A draft pasted as one text, cut at its "Điều N." headings: [{"label", "title", "text"}]. Text before
    the first heading is refused (ValidationError on ``articles``): it would belong to no article."""
    text = (text or "").replace("\r\n", "\n")
    headings = list(ARTICLE_HEADING.finditer(text))
    if not headings:
        raise ValidationError(
            {"articles": [_("Start each article on its own line with its number, e.g. “Điều 1. Scope”.")]}
        )
    if text[: headings[0].start()].strip():
        raise ValidationError({"articles": [_("The text before the first article belongs to no article.")]})
    found = []
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        found.append(
            {
                "label": f"{heading.group(1).capitalize()} {heading.group(2)}",
                "title": heading.group(3).strip(),
                "text": text[heading.end() : end].strip(),
            }
        )
    return found


def _clean_draft(*, title, summary, document_kind, document_number, opens_at, closes_at, articles) -> tuple:
    errors: dict[str, list] = {}
    values = {
        "title": clean_text(title, field="title", low=TITLE_LENGTH[0], high=TITLE_LENGTH[1], errors=errors),
        "summary": clean_text(summary, field="summary", low=0, high=SUMMARY_LENGTH, errors=errors),
        "document_kind": clean_text(document_kind, field="document_kind", low=0, high=100, errors=errors),
        "document_number": clean_text(
            document_number, field="document_number", low=0, high=100, errors=errors
        ),
    }
    for field, moment in (("opens_at", opens_at), ("closes_at", closes_at)):
        if not isinstance(moment, datetime):
            errors.setdefault(field, []).append(_("Enter a date and time."))
        elif timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        values[field] = moment
    if (
        not errors.get("opens_at")
        and not errors.get("closes_at")
        and values["closes_at"] <= values["opens_at"]
    ):
        errors.setdefault("closes_at", []).append(_("The closing date must come after the opening date."))
    cleaned_articles = _clean_articles(articles, errors)
    if errors:
        raise ValidationError(errors)
    return values, cleaned_articles


def _clean_articles(articles, errors) -> list[dict]:
    if isinstance(articles, str):
        try:
            articles = split_articles(articles)
        except ValidationError as exc:
            errors.setdefault("articles", []).extend(exc.message_dict["articles"])
            return []
    articles = list(articles or [])
    if not articles:
        errors.setdefault("articles", []).append(_("A draft has at least one article."))
        return []
    if len(articles) > MAX_ARTICLES:
        errors.setdefault("articles", []).append(_("At most %(count)s articles.") % {"count": MAX_ARTICLES})
        return []
    cleaned, labels = [], set()
    for number, article in enumerate(articles, start=1):
        if not isinstance(article, dict):
            errors.setdefault("articles", []).append(_("Article %(n)s is not well formed.") % {"n": number})
            continue
        problems: dict[str, list] = {}
        label = clean_text(article.get("label"), field="label", low=1, high=50, errors=problems)
        title = clean_text(article.get("title", ""), field="title", low=0, high=255, errors=problems)
        text = clean_text(article.get("text"), field="text", low=ARTICLE_TEXT_LENGTH[0],
                          high=ARTICLE_TEXT_LENGTH[1], errors=problems)  # fmt: skip
        if label and label.casefold() in labels:
            problems.setdefault("label", []).append(_("This number is used twice."))
        labels.add(label.casefold())
        for field, messages in problems.items():
            name = {"label": _("number"), "title": _("title"), "text": _("text")}[field]
            for message in messages:
                errors.setdefault("articles", []).append(
                    _("Article %(n)s (%(label)s), %(field)s: %(message)s")
                    % {"n": number, "label": label or "?", "field": name, "message": message}
                )
        cleaned.append({"order": number, "label": label, "title": title, "text": text})
    return cleaned


def _record(consultation, action, *, by, comment=None, note="", request=None, **detail) -> ConsultationEvent:
    event = ConsultationEvent.objects.create(
        consultation=consultation, comment=comment, action=action, actor=by, at=timezone.now(), note=note
    )
    audit.record(
        f"consultation.{action}", actor=by, request=request, target=comment or consultation,
        target_label=f"consultation {consultation.pk}" + (f" comment {comment.pk}" if comment else ""),
        **detail,
    )  # fmt: skip
    return event


def create_consultation(
    *, agency: Agency, by, title: str, opens_at, closes_at, articles, summary: str = "",
    document_kind: str = "", document_number: str = "", request=None,
) -> Consultation:  # fmt: skip
    """Soạn dự thảo lấy ý kiến: a draft of ``agency`` (not public until ``publish``). ``articles``: a list of
    {"label", "title", "text"} in order, or one text cut at its "Điều N." headings (``split_articles``)."""
    if not rules.may_create_consultation(by, getattr(agency, "pk", None)):
        raise PermissionDenied(_("You may not create consultations for this agency."))
    values, cleaned = _clean_draft(
        title=title, summary=summary, document_kind=document_kind, document_number=document_number,
        opens_at=opens_at, closes_at=closes_at, articles=articles,
    )  # fmt: skip
    with transaction.atomic():
        consultation = Consultation.objects.create(agency=agency, created_by=by, **values)
        ConsultationArticle.objects.bulk_create(
            ConsultationArticle(consultation=consultation, **article) for article in cleaned
        )
        _record(consultation, A.CREATE, by=by, request=request, articles=len(cleaned))
    return consultation


def update_consultation(
    consultation: Consultation, *, by, title: str, opens_at, closes_at, articles, summary: str = "",
    document_kind: str = "", document_number: str = "", request=None,
) -> Consultation:  # fmt: skip
    """Sửa dự thảo: only before publication; the articles are replaced as given."""
    with transaction.atomic():
        row = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if row.published_at is not None:
            raise ActionRefused(_("A published consultation cannot be edited."))
        if not rules.may_edit_consultation(row, by):
            raise PermissionDenied(_("You may not edit this consultation."))
        values, cleaned = _clean_draft(
            title=title, summary=summary, document_kind=document_kind, document_number=document_number,
            opens_at=opens_at, closes_at=closes_at, articles=articles,
        )  # fmt: skip
        for field, value in values.items():
            setattr(row, field, value)
        row.save()
        row.articles.all().delete()
        ConsultationArticle.objects.bulk_create(ConsultationArticle(consultation=row, **a) for a in cleaned)
        _record(row, A.UPDATE, by=by, request=request, articles=len(cleaned))
    return row


def publish_consultation(consultation: Consultation, *, by, request=None) -> Consultation:
    """Công bố: the draft becomes public, and open for comments from its opening date to its closing date."""
    with transaction.atomic():
        row = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if row.published_at is not None:
            raise ActionRefused(_("This consultation is already published."))
        if not rules.may_publish_consultation(row, by):
            raise PermissionDenied(_("You may not publish this consultation."))
        if row.closes_at <= timezone.now():
            raise ValidationError(
                {"closes_at": [_("The closing date has passed; change it before publishing.")]}
            )
        row.published_at = timezone.now()
        row.save(update_fields=["published_at"])
        _record(row, A.PUBLISH, by=by, request=request)
    return row


# --- comments -----------------------------------------------------------------------------------------------


def comment(
    consultation: Consultation, *, by, content: str, article=None, author_name: str = "",
    client_ip: str = "", request=None,
) -> ConsultationComment:  # fmt: skip
    """Góp ý: a signed-in person comments on the whole draft (``article`` None) or on one of its articles
    (pk or instance) while it is open. The comment waits for moderation. ``author_name``: the name shown
    (their own by default; an organisation's if they write for one) — nothing else of them is shown."""
    if not getattr(by, "is_authenticated", False) or not by.is_active:
        raise PermissionDenied(_("Sign in to comment on a draft."))
    if not consultation.is_open:
        raise ActionRefused(_("This consultation is not open for comments."))
    _limit(client_ip, by)
    errors: dict[str, list] = {}
    content = clean_text(
        content, field="content", low=COMMENT_LENGTH[0], high=COMMENT_LENGTH[1], errors=errors
    )
    name = clean_text(author_name, field="author_name", low=0, high=150, errors=errors)
    name = name or (getattr(by, "full_name", "") or by.get_username())[:150]
    target = None
    if article not in (None, ""):
        article_id = getattr(article, "pk", article)
        try:
            target = consultation.articles.get(pk=int(article_id))
        except (ValueError, TypeError, ConsultationArticle.DoesNotExist):
            errors.setdefault("article", []).append(_("Choose an article of this draft, or the whole draft."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        made = ConsultationComment.objects.create(
            consultation=consultation, article=target, author=by, author_name=name, content=content
        )
        _record(consultation, A.COMMENT, by=by, comment=made, request=request)
    return made


def _limit(client_ip: str, account) -> None:
    limit = settings.MOTCUA_CONSULTATION_COMMENT_RATE
    for scope, client in (("consultation-ip", client_ip or "-"), ("consultation-account", str(account.pk))):
        if not ratelimit.hit(scope, client, limit, window=RATE_WINDOW):
            raise TooManyComments(ratelimit.retry_after(window=RATE_WINDOW))


def _locked_comment(comment_: ConsultationComment, action: str, by) -> ConsultationComment:
    row = ConsultationComment.objects.select_for_update().select_related("consultation").get(pk=comment_.pk)
    if not rules.comment_action_possible(row, action):
        raise ActionRefused(
            _("This cannot be done to a comment that is “%(status)s”.")
            % {"status": CommentStatus(row.status).label}
        )
    if not rules.comment_action_allowed(row, action, by):
        raise PermissionDenied(_("You may not do this to this comment."))
    return row


def approve(comment_: ConsultationComment, *, by, request=None) -> ConsultationComment:
    """Duyệt: the comment becomes public under its article."""
    with transaction.atomic():
        row = _locked_comment(comment_, "approve", by)
        row.status, row.reject_reason = CommentStatus.APPROVED, ""
        row.moderated_by, row.moderated_at = by, timezone.now()
        row.save(update_fields=["status", "reject_reason", "moderated_by", "moderated_at"])
        _record(row.consultation, A.APPROVE, by=by, comment=row, request=request)
    return row


def reject(comment_: ConsultationComment, *, by, reason: str, request=None) -> ConsultationComment:
    """Không duyệt: with the reason (required, internal: never shown to the public)."""
    reason = clean_text(reason, field="reason", low=REASON_LENGTH[0], high=REASON_LENGTH[1])
    with transaction.atomic():
        row = _locked_comment(comment_, "reject", by)
        row.status, row.reject_reason = CommentStatus.REJECTED, reason
        row.moderated_by, row.moderated_at = by, timezone.now()
        row.save(update_fields=["status", "reject_reason", "moderated_by", "moderated_at"])
        _record(row.consultation, A.REJECT, by=by, comment=row, note=reason, request=request)
    return row


def respond(comment_: ConsultationComment, *, by, text: str, request=None) -> ConsultationComment:
    """Tiếp thu, giải trình: the agency's answer to an approved comment (written again, it replaces the
    former one until the answers are published)."""
    text = clean_text(text, field="response", low=RESPONSE_LENGTH[0], high=RESPONSE_LENGTH[1])
    with transaction.atomic():
        row = _locked_comment(comment_, "respond", by)
        row.response, row.responded_by, row.responded_at = text, by, timezone.now()
        row.save(update_fields=["response", "responded_by", "responded_at"])
        _record(row.consultation, A.RESPOND, by=by, comment=row, request=request)
    return row


def publish_responses(consultation: Consultation, *, by, request=None) -> Consultation:
    """Công khai tiếp thu, giải trình: after closing, a leader of the drafting agency publishes the answers;
    each approved comment then shows its answer, and nothing is moderated or answered any more."""
    with transaction.atomic():
        row = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not row.is_closed or row.responses_published_at is not None:
            raise ActionRefused(_("The responses are published once, after the consultation has closed."))
        if not rules.may_publish_responses(row, by):
            raise PermissionDenied(_("You may not publish the responses of this consultation."))
        row.responses_published_at = timezone.now()
        row.save(update_fields=["responses_published_at"])
        _record(row, A.PUBLISH_RESPONSES, by=by, request=request)
    return row


COMMENT_ACTIONS = {"approve": approve, "reject": reject, "respond": respond}

__all__ = [
    "COMMENT_ACTIONS",
    "TooManyComments",
    "approve",
    "comment",
    "create_consultation",
    "publish_consultation",
    "publish_responses",
    "reject",
    "respond",
    "split_articles",
    "update_consultation",
]
