"""API shapes of online dialogue sessions (đối thoại trực tuyến).

Requests are read by small serializers that check the types only; what the values mean (lengths, a leader
of the session, an agency, a date not past) is checked by ``services.dialogues``, which names every wrong
field. Answers: a session as the public reads it (``selectors.dialogues.public_question`` and
``public_commitment`` for its transcript), and the officers' view of a question.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from motcua.dossiers.serializers import AgencyRefSerializer

from .models import QuestionStatus, SessionStatus
from .petition_serializers import CheckedLater, PersonSerializer, _text
from .rules import DIALOGUE_RULES, QUESTION_ACTIONS, SESSION_ACTIONS

QUESTION_ACTION_CHOICES = [(a.value, a.label) for a in QUESTION_ACTIONS]
SESSION_ACTION_CHOICES = [(a.value, a.label) for a in SESSION_ACTIONS if a != "update"]


def _flat(messages, prefix="") -> list[str]:
    """Every message of a nested error (a dict by field or index, or a list), each one text."""
    if isinstance(messages, dict):
        return [m for key, inner in messages.items() for m in _flat(inner, f"{prefix}{key}: ")]
    if isinstance(messages, list):
        return [m for inner in messages for m in _flat(inner, prefix)]
    return [f"{prefix}{messages}"]


class FlatListField(serializers.ListField):
    """A list whose wrong items are named by their place in one flat list of messages (the API's errors
    are lists of text per field)."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(
                [
                    gettext("Item %(number)s: %(message)s") % {"number": int(index) + 1, "message": message}
                    for index, messages in exc.detail.items()
                    for message in _flat(messages)
                ]
            ) from None


# --- requests -------------------------------------------------------------------------------------------


class ListQuerySerializer(serializers.Serializer):
    status = CheckedLater(
        choices=[(s.value, s.label) for s in SessionStatus if s != SessionStatus.DRAFT],
        required=False,
        allow_blank=True,
        default="",
    )

    def validate_status(self, value):
        if value and value not in (SessionStatus.UPCOMING, SessionStatus.LIVE, SessionStatus.FINISHED):
            raise serializers.ValidationError(gettext("Choose upcoming, live or finished."))
        return value


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=True, allow_blank=False, max_length=200)


class AskSerializer(serializers.Serializer):
    content = _text("The question: 10 to 2,000 characters.")
    name = _text("The asker's name as the public reads it (signed in: the account's name by default).")
    phone = _text("A Vietnamese phone number: required without an account; never shown to the public.")


class LeaderSpecSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="The leader's username (holding the leader role).")
    title = serializers.CharField(help_text="Their position, e.g. Phó Chủ tịch UBND tỉnh.")
    secretary = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The username of their secretary, if any."
    )


class SessionWriteSerializer(serializers.Serializer):
    title = _text("The topic: 5 to 200 characters.")
    summary = _text("The announcement: 20 to 10,000 characters.")
    organiser = _text("The organising agency (slug or identifier code): one you moderate, or one under it.")
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    agencies = FlatListField(
        child=serializers.CharField(), required=False, default=list,
        help_text="The agencies taking part (slugs or identifier codes).",
    )  # fmt: skip
    leaders = FlatListField(child=LeaderSpecSerializer(), required=False, default=list)


class SessionActionSerializer(serializers.Serializer):
    action = CheckedLater(
        choices=SESSION_ACTION_CHOICES,
        error_messages=dict.fromkeys(("required", "blank", "null"), _("Say which action to take.")),
    )

    def validate_action(self, value):
        if value not in dict(SESSION_ACTION_CHOICES):
            raise serializers.ValidationError(
                gettext("Choose one of the actions: %(actions)s.")
                % {"actions": ", ".join(dict(SESSION_ACTION_CHOICES))}
            )
        return value


