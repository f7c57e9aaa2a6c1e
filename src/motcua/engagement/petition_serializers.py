"""API shapes of petitions and feedback (phản ánh, kiến nghị).

Requests are read by small serializers that check the types only (text is text, a file is a file); what the
values mean (a kind, a category, lengths, a known procedure or agency, an e-mail address) is checked by
``services.petitions``, which names every wrong field at once. Answers: the public record of a code
(``selectors.petitions.public_record``), the sender's own part, the officer's full record, and the lists.
"""

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Procedure
from motcua.dossiers.serializers import AgencyRefSerializer

from . import deadlines
from .models import PetitionCategory, PetitionKind, PetitionStatus
from .rules import OFFICER_PETITION_ACTIONS
from .selectors.petitions import QUEUES
from .services import petitions as petition_services


def _text(help_text: str, **kwargs) -> serializers.CharField:
    """Optional text, blank allowed, kept as written: the service trims it and says what is missing."""
    return serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=False, help_text=help_text, **kwargs
    )


class CheckedLater(serializers.ChoiceField):
    """A choice the schema lists as an enum, taken as any text here and checked later (by the service, or a
    ``validate_<field>`` method), so that the answer names it together with the other wrong fields."""

    default_error_messages = {"invalid": _("Not a valid string.")}  # DRF's own message

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        return str(data)


class FilesField(serializers.ListField):
    """Files, each a file: a wrong one is named by its place in a flat list of messages (the API's errors
    are lists of text per field)."""

    child = serializers.FileField(
        error_messages={
            "invalid": _("This is not a file: send files as multipart/form-data."),
            "no_name": _("This file has no name."),
            "empty": _("This file is empty."),
        }
    )

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(
                [
                    gettext("File %(number)s: %(message)s") % {"number": index + 1, "message": message}
                    for index, messages in exc.detail.items()
                    for message in messages
                ]
            ) from None


# The officer's actions (``rules.PETITION_RULES``), with their labels: one enum in the schema.
ACTION_CHOICES = [(action.value, action.label) for action in OFFICER_PETITION_ACTIONS]


# --- requests -------------------------------------------------------------------------------------------


class PetitionSendJSONSerializer(serializers.Serializer):
    """Feedback (phản ánh) or a petition (kiến nghị). Sent as JSON, it carries no files."""

    kind = CheckedLater(
        choices=PetitionKind.choices,
        help_text="`feedback` (anyone, also without an account) or `petition` (a signed-in citizen or "
        "business).",
    )
    category = CheckedLater(
        choices=PetitionCategory.choices,
        help_text="What it is about: `procedure` (give `procedure`), `dossier` (give `dossier_code`), "
        "`agency` (give `about_agency`), `regulation` (give `regulation`) or `other`.",
    )
    subject = _text("5 to 200 characters.")
    content = _text("20 to 5,000 characters.")
    procedure = _text("category `procedure`: the procedure's code, e.g. 1.001193.")
    dossier_code = _text("category `dossier`: the dossier's code, as written on its receipt.")
    about_agency = _text("category `agency`: the agency's slug or identifier code.")
    regulation = _text("category `regulation`: the regulation's number or title.")
    consent_to_publish = serializers.BooleanField(
        required=False,
        default=False,
        error_messages={"invalid": _("Write true or false.")},
        help_text="The sender agrees to the answer being published (without their personal data).",
    )
    sender_name = _text("Anonymous senders only (a signed-in sender's name is their account's): optional.")
    sender_email = _text(
        "Anonymous senders only: where the answer goes (optional; without an e-mail address or phone "
        "number no answer can reach the sender)."
    )
    sender_phone = _text("Anonymous senders only: a Vietnamese phone number (optional).")


class PetitionSendSerializer(PetitionSendJSONSerializer):
    """The same as multipart/form-data, with files."""

    attachments = FilesField(
        required=False,
        default=list,
        help_text=f"Up to {petition_services.MAX_ATTACHMENTS} files: PDF, JPEG or PNG, checked by their "
        f"content; at most {settings.MOTCUA_MAX_DOSSIER_MB} MB together.",
    )


