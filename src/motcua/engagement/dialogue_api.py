"""Dialogue sessions API (đối thoại trực tuyến), with the permissions of the pages: anyone reads the announced
sessions, their transcripts and commitments, searches the finished transcripts and sends questions (signed
in, or with a name and phone; ``MOTCUA_DIALOGUE_QUESTION_RATE`` an hour per address and account); the
organisers' moderators prepare and announce sessions and moderate questions; the leaders (or their
secretaries) answer the questions given to them; commitments are recorded and marked done.

Thin: writes through ``services.dialogues``, reads through ``selectors.dialogues``, who may through
``rules``. Errors as the petitions' API maps them: a field 400, the wrong moment 409, the wrong person 403,
too many questions 429 with Retry-After; a session the caller may not read is a 404.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.catalog import selectors as catalog_selectors
from motcua.core.net import client_ip
from motcua.core.rest.errors import BAD_REQUEST, NOT_FOUND, too_many_requests
from motcua.dossiers.api import call_service

from . import rules
from .dialogue_records import detail, officer_question, summary
from .dialogue_serializers import (
    AskedSerializer,
    AskSerializer,
    DoneSerializer,
    ListQuerySerializer,
    OfficerQuestionSerializer,
    OfficerQueueQuerySerializer,
    QuestionActionSerializer,
    SearchHitSerializer,
    SearchQuerySerializer,
    SessionActionSerializer,
    SessionDetailSerializer,
    SessionSummarySerializer,
    SessionWriteSerializer,
)
from .models import DialogueAction, DialogueCommitment, DialogueQuestion, DialogueSession, QuestionStatus
from .selectors import dialogues as selectors
from .services import dialogues as services
from .services.dialogues.common import check

TAGS = ["dialogues"]
MAX_ID = 2**62
SESSION = [OpenApiParameter("id", int, OpenApiParameter.PATH, description="The session's number.")]
QUESTION = [*SESSION, OpenApiParameter("qid", int, OpenApiParameter.PATH, description="The question's id.")]
COMMITMENT = [
    *SESSION,
    OpenApiParameter("cid", int, OpenApiParameter.PATH, description="The commitment's id."),
]
CONFLICT = OpenApiResponse(
    description="Not now: the session's time or the question's status does not allow it."
)
FORBIDDEN = OpenApiResponse(description="You may not do this in this session.")
A = DialogueAction


# --- look-ups -------------------------------------------------------------------------------------------


def _public(pk: int, user=None) -> DialogueSession:
    """An announced session, or (for an officer who works on it) a draft; else 404."""
    found = selectors.public_session(pk) if pk <= MAX_ID else None
    if found is None and pk <= MAX_ID and user is not None and user.is_authenticated:
        found = DialogueSession.objects.filter(pk=pk).first()
        found = found if found is not None and rules.may_open_session(found, user) else None
    if found is None:
        raise NotFound(_("No dialogue session has the number %(id)s.") % {"id": pk})
    return found


def _openable(request, pk: int) -> DialogueSession:
    found = DialogueSession.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    if found is None or not rules.may_open_session(found, request.user):
        raise NotFound(_("No dialogue session you work on has the number %(id)s.") % {"id": pk})
    return found


def _user(username: str, field: str):
    username = (username or "").strip()
    if not username:
        return None
    found = get_user_model().objects.filter(username=username, is_active=True).first()
    if found is None:
        raise ValidationError(
            {field: [_("No active account has the username %(name)s.") % {"name": username}]}
        )
    return found


def _agency_of(value: str, field: str):
    value = (value or "").strip()
    if not value:
        return None
    found = catalog_selectors.find_agency(value)
    if found is None:
        raise ValidationError({field: [_("Unknown agency '%(value)s'.") % {"value": value}]})
    return found


# --- public ---------------------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class DialogueListView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "create"  # a new session (its POST only)

    @extend_schema(
        summary="Dialogue sessions: upcoming, live, finished",
        description="The announced sessions; `status` narrows to one of them (upcoming: the soonest first; "
        "finished: the last first).",
        parameters=[OpenApiParameter("status", str, enum=["upcoming", "live", "finished"])],
        responses={200: SessionSummarySerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request):
        query = ListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = timezone.now()
        found = selectors.public_sessions(query.validated_data["status"], now=now)[:200]
        return Response([summary(s, now) for s in found])

    @extend_schema(
        summary="Officers: prepare a session (a draft until announced)",
        description="A moderator of the organising agency or of an agency above it. Every wrong field is "
        "named (400).",
        request=SessionWriteSerializer,
        responses={201: SessionDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request):
        if not request.user.is_authenticated:
            raise PermissionDenied(_("Sign in to prepare a dialogue session."))
        fields = _session_fields(request)
        organiser = _agency_of(fields.pop("organiser"), "organiser")
        session = call_service(services.create_session, organiser=organiser, by=request.user, **fields)
        return Response(detail(session, request.user), status=status.HTTP_201_CREATED)


def _session_fields(request) -> dict:
    body = SessionWriteSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    fields = dict(body.validated_data)
    fields["agencies"] = [_agency_of(v, "agencies") for v in fields["agencies"]]
    fields["leaders"] = [
        {
            "leader": _user(s["username"], "leaders"),
            "title": s["title"],
            "secretary": _user(s["secretary"], "leaders"),
        }
        for s in fields["leaders"]
    ]
    return fields


@extend_schema(
    tags=TAGS,
    summary="Search the finished sessions' transcripts",
    description="Every word of `q` must appear in the question, its answer or its theme (accents and case "
    "ignored); the newest answers first.",
    parameters=[OpenApiParameter("q", str, required=True)],
    responses={200: SearchHitSerializer(many=True), 400: BAD_REQUEST},
)
class DialogueSearchView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        hits = selectors.search(query.validated_data["q"])[:100]
        return Response(
            [
                {**selectors.public_question(q), "session": q.session_id, "session_title": q.session.title}
                for q in hits
            ]
        )


@extend_schema(tags=TAGS)
class DialogueDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A session with its answered questions and commitments",
        description="Public fields only: the askers' names, never their phones or accounts, nor the "
        "moderators' reasons. `revision` grows with every change the public sees; each question and "
        "commitment carries the revision of its last change (`sequence`).",
        parameters=SESSION,
        responses={200: SessionDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request, id):
        return Response(detail(_public(id, request.user), request.user))

    @extend_schema(
        summary="Officers: edit a session",
        description="Every field again (the organiser stays); the session's moderators only.",
        parameters=SESSION,
        request=SessionWriteSerializer,
        responses={
            200: SessionDetailSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def put(self, request, id):
        if not request.user.is_authenticated:
            raise PermissionDenied(_("Sign in to edit a dialogue session."))
        session = _openable(request, id)
        fields = _session_fields(request)
        fields.pop("organiser")
        session = call_service(services.update_session, session, by=request.user, **fields)
        return Response(detail(session, request.user))


@extend_schema(
    tags=TAGS,
    summary="Officers: announce a session, close or reopen its questions",
    parameters=SESSION,
    request=SessionActionSerializer,
    responses={200: SessionDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
)
class DialogueActionView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, id):
        session = _openable(request, id)
        body = SessionActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call = {
            A.ANNOUNCE: services.announce,
            A.OPEN_QUESTIONS: services.open_questions,
            A.CLOSE_QUESTIONS: services.close_questions,
        }[body.validated_data["action"]]
        session = call_service(call, session, by=request.user, request=request)
        return Response(detail(session, request.user))


@extend_schema(tags=TAGS)
class QuestionListView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "create"  # a new question (its POST only)

    @extend_schema(
        summary="Send a question",
        description="Before the session and while it is live, as long as it takes questions (409 otherwise). "
        "Signed in, the account's name and phone are used unless given; without an account `name` and "
        "`phone` are required. The phone is never public. At most `MOTCUA_DIALOGUE_QUESTION_RATE` an hour "
        "from an address or account (429 with Retry-After). The question waits for moderation.",
        parameters=SESSION,
        request=AskSerializer,
        examples=[
            OpenApiExample(
                "A question",
                value={
                    "content": "Bao giờ rút ngắn thời hạn cấp phép xây dựng?",
                    "name": "Nguyễn Văn An",
                    "phone": "0987654321",
                },
                request_only=True,
            )
        ],
        responses={
            201: OpenApiResponse(
                AskedSerializer, examples=[OpenApiExample("Sent", value={"id": 12, "status": "pending"})]
            ),
            400: BAD_REQUEST,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request, id):
        session = _public(id)
        body = AskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            question = call_service(
                services.ask_question, session, by=request.user if request.user.is_authenticated else None,
                client_ip=client_ip(request) or "", request=request, **body.validated_data,
            )  # fmt: skip
        except services.TooManyQuestions as exc:
            raise too_many_requests(exc.retry_after, str(exc)) from None
        return Response({"id": question.pk, "status": question.status}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Officers: the session's questions (moderation queue, or those to answer)",
        description="The session's moderators read every question (`status` narrows, e.g. `pending`); a "
        "leader or their secretary reads the questions given to that leader. With the askers' phones: "
        "officers only (403 otherwise).",
        parameters=[*SESSION, OpenApiParameter("status", str, enum=QuestionStatus.values)],
        responses={
            200: OfficerQuestionSerializer(many=True),
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def get(self, request, id):
        if not request.user.is_authenticated:
            raise PermissionDenied(_("Only the session's officers read its questions."))
        session = _openable(request, id)
        query = OfficerQueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data["status"]
        if rules.is_moderator(session, request.user):
            found = session.questions.all()
        else:
            leaders = session.leader_rows.filter(**{"leader": request.user}) | session.leader_rows.filter(
                secretary=request.user
            )
            found = session.questions.filter(assigned_to_id__in=leaders.values("leader_id"))
        if wanted:
            found = found.filter(status=wanted)
        found = found.select_related("asker", "assigned_to", "answered_by", "written_by", "session")
        return Response(
            [officer_question(q, request.user) for q in found.order_by("submitted_at", "id")[:500]]
        )


def _question(request, pk: int, qid: int) -> DialogueQuestion:
    session = _openable(request, pk)
    found = session.questions.filter(pk=qid).first() if qid <= MAX_ID else None
    if found is None:
        raise NotFound(_("This session has no question %(id)s.") % {"id": qid})
    found.session = session
    return found


@extend_schema(
    tags=TAGS,
    summary="Officers: act on a question (approve, reject, merge, theme, assign, answer, commit)",
    description="One step, with the fields that action takes (see each field). The actions the caller may "
    "take now are in the question's `actions`. A refused action changes nothing: 409 for the wrong moment, "
    "403 for the wrong person, 400 naming each wrong field. The answer is the question as the caller now "
    "reads it.",
    parameters=QUESTION,
    request=QuestionActionSerializer,
    examples=[
        OpenApiExample(
            "Approve and give to a leader",
            value={"action": "approve", "leader": "lanhdao.ubnd-tinh"},
            request_only=True,
        ),
        OpenApiExample(
            "Answer",
            value={"action": "answer", "answer": "Từ quý sau, thời hạn rút còn 10 ngày."},
            request_only=True,
        ),
    ],
    responses={
        200: OfficerQuestionSerializer,
        400: BAD_REQUEST,
        403: FORBIDDEN,
        404: NOT_FOUND,
        409: CONFLICT,
    },
)
class QuestionActionView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, id, qid):
        question = _question(request, id, qid)
        body = QuestionActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = body.validated_data
        action = fields["action"]
        call_service(check, question, action, request.user)  # the moment (409), the person (403) first
        kwargs = {"by": request.user, "request": request}
        if action == A.APPROVE:
            call = services.approve
            kwargs.update(leader=_user(fields["leader"], "leader"), theme=fields["theme"])
        elif action == A.REJECT:
            call, kwargs["reason"] = services.reject, fields["reason"]
        elif action == A.MERGE:
            into = question.session.questions.filter(pk=fields["into"]).first() if fields["into"] else None
            call, kwargs["into"], kwargs["note"] = services.merge, into, fields["note"]
        elif action == A.SET_THEME:
            call, kwargs["theme"] = services.set_theme, fields["theme"] or ""
        elif action == A.ASSIGN:
            call, kwargs["leader"] = services.assign, _user(fields["leader"], "leader")
        elif action in (A.ANSWER, A.EDIT_ANSWER):
            call = services.answer if action == A.ANSWER else services.edit_answer
            kwargs["text"] = fields["answer"]
        else:
            call = services.commit
            kwargs.update(
                text=fields["text"],
                due_date=fields["due_date"],
                agency=_agency_of(fields["agency"], "agency"),
            )
        call_service(call, question, **kwargs)
        question.refresh_from_db()
        return Response(officer_question(question, request.user))


@extend_schema(
    tags=TAGS,
    summary="Officers: mark a commitment done",
    description="The session's moderators, the leader who made it or their secretary, and the engagement "
    "officers of the agency in charge of it; once (409 when done already).",
    parameters=COMMITMENT,
    request=DoneSerializer,
    responses={200: SessionDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
)
class CommitmentDoneView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, id, cid):
        session = _public(id, request.user)
        found = DialogueCommitment.objects.filter(session=session, pk=cid).first() if cid <= MAX_ID else None
        if found is None:
            raise NotFound(_("This session has no commitment %(id)s.") % {"id": cid})
        body = DoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call_service(
            services.mark_done, found, by=request.user, request=request, note=body.validated_data["note"]
        )
        session.refresh_from_db()
        return Response(detail(session, request.user))


@extend_schema(
    tags=TAGS,
    summary="Leaders: the questions given to me (or to the leader I am secretary to), to answer",
    responses={200: OfficerQuestionSerializer(many=True), 403: FORBIDDEN},
)
class AssignedQuestionsView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        found = selectors.leader_queue(request.user)[:500]
        return Response([officer_question(q, request.user) for q in found])
