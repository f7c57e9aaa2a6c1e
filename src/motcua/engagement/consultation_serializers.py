"""API shapes of consultations on drafts (góp ý dự thảo).

Requests are read by small serializers that check the types only; lengths and meaning are checked by
``services.consultations``, which names every wrong field at once. Answers: the public record
(``selectors.consultations.public_record``: the author's shown name only, never their account, contact or a
rejection reason) and, for officers, the comments with their moderation.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from motcua.dossiers.serializers import AgencyRefSerializer

from .consultation_rules import COMMENT_ACTIONS
from .models import CommentStatus, ConsultationPhase


def _text(help_text: str, **kwargs) -> serializers.CharField:
    """Optional text, blank allowed, kept as written: the service trims it and says what is wrong."""
    return serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, help_text=help_text, **kwargs
    )


class ConsultationFields(serializers.Serializer):
    """What the public and the officers both read of a consultation."""

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    summary = serializers.CharField()
    agency = AgencyRefSerializer()
    document_kind = serializers.CharField()
    document_number = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    phase = serializers.ChoiceField(choices=ConsultationPhase.choices)
    responses_published_at = serializers.DateTimeField(allow_null=True)


class ConsultationSummarySerializer(ConsultationFields):
    approved_comments = serializers.IntegerField(source="approved_count")


class PublicCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.IntegerField(allow_null=True, help_text="The article's id; null: the whole draft.")
    author_name = serializers.CharField(help_text="The name the author chose to show (a person or body).")
    content = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    response = serializers.CharField(allow_null=True, help_text="The agency's answer, once published.")
    responded_at = serializers.DateTimeField(allow_null=True)


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    label = serializers.CharField(help_text="Its number, e.g. “Điều 1”.")
    title = serializers.CharField()
    text = serializers.CharField()
    comments = PublicCommentSerializer(many=True, help_text="The approved comments on this article.")


class ConsultationRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    agency = AgencyRefSerializer()
    document_kind = serializers.CharField()
    document_number = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    phase = serializers.ChoiceField(choices=ConsultationPhase.choices)
    responses_published_at = serializers.DateTimeField(allow_null=True)
    articles = ArticleSerializer(many=True)
    comments = PublicCommentSerializer(many=True, help_text="The approved comments on the whole draft.")


class ListQuerySerializer(serializers.Serializer):
    phase = serializers.ChoiceField(
        choices=[ConsultationPhase.OPEN, ConsultationPhase.UPCOMING, ConsultationPhase.CLOSED],
        required=False,
        help_text="Only the consultations in this phase; default all published ones.",
    )


class CommentRequestSerializer(serializers.Serializer):
    content = _text("The comment, 10 to 4000 characters.")
    article = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="An article's id; none: the whole draft."
    )
    author_name = _text("The name shown with the comment; default: the account's full name.")


class CommentCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CommentStatus.choices)


class OfficerCommentSerializer(serializers.Serializer):
    """A comment as the drafting agency's officers see it (the author's account stays out: not needed)."""

    id = serializers.IntegerField(source="pk")
    article = serializers.IntegerField(source="article_id", allow_null=True)
    article_label = serializers.SerializerMethodField()
    author_name = serializers.CharField()
    content = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=CommentStatus.choices)
    reject_reason = serializers.CharField(help_text="Internal: never shown to the public.")
    moderated_at = serializers.DateTimeField(allow_null=True)
    response = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)
    actions = serializers.SerializerMethodField()

    def get_article_label(self, comment) -> str:
        return comment.article.label if comment.article_id else ""

    def get_actions(self, comment) -> list[str]:
        from .consultation_rules import comment_actions_for

        return comment_actions_for(comment, self.context["request"].user, self.context.get("roles"))


class CommentsQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CommentStatus.choices, required=False)


class CommentActionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=COMMENT_ACTIONS, error_messages={"invalid_choice": _("Choose approve, reject or respond.")}
    )
    reason = _text("reject: why (5 to 1000 characters; kept internal).")
    response = _text("respond: the agency's answer (10 to 4000 characters).")


# --- officers: the drafts themselves ----------------------------------------------------------------------


class ArticleInSerializer(serializers.Serializer):
    label = _text("Its number, e.g. “Điều 1” (required).")
    title = _text("Its title (optional).")
    text = _text("Its text (required).")


class DraftRequestSerializer(serializers.Serializer):
    """A draft as the back office's form takes it; the service checks every value and names each wrong one."""

    agency = _text("Create only: the drafting agency's slug or identifier code (one the caller moderates).")
    title = _text("5 to 255 characters.")
    summary = _text("Optional, at most 4000 characters.")
    document_kind = _text("Optional, e.g. “Quyết định của UBND tỉnh”.")
    document_number = _text("Optional.")
    opens_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    closes_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    articles = ArticleInSerializer(many=True, required=False, default=list, help_text="In order.")


class OfficeArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    order = serializers.IntegerField()
    label = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()


class OfficeConsultationSerializer(ConsultationFields):
    """A consultation as its officers see it, drafts included, with what the caller may do to it now."""

    published_at = serializers.DateTimeField(allow_null=True)
    articles = OfficeArticleSerializer(many=True, source="articles.all")
    may = serializers.SerializerMethodField(
        help_text="edit, publish, publish_responses: whether the caller may."
    )

    def get_may(self, consultation) -> dict[str, bool]:
        from . import consultation_rules as rules

        user, roles = self.context["request"].user, self.context.get("roles")
        return {
            "edit": rules.may_edit_consultation(consultation, user, roles),
            "publish": rules.may_publish_consultation(consultation, user, roles),
            "publish_responses": rules.may_publish_responses(consultation, user, roles),
        }