class PetitionActionRequestSerializer(serializers.Serializer):
    action = CheckedLater(
        choices=ACTION_CHOICES,
        error_messages=dict.fromkeys(("required", "blank", "null"), _("Say which action to take.")),
    )
    agency = _text("route: the agency to route it to (slug or identifier code), yours or one under it.")
    note = _text(
        "Why (recorded on the step; at most 2,000 characters): required to decline, to return to the "
        "reception, to send a draft back and to unpublish; optional otherwise."
    )
    into = _text("merge: the code of the petition this one duplicates.")
    handler = _text("assign: the username of a handler (or leader) of the agency in charge.")
    answer = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="propose_answer: the draft (20 to 10,000 characters); approve_answer and publish: the text "
        "as changed (default: as drafted).",
    )
    subject = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="publish: the subject the public reads (default: the sender's).",
    )
    question = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="publish: the question the public reads (default: the sender's content). No personal data.",
    )

    def validate_action(self, value):
        if value not in OFFICER_PETITION_ACTIONS:
            raise serializers.ValidationError(
                gettext("Choose one of the actions: %(actions)s.")
                % {"actions": ", ".join(OFFICER_PETITION_ACTIONS)}
            )
        return value


class RatingRequestSerializer(serializers.Serializer):
    satisfied = serializers.BooleanField(
        error_messages=dict.fromkeys(("required", "invalid", "null"), _("Say yes or no.")),  # the service's
        help_text="Whether the answer satisfies the sender.",
    )
    comment = _text("Optional, at most 2,000 characters.")


class PublishedQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="")
    agency = serializers.CharField(required=False, allow_blank=True, default="")
    procedure = serializers.CharField(required=False, allow_blank=True, default="")
    category = CheckedLater(choices=PetitionCategory.choices, required=False, allow_blank=True, default="")

    def validate_q(self, value):
        limit = settings.MOTCUA_SEARCH_MAX_LENGTH
        if len(value) > limit:
            raise serializers.ValidationError(
                gettext("The search text is too long: at most %(max)s characters, please shorten it.")
                % {"max": limit}
            )
        return value

    def validate_category(self, value):
        if value and value not in PetitionCategory.values:
            raise serializers.ValidationError(gettext("Unknown category '%(value)s'.") % {"value": value})
        return value

    def validate_agency(self, value):
        value = value.strip()
        if not value:
            return None
        agency = catalog_selectors.find_agency(value)
        if agency is None:
            raise serializers.ValidationError(gettext("Unknown agency '%(value)s'.") % {"value": value})
        return agency

    def validate_procedure(self, value):
        value = value.strip()
        if not value:
            return None
        procedure = Procedure.objects.active().filter(code=value).first()
        if procedure is None:
            raise serializers.ValidationError(
                gettext("No published procedure has the code %(code)s.") % {"code": value}
            )
        return procedure


class QueueQuerySerializer(serializers.Serializer):
    queue = serializers.CharField(required=False, allow_blank=True, default="open")

    def validate_queue(self, value):
        value = value or "open"
        if value not in QUEUES:
            raise serializers.ValidationError(
                gettext("Choose one of the queues: %(queues)s.") % {"queues": ", ".join(QUEUES)}
            )
        return value


# --- answers --------------------------------------------------------------------------------------------


class SentSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The petition's code: keep it to track it.")
    status = serializers.ChoiceField(choices=PetitionStatus.choices)
    due_at = serializers.DateTimeField(help_text="When the answer is due (working days from now).")


class PublicStepSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField()
    at = serializers.DateTimeField()
    agency = serializers.CharField(help_text="The agency in charge after the step.")


class ProcedureRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class PetitionAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.CharField(help_text="Download (the sender and the officers who may open it).")


class OwnPartSerializer(serializers.Serializer):
    """What only the sender reads of their own petition."""

    subject = serializers.CharField()
    content = serializers.CharField()
    answer = serializers.CharField(help_text="The answer once a leader approved it; empty before.")
    decline_reason = serializers.CharField(help_text="Why it was not accepted for handling, if so.")
    satisfied = serializers.BooleanField(allow_null=True)
    satisfaction_comment = serializers.CharField()
    rated_at = serializers.DateTimeField(allow_null=True)
    may_rate = serializers.BooleanField(help_text="Whether the sender may say now if the answer satisfies.")
    attachments = PetitionAttachmentSerializer(many=True)