class QuestionActionSerializer(serializers.Serializer):
    action = CheckedLater(
        choices=QUESTION_ACTION_CHOICES,
        error_messages=dict.fromkeys(("required", "blank", "null"), _("Say which action to take.")),
    )
    reason = _text("reject: why (5 to 2,000 characters), kept for the officers only.")
    into = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=2**62,
        help_text="merge: the id of the question of this session it repeats.",
    )  # fmt: skip
    note = _text("merge: a note (optional).")
    theme = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, default=None, allow_null=True,
        help_text="approve, set_theme: the theme it is grouped under (at most 100 characters).",
    )  # fmt: skip
    leader = _text("approve (optional), assign: the username of a leader of the session.")
    answer = _text("answer, edit_answer: the answer (2 to 10,000 characters).")
    text = _text("commit: what was promised (10 to 2,000 characters).")
    due_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="commit: by when."
    )
    agency = _text("commit: the agency in charge of it (slug or identifier code).")

    def validate_action(self, value):
        if value not in DIALOGUE_RULES or value not in QUESTION_ACTIONS:
            raise serializers.ValidationError(
                gettext("Choose one of the actions: %(actions)s.") % {"actions": ", ".join(QUESTION_ACTIONS)}
            )
        return value


class DoneSerializer(serializers.Serializer):
    note = _text("What was done (optional, at most 2,000 characters).")


class OfficerQueueQuerySerializer(serializers.Serializer):
    status = CheckedLater(choices=QuestionStatus.choices, required=False, allow_blank=True, default="")

    def validate_status(self, value):
        if value and value not in QuestionStatus.values:
            raise serializers.ValidationError(
                gettext("Choose one of the statuses: %(statuses)s.")
                % {"statuses": ", ".join(QuestionStatus.values)}
            )
        return value


# --- answers --------------------------------------------------------------------------------------------


class AskedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=QuestionStatus.choices)


class LeaderSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()


class SessionSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=SessionStatus.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    organiser = AgencyRefSerializer()
    accepting_questions = serializers.BooleanField()
    revision = serializers.IntegerField(help_text="Grows with every change the public sees.")
    url = serializers.CharField(help_text="The session's page on the portal.")


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    asker_name = serializers.CharField()
    content = serializers.CharField()


class CommitmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.IntegerField(allow_null=True)
    leader = serializers.CharField()
    text = serializers.CharField()
    agency = serializers.CharField(help_text="The agency in charge of it.")
    due_date = serializers.DateField()
    done = serializers.BooleanField()
    done_at = serializers.DateTimeField(allow_null=True)
    done_note = serializers.CharField()
    sequence = serializers.IntegerField(help_text="The session's revision at its last change.")


class AnsweredQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    asker_name = serializers.CharField(help_text="The name the asker gave; nothing else of them.")
    content = serializers.CharField()
    theme = serializers.CharField()
    answer = serializers.CharField()
    answered_by = serializers.CharField(help_text="The leader the answer is in the name of.")
    answered_by_title = serializers.CharField()
    answered_at = serializers.DateTimeField()
    sequence = serializers.IntegerField(help_text="The session's revision at its last change.")
    duplicates = DuplicateSerializer(many=True, help_text="The questions merged into this one.")
    commitments = CommitmentSerializer(many=True)


class SessionDetailSerializer(SessionSummarySerializer):
    summary = serializers.CharField()
    questions_open = serializers.BooleanField()
    leaders = LeaderSerializer(many=True)
    agencies = AgencyRefSerializer(many=True)
    questions = AnsweredQuestionSerializer(
        many=True, help_text="The answered questions, in the order answered."
    )
    commitments = CommitmentSerializer(many=True, help_text="Open ones first, then those done.")
    actions = serializers.ListField(
        child=serializers.CharField(), help_text="The session's actions the caller may take now (officers)."
    )


class SearchHitSerializer(AnsweredQuestionSerializer):
    session = serializers.IntegerField()
    session_title = serializers.CharField()


class OfficerQuestionSerializer(serializers.Serializer):
    """A question as the session's officers read it: the asker's phone and account, the internal reason."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=QuestionStatus.choices)
    asker_name = serializers.CharField()
    asker_phone = serializers.CharField()
    asker = serializers.CharField(allow_null=True, help_text="The asker's username, if signed in.")
    content = serializers.CharField()
    theme = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    reject_reason = serializers.CharField()
    merged_into = serializers.IntegerField(allow_null=True)
    assigned_to = PersonSerializer(allow_null=True)
    answer = serializers.CharField()
    answered_by = PersonSerializer(allow_null=True)
    written_by = PersonSerializer(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=QUESTION_ACTION_CHOICES),
        help_text="The actions the caller may take now (POST …/actions/).",
    )
