"""Background work of payments: the e-receipt of a paid payment, issued after its transaction committed."""

from celery import shared_task


@shared_task(name="motcua.payments.issue_receipt", ignore_result=True)
def issue_receipt(payment_id: int) -> None:
    from .services.receipts import issue_receipt as issue

    issue(payment_id)
