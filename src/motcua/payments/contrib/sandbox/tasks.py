"""The IPN (Instant Payment Notification): the gateway calls the merchant's IPN address with a result.

As VNPay does, the call is an HTTP GET with the signed result in its query, repeated with a growing pause
while the merchant does not answer ``RspCode`` 00 (confirmed) or 02 (already confirmed), a few times. Every
attempt is logged on the delivery.
"""

import json

import requests
from celery import shared_task
from django.db import transaction

from motcua.core.tasks import enqueue
from motcua.payments.contrib.vnpay.protocol import IpnAnswer

from .models import IpnAttempt, IpnDelivery

MAX_ATTEMPTS = 5
RETRY_SECONDS = 30  # pause before attempt n+1: n × this
HTTP_TIMEOUT = 10
ANSWERED = (IpnAnswer.CONFIRMED, IpnAnswer.ALREADY_CONFIRMED)


@shared_task(name="motcua.payments_sandbox.deliver_ipn", ignore_result=True)
def deliver_ipn(delivery_id: int) -> None:
    """Call the IPN address of ``delivery_id`` once; queue the next attempt while it is not confirmed."""
    with transaction.atomic():
        delivery = IpnDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.confirmed or delivery.attempts >= MAX_ATTEMPTS:
            return
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    attempt = IpnAttempt(delivery=delivery, number=delivery.attempts)
    try:
        response = requests.get(delivery.url, params=delivery.params, timeout=HTTP_TIMEOUT)
        attempt.http_status = response.status_code
        attempt.answer = response.text[:2000]
        code = str(json.loads(response.text).get("RspCode", ""))
    except requests.RequestException as exc:
        attempt.error = str(exc)[:500]
        code = ""
    except (ValueError, AttributeError):  # not a JSON object: the merchant did not answer the protocol
        attempt.error = "The answer is not a JSON object."
        code = ""
    attempt.save()
    delivery.answer = attempt.answer or attempt.error
    delivery.confirmed = code in ANSWERED
    delivery.save(update_fields=["answer", "confirmed"])
    if not delivery.confirmed and delivery.attempts < MAX_ATTEMPTS:
        enqueue(deliver_ipn, delivery.pk, countdown=RETRY_SECONDS * delivery.attempts)
