"""Online dialogue sessions (đối thoại trực tuyến): a topic, a time, the leaders and agencies taking part, the
questions citizens send before and during it, the answers the leaders give, live, and the commitments they
make, tracked until done.

A session is a draft until announced (``announced_at``); from then on the public reads it, and its status is
the time's (upcoming, live, finished: ``DialogueSession.status_at``), never stored. ``revision`` counts the
changes the public sees (an answer given or edited, a commitment added or done, the session edited); it is
bumped in the transaction of each such change, and each answered question and commitment keeps the revision
of its last public change in ``sequence``, so that a page that has seen revision N asks for what is newer.
Only ``services.dialogues`` writes these rows; ``rules`` says who may.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CONTENT_LENGTH = (10, 2000)  # a question, in characters
ANSWER_LENGTH = (2, 10000)
THEME_LENGTH = 100


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, not announced")  # Chưa công bố
    UPCOMING = "upcoming", _("Upcoming")  # Sắp diễn ra
    LIVE = "live", _("Live now")  # Đang diễn ra
    FINISHED = "finished", _("Finished")  # Đã kết thúc


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")  # Chờ duyệt
    APPROVED = "approved", _("Approved, awaiting an answer")  # Đã duyệt, chờ trả lời
    REJECTED = "rejected", _("Rejected")  # Không duyệt
    MERGED = "merged", _("Merged into another question")  # Đã gộp
    ANSWERED = "answered", _("Answered")  # Đã trả lời


class DialogueAction(models.TextChoices):
    CREATE = "create", _("Session created")
    UPDATE = "update", _("Session edited")
    ANNOUNCE = "announce", _("Session announced")  # Công bố
    OPEN_QUESTIONS = "open_questions", _("Questions opened")
    CLOSE_QUESTIONS = "close_questions", _("Questions closed")
    ASK = "ask", _("Question sent")  # Gửi câu hỏi
    APPROVE = "approve", _("Question approved")  # Duyệt
    REJECT = "reject", _("Question rejected")  # Không duyệt
    MERGE = "merge", _("Merged as a duplicate")  # Gộp
    SET_THEME = "set_theme", _("Theme set")  # Nhóm chủ đề
    ASSIGN = "assign", _("Given to a leader")  # Chuyển lãnh đạo trả lời
    ANSWER = "answer", _("Answered")  # Trả lời
    EDIT_ANSWER = "edit_answer", _("Answer edited")
    COMMIT = "commit", _("Commitment recorded")  # Ghi nhận cam kết
    MARK_DONE = "mark_done", _("Commitment done")  # Hoàn thành cam kết


class DialogueSession(models.Model):
    """Một buổi đối thoại trực tuyến."""

    title = models.CharField(_("topic"), max_length=200)
    summary = models.TextField(_("announcement"))
    organiser = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("organising agency")
    )
    agencies = models.ManyToManyField(
        "catalog.Agency", blank=True, related_name="+", verbose_name=_("agencies taking part")
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="DialogueLeader",
        through_fields=("session", "leader"),
        related_name="+",
        verbose_name=_("leaders"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    questions_open = models.BooleanField(_("accepting questions"), default=True)
    revision = models.PositiveBigIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["announced_at", "starts_at"], name="engagement_dialogue_public")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="engagement_dialogue_ends"
            )
        ]

    def __str__(self):
        return self.title

    def status_at(self, now) -> str:
        """Draft until announced; then upcoming, live from its start, finished from its end."""
        if self.announced_at is None:
            return SessionStatus.DRAFT
        if now < self.starts_at:
            return SessionStatus.UPCOMING
        if now < self.ends_at:
            return SessionStatus.LIVE
        return SessionStatus.FINISHED


class DialogueLeader(models.Model):
    """A leader taking part (users hold no position: ``title`` says it, e.g. "Phó Chủ tịch UBND tỉnh"), and
    the secretary who may type answers on their behalf (thư ký), if any."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="leader_rows")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    title = models.CharField(_("position"), max_length=150)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("secretary"),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("leader taking part")
        verbose_name_plural = _("leaders taking part")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "leader"], name="engagement_dialogue_leader_once")
        ]

    def __str__(self):
        return f"{self.leader} ({self.title})"


class DialogueQuestion(models.Model):
    """A question sent to a session: moderated, perhaps merged or grouped by theme, given to a leader and
    answered. The public reads the asker's name only, never their phone, the moderators' reasons or notes."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("asker's account"),
    )  # fmt: skip
    asker_name = models.CharField(_("asker's name"), max_length=150)
    asker_phone = models.CharField(_("asker's phone"), max_length=20, blank=True)
    content = models.TextField(_("question"))
    theme = models.CharField(_("theme"), max_length=THEME_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    reject_reason = models.TextField(_("why it was rejected (internal)"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates",
        verbose_name=_("merged into"),
    )  # fmt: skip
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("leader to answer"),
    )  # fmt: skip
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("answered by"),
    )  # fmt: skip
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("typed by"),
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    sequence = models.PositiveBigIntegerField(_("revision of its last public change"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("sent at"))
    client_hash = models.CharField(_("sender's address (keyed hash)"), max_length=16, blank=True)
    # The question, answer and theme folded (``core.text.fold``) for the transcripts' search.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("dialogue question")
        verbose_name_plural = _("dialogue questions")
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["session", "status", "submitted_at"], name="engagement_dq_queue"),
            models.Index(fields=["session", "sequence"], name="engagement_dq_sequence"),
            models.Index(fields=["assigned_to", "status"], name="engagement_dq_leader"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=QuestionStatus.MERGED) | Q(merged_into__isnull=True),
                name="engagement_dq_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="engagement_dq_answered_has_time",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.content[:60]}"


class DialogueCommitment(models.Model):
    """What a leader promised (cam kết) in answer to a question: the agency in charge, by when, and when it
    was done. Shown on the transcript until done, and as done after."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="commitments")
    question = models.ForeignKey(
        DialogueQuestion, on_delete=models.CASCADE, null=True, blank=True, related_name="commitments"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    text = models.TextField(_("what was promised"))
    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency in charge")
    )
    due_date = models.DateField(_("due by"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    sequence = models.PositiveBigIntegerField(_("revision of its last public change"), default=0)
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("dialogue commitment")
        verbose_name_plural = _("dialogue commitments")
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class DialogueEvent(models.Model):
    """One step of a session or of one of its questions or commitments: who, when, what, why (internal)."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="events")
    question = models.ForeignKey(
        DialogueQuestion, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    commitment = models.ForeignKey(
        DialogueCommitment, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=DialogueAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("dialogue step")
        verbose_name_plural = _("dialogue steps")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.session_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
