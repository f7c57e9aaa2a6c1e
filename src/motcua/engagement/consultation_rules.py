"""Who may do what in a consultation on a draft (góp ý dự thảo); re-exported by ``engagement.rules``.

Roles are held in an agency (``accounts.OfficerMembership``), read once per request by ``PetitionRoles``:
- a MODERATOR of the drafting agency, or of an agency above it, creates, edits and publishes the draft and
  moderates its comments (approve, reject with an internal reason);
- a HANDLER or a LEADER of the drafting agency itself answers the comments (after the moderation);
- a LEADER of the drafting agency publishes the answers, once the consultation has closed;
- any of those reads the moderation queue and downloads the report;
- a signed-in, active person comments while the consultation is open.
"""

from django.db.models import QuerySet

from motcua.accounts.models import OfficerRole
from motcua.catalog import selectors as catalog_selectors

from .models.consultations import CommentStatus, Consultation, ConsultationPhase

MODERATOR, HANDLER, LEADER = OfficerRole.MODERATOR, OfficerRole.HANDLER, OfficerRole.LEADER

# action -> (roles, reach: "tree" = the drafting agency or above it, "own" = the drafting agency itself)
CONSULTATION_RULES: dict[str, tuple[frozenset, str]] = {
    "manage": (frozenset({MODERATOR}), "tree"),  # create, edit, publish
    "moderate": (frozenset({MODERATOR}), "tree"),  # approve, reject
    "respond": (frozenset({HANDLER, LEADER}), "own"),
    "publish_responses": (frozenset({LEADER}), "own"),
    "read": (frozenset({MODERATOR, HANDLER, LEADER}), "tree"),  # queue, report (a handler: "own")
}
COMMENT_ACTIONS = ("approve", "reject", "respond")


def _roles(user, roles=None):
    from .rules import PetitionRoles  # one reading of a user's memberships, shared with petitions

    return roles or PetitionRoles(user)


def consultation_allowed(consultation, rule: str, user, roles=None) -> bool:
    """Whether ``user`` holds a role ``rule`` needs where it needs it (a system administrator always)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = _roles(user, roles)
    if rule == "read":  # as ``visible_consultations``: a handler reads their own agency's only
        return roles.holds(consultation.agency_id, {MODERATOR, LEADER}, "tree") or roles.holds(
            consultation.agency_id, {HANDLER}, "own"
        )
    wanted, reach = CONSULTATION_RULES[rule]
    return roles.holds(consultation.agency_id, wanted, reach)


def may_create_consultation(user, agency_id: int, roles=None) -> bool:
    return agency_id in drafting_agencies(user, roles)


def drafting_agencies(user, roles=None) -> set[int]:
    """The agencies ``user`` may create consultations for: where they moderate, and every agency under it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        from motcua.catalog.models import Agency

        return set(Agency.objects.values_list("pk", flat=True))
    return catalog_selectors.agencies_under(_roles(user, roles).agencies_with(MODERATOR))


def may_edit_consultation(consultation, user, roles=None) -> bool:
    """Edited (articles too) only before publication."""
    return consultation.published_at is None and consultation_allowed(consultation, "manage", user, roles)


def may_publish_consultation(consultation, user, roles=None) -> bool:
    return consultation.published_at is None and consultation_allowed(consultation, "manage", user, roles)


def may_comment(consultation, user) -> bool:
    """A signed-in, active account, while the consultation is open."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and consultation.is_open)


def comment_action_possible(comment, action: str) -> bool:
    """The moment: moderation while a comment is pending (a rejected one may still be approved, an approved
    one rejected, until the responses are published); an answer on an approved comment."""
    consultation = comment.consultation
    if consultation.published_at is None or consultation.responses_published_at is not None:
        return False
    if action == "approve":
        return comment.status != CommentStatus.APPROVED
    if action == "reject":
        return comment.status != CommentStatus.REJECTED
    if action == "respond":
        return comment.status == CommentStatus.APPROVED
    return False


def comment_action_allowed(comment, action: str, user, roles=None) -> bool:
    if not comment_action_possible(comment, action):
        return False
    rule = "respond" if action == "respond" else "moderate"
    return consultation_allowed(comment.consultation, rule, user, roles)


def comment_actions_for(comment, user, roles=None) -> list[str]:
    roles = _roles(user, roles)
    return [action for action in COMMENT_ACTIONS if comment_action_allowed(comment, action, user, roles)]


def may_publish_responses(consultation, user, roles=None) -> bool:
    return (
        consultation.phase() == ConsultationPhase.CLOSED
        and consultation.responses_published_at is None
        and consultation_allowed(consultation, "publish_responses", user, roles)
    )


def may_read_report(consultation, user, roles=None) -> bool:
    return consultation_allowed(consultation, "read", user, roles)


def visible_consultations(user) -> QuerySet:
    """The consultations ``user`` opens in the back office: of an agency where they hold an engagement role
    (moderators and leaders: and every agency under it). All of them for a system administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Consultation.objects.none()
    if user.is_superuser:
        return Consultation.objects.all()
    roles = _roles(user)
    reach = catalog_selectors.agencies_under(roles.agencies_with(MODERATOR, LEADER))
    reach |= roles.agencies_with(HANDLER)
    return Consultation.objects.filter(agency_id__in=reach)


__all__ = [
    "CONSULTATION_RULES",
    "comment_action_allowed",
    "comment_action_possible",
    "comment_actions_for",
    "consultation_allowed",
    "drafting_agencies",
    "may_comment",
    "may_create_consultation",
    "may_edit_consultation",
    "may_publish_consultation",
    "may_publish_responses",
    "may_read_report",
    "visible_consultations",
]
