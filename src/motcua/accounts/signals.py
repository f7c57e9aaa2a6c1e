"""Security log entries from Django's login signals and django-axes' lockouts; API tokens retired when a
password changes or an account is deactivated.

A lock is logged when django-axes locks an account; the unlock when the attempt record that held the lock
goes away: its cool-off was over (cleaned at the next login attempt), an administrator reset it
(``services.unlock_account``, the axes admin or ``manage.py axes_reset``). The receivers translate each
signal into ``services.record_security_event``, as views do; services never import this module.
"""

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import SecurityEvent, SecurityEventKind, User
from .services import record_security_event, retire_api_tokens, unlocked_by


def _user(username: str):
    return User.objects.filter(username=username).first() if username else None


def _still_locked(username: str) -> bool:
    # django-axes sums the failures of every (address, browser) record of an account.
    total = AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"]
    return (total or 0) >= settings.AXES_FAILURE_LIMIT


def _last_lock_event(username: str):
    return (
        SecurityEvent.objects.filter(
            username=username, kind__in=[SecurityEventKind.LOCKED, SecurityEventKind.UNLOCKED]
        )
        .values_list("kind", flat=True)
        .first()
    )


@receiver(user_locked_out, dispatch_uid="motcua.accounts.locked")
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    username = username or ""
    # axes signals again at each try during the lock; one entry per lock is what a reader wants.
    if _last_lock_event(username) == SecurityEventKind.LOCKED:
        return
    record_security_event(
        SecurityEventKind.LOCKED,
        user=_user(username),
        username=username,
        ip=ip_address,
        failures=settings.AXES_FAILURE_LIMIT,
        minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    )


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="motcua.accounts.unlocked")
def log_unlock(sender, instance: AccessAttempt, **kwargs):
    username = instance.username or ""
    if _last_lock_event(username) != SecurityEventKind.LOCKED or _still_locked(username):
        return
    by = unlocked_by.get()
    record_security_event(
        SecurityEventKind.UNLOCKED,
        user=_user(username),
        username=username,
        ip=instance.ip_address,
        reason="administrator" if by else "cool-off over",
        by=by,
        last_failure_at=instance.attempt_time.isoformat(),
    )


@receiver(user_logged_in, dispatch_uid="motcua.accounts.logged_in")
def log_login(sender, request=None, user=None, **kwargs):
    record_security_event(SecurityEventKind.LOGIN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="motcua.accounts.logged_out")
def log_logout(sender, request=None, user=None, **kwargs):
    if user is not None:
        record_security_event(SecurityEventKind.LOGOUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="motcua.accounts.login_failed")
def log_login_failed(sender, credentials=None, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")
    record_security_event(
        SecurityEventKind.LOGIN_FAILED,
        user=_user(username),
        username=username,
        request=request,
        locked=bool(getattr(request, "axes_locked_out", False)),
    )


@receiver(post_save, sender=User, dispatch_uid="motcua.accounts.retire_tokens")
def retire_tokens(sender, instance: User, created: bool, update_fields=None, raw: bool = False, **kwargs):
    """A saved password or ``is_active`` may end the account's API tokens (see ``retire_api_tokens``)."""
    if created or raw or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        return
    retire_api_tokens(instance)
