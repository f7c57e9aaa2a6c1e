"""Background work of the documents app: the daily sweep of documents' and stored papers' files left
without their row (``manage.py delete_orphan_documents``)."""

from celery import shared_task


@shared_task(name="motcua.documents.delete_orphan_files", ignore_result=True)
def delete_orphan_files() -> int:
    """The files no document or store entry names, older than an hour, deleted; returns how many."""
    from .services import delete_orphan_files as sweep

    return len(sweep())
