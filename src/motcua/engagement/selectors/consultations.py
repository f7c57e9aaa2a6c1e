"""Reads of consultations on drafts (góp ý dự thảo): the public list and page (``public_record``: the only
shape the public reads, in the portal and the API — the author's shown name, never their account, e-mail or
phone, and never a rejection reason), the officers' lists and moderation queue, and the report per article.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .. import consultation_rules as rules
from ..models.consultations import (
    CommentStatus,
    Consultation,
    ConsultationComment,
    ConsultationEvent,
    ConsultationPhase,
)

S = CommentStatus


def published() -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(published_at__isnull=False)
        .select_related("agency")
        .annotate(approved_count=Count("comments", filter=Q(comments__status=S.APPROVED)))
    )


def public_list(now=None) -> dict[str, list[Consultation]]:
    """The published consultations by phase: open (closing soonest first), upcoming, closed (latest first)."""
    now = now or timezone.now()
    rows = published()
    return {
        ConsultationPhase.OPEN: list(rows.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")),
        ConsultationPhase.UPCOMING: list(rows.filter(opens_at__gt=now).order_by("opens_at")),
        ConsultationPhase.CLOSED: list(rows.filter(closes_at__lte=now).order_by("-closes_at")),
    }


def public_one(pk) -> Consultation | None:
    """A published consultation, or None (a draft not yet published does not exist for the public)."""
    try:
        return published().get(pk=int(pk))
    except (ValueError, TypeError, Consultation.DoesNotExist):
        return None


def public_comment(comment: ConsultationComment, responses_published: bool) -> dict:
    record = {
        "id": comment.pk,
        "article": comment.article_id,
        "author_name": comment.author_name,
        "content": comment.content,
        "submitted_at": comment.submitted_at,
        "response": None,
        "responded_at": None,
    }
    if responses_published and comment.response:
        record.update(response=comment.response, responded_at=comment.responded_at)
    return record


def public_record(consultation: Consultation) -> dict:
    """What anyone reads of a published consultation: the draft article by article, the approved comments
    under each (and on the whole draft), with the agency's answers once they are published."""
    responses = consultation.responses_published_at is not None
    comments = consultation.comments.filter(status=S.APPROVED).order_by("submitted_at", "id")
    by_article: dict[int | None, list[dict]] = {}
    for row in comments:
        by_article.setdefault(row.article_id, []).append(public_comment(row, responses))
    return {
        "id": consultation.pk,
        "title": consultation.title,
        "summary": consultation.summary,
        "agency": {
            "code": consultation.agency.code,
            "slug": consultation.agency.slug,
            "name": consultation.agency.name,
        },
        "document_kind": consultation.document_kind,
        "document_number": consultation.document_number,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "phase": consultation.phase(),
        "responses_published_at": consultation.responses_published_at,
        "articles": [
            {
                "id": article.pk,
                "order": article.order,
                "label": article.label,
                "title": article.title,
                "text": article.text,
                "comments": by_article.get(article.pk, []),
            }
            for article in consultation.articles.all()
        ],
        "comments": by_article.get(None, []),  # on the whole draft
    }


# --- officers -----------------------------------------------------------------------------------------------


def agency_consultations(user) -> QuerySet[Consultation]:
    """The consultations ``user`` opens in the back office, with their comments counted."""
    return (
        rules.visible_consultations(user)
        .select_related("agency")
        .annotate(
            comment_count=Count("comments"),
            pending_count=Count("comments", filter=Q(comments__status=S.PENDING)),
        )
        .order_by("-opens_at", "-id")
    )


def officer_one(pk, user) -> Consultation | None:
    try:
        return rules.visible_consultations(user).select_related("agency").get(pk=int(pk))
    except (ValueError, TypeError, Consultation.DoesNotExist):
        return None


def comments_of(consultation: Consultation, status: str | None = None) -> QuerySet[ConsultationComment]:
    """Every comment of the consultation (officers), oldest first; ``status`` narrows them."""
    rows = consultation.comments.select_related("article", "moderated_by", "responded_by")
    if status in S.values:
        rows = rows.filter(status=status)
    return rows.order_by("submitted_at", "id")


def moderation_queue(user) -> QuerySet[ConsultationComment]:
    """The pending comments of the consultations ``user`` may moderate, oldest first."""
    visible = rules.visible_consultations(user)
    rows = ConsultationComment.objects.filter(consultation__in=visible, status=S.PENDING)
    rows = rows.select_related("consultation", "consultation__agency", "article").order_by("submitted_at")
    return [row for row in rows if rules.consultation_allowed(row.consultation, "moderate", user)]


def officer_comment(consultation: Consultation, comment_id) -> ConsultationComment | None:
    try:
        return consultation.comments.select_related("consultation", "article").get(pk=int(comment_id))
    except (ValueError, TypeError, ConsultationComment.DoesNotExist):
        return None


def events(consultation: Consultation) -> QuerySet[ConsultationEvent]:
    return consultation.events.select_related("actor", "comment").order_by("at", "id")


# --- the report (báo cáo tổng hợp ý kiến) -------------------------------------------------------------------


@dataclass
class ReportSection:
    """The whole draft (``article`` None) or one article: its counts and its approved comments."""

    label: str
    title: str
    received: int = 0
    approved: int = 0
    rejected: int = 0
    pending: int = 0
    responded: int = 0
    comments: list = field(default_factory=list)  # approved ConsultationComment rows, with their answers


@dataclass
class ConsultationReport:
    consultation: Consultation
    sections: list[ReportSection]
    made_at: object

    @property
    def totals(self) -> ReportSection:
        total = ReportSection(label="", title="")
        for section in self.sections:
            for name in ("received", "approved", "rejected", "pending", "responded"):
                setattr(total, name, getattr(total, name) + getattr(section, name))
        return total


def report(consultation: Consultation, whole_label: str = "") -> ConsultationReport:
    """Per section (the whole draft first, then each article in order): comments received, approved,
    rejected, pending, answered; and the approved comments with the agency's answers."""
    sections: dict[int | None, ReportSection] = {None: ReportSection(label=whole_label, title="")}
    for article in consultation.articles.all():
        sections[article.pk] = ReportSection(label=article.label, title=article.title)
    for row in consultation.comments.order_by("submitted_at", "id"):
        section = sections[row.article_id]
        section.received += 1
        setattr(section, row.status, getattr(section, row.status) + 1)
        if row.status == S.APPROVED:
            section.comments.append(row)
            section.responded += bool(row.response)
    return ConsultationReport(
        consultation=consultation, sections=list(sections.values()), made_at=timezone.now()
    )


__all__ = [
    "ConsultationReport",
    "ReportSection",
    "agency_consultations",
    "comments_of",
    "events",
    "moderation_queue",
    "officer_comment",
    "officer_one",
    "public_list",
    "public_one",
    "public_record",
    "published",
    "report",
]