class SenderSerializer(serializers.Serializer):
    account = serializers.CharField(allow_null=True, help_text="The sender's username; null if anonymous.")
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class OfficerStepSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField()
    at = serializers.DateTimeField()
    from_status = serializers.CharField(help_text="Empty for the first step.")
    to_status = serializers.CharField()
    agency = AgencyRefSerializer(help_text="The agency in charge after the step.")
    actor = PersonSerializer(allow_null=True, help_text="Null for an anonymous sender.")
    note = serializers.CharField()


class OfficerPartSerializer(serializers.Serializer):
    """The full record, for an officer who may open the petition."""

    subject = serializers.CharField()
    content = serializers.CharField()
    procedure = ProcedureRefSerializer(allow_null=True)
    dossier_code = serializers.CharField()
    about_agency = AgencyRefSerializer(allow_null=True)
    regulation = serializers.CharField()
    agency = AgencyRefSerializer(help_text="The agency in charge.")
    sender = SenderSerializer()
    consent_to_publish = serializers.BooleanField()
    handler = PersonSerializer(allow_null=True)
    answer = serializers.CharField(help_text="The answer, or the draft awaiting approval.")
    answered_by = PersonSerializer(allow_null=True, help_text="The leader who approved it.")
    decline_reason = serializers.CharField()
    satisfied = serializers.BooleanField(allow_null=True)
    satisfaction_comment = serializers.CharField()
    rated_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField(help_text="Still open past its due time.")
    steps = OfficerStepSerializer(many=True)
    attachments = PetitionAttachmentSerializer(many=True)
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=ACTION_CHOICES),
        help_text="The actions the caller may take now (POST …/actions/).",
    )


class PublicRecordSerializer(serializers.Serializer):
    """What anyone with the code may read: no subject, content, name, contact, note or reason."""

    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=PetitionKind.choices)
    kind_label = serializers.CharField()
    category = serializers.ChoiceField(choices=PetitionCategory.choices)
    category_label = serializers.CharField()
    status = serializers.ChoiceField(choices=PetitionStatus.choices)
    status_label = serializers.CharField()
    agency = serializers.CharField(help_text="The agency in charge.")
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True, help_text="Once ended: whether in time.")
    merged_into = serializers.CharField(allow_null=True, help_text="The code it was merged into.")
    steps = PublicStepSerializer(many=True)
    published = serializers.BooleanField()
    published_subject = serializers.CharField()
    published_question = serializers.CharField()
    published_answer = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class PetitionRecordSerializer(PublicRecordSerializer):
    own = OwnPartSerializer(required=False, help_text="Only for the signed-in sender.")
    officer = OfficerPartSerializer(required=False, help_text="Only for an officer who may open it.")


class PublishedAnswerSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=PetitionKind.choices)
    category = serializers.ChoiceField(choices=PetitionCategory.choices)
    category_label = serializers.CharField(source="get_category_display")
    agency = AgencyRefSerializer()
    procedure = ProcedureRefSerializer(allow_null=True)
    subject = serializers.CharField(source="published_subject")
    question = serializers.CharField(source="published_question")
    answer = serializers.CharField(source="published_answer")
    published_at = serializers.DateTimeField()


class OwnPetitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=PetitionKind.choices)
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=PetitionStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    agency = serializers.CharField(source="agency.name", help_text="The agency in charge.")
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)


class QueuedPetitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=PetitionKind.choices)
    category = serializers.ChoiceField(choices=PetitionCategory.choices)
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=PetitionStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    agency = AgencyRefSerializer()
    handler = serializers.SerializerMethodField()
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    overdue = serializers.SerializerMethodField(help_text="Still open past its due time.")

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_handler(self, petition):
        return person(petition.handler)

    def get_overdue(self, petition) -> bool:
        return deadlines.is_overdue(petition, self.context["now"])


def person(user) -> dict | None:
    return {"username": user.get_username(), "name": str(user)} if user is not None else None
