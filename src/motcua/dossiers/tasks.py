"""Background work of the dossiers app: the scheduled deadline watch (Celery beat in production, ``manage.py
warn_deadlines`` otherwise), keeping a sent dossier's papers in the applicant's document store, and the daily
sweep of papers' files left without their row (``manage.py delete_orphan_attachments``)."""

from celery import shared_task


@shared_task(name="motcua.dossiers.warn_deadlines")
def warn_deadlines() -> dict:
    from .deadline_watch import watch

    found = watch()
    return {"due_soon": len(found.due_soon), "overdue": len(found.overdue), "apologies": len(found.apologies)}


@shared_task(name="motcua.dossiers.keep_sent_papers")
def keep_sent_papers(dossier_id: int) -> int:
    """The papers of a dossier just sent (or supplemented) go into the applicant's document store."""
    from .models import Dossier
    from .services.attachments import keep_sent_papers as keep

    dossier = Dossier.objects.select_related("applicant").filter(pk=dossier_id).first()
    return keep(dossier) if dossier is not None else 0


@shared_task(name="motcua.dossiers.delete_orphan_files", ignore_result=True)
def delete_orphan_files() -> int:
    """The papers' files no attachment row names, older than an hour, deleted; returns how many."""
    from .services.attachments import delete_orphan_files as sweep

    return len(sweep())
