"""Background work of the engagement app: the daily sweep of petitions' files left without their row
(``manage.py delete_orphan_petition_files``)."""

from celery import shared_task


@shared_task(name="motcua.engagement.delete_orphan_files", ignore_result=True)
def delete_orphan_files() -> int:
    """The petitions' files no attachment row names, older than an hour, deleted; returns how many."""
    from .services.petitions import delete_orphan_files as sweep

    return len(sweep())
