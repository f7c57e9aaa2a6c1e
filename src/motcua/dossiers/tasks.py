"""Scheduled work of the dossiers app (Celery beat in production, ``manage.py warn_deadlines`` otherwise)."""

from celery import shared_task


@shared_task(name="motcua.dossiers.warn_deadlines")
def warn_deadlines() -> dict:
    from .deadline_watch import watch

    found = watch()
    return {"due_soon": len(found.due_soon), "overdue": len(found.overdue), "apologies": len(found.apologies)}
