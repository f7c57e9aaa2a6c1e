"""The sandbox carrier's side (bưu chính thử nghiệm): its booking API and the tester's page, which moves a
parcel along and makes the carrier call our webhook, signed (``protocol``). Served only while
``MOTCUA_POSTAL_SANDBOX`` is on (demo, development, tests); "not found" otherwise."""

import json
import uuid

import requests
from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.core.tasks import enqueue

from . import protocol
from .models import SandboxParcel


def _on() -> None:
    if not settings.MOTCUA_POSTAL_SANDBOX:
        raise Http404


@csrf_exempt
@require_POST
def orders(request):
    """Book a parcel (the carrier's API): signed JSON in, a tracking number out."""
    _on()
    body = request.body
    if not protocol.verify(body, request.META.get(protocol.META_HEADER, ""), _secret()):
        return JsonResponse({"error": "bad signature"}, status=403)
    try:
        data = json.loads(body)
        reference = str(data["reference"])[:100]
        recipient = data["recipient"]
        callback_url = str(data["callback_url"])[:500]
        if not reference or not isinstance(recipient, dict) or not callback_url.startswith("http"):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "malformed order"}, status=400)
    existing = SandboxParcel.objects.filter(reference=reference).first()
    if existing is not None:
        return JsonResponse({"tracking_number": existing.tracking_number, "reference": reference})
    try:
        with transaction.atomic():
            parcel = SandboxParcel.objects.create(
                reference=reference,
                tracking_number="SB" + uuid.uuid4().hex[:10].upper(),
                sender=str(data.get("sender", ""))[:255],
                recipient=recipient,
                callback_url=callback_url,
            )
    except IntegrityError:  # the same order twice at once: the first one's number
        parcel = SandboxParcel.objects.get(reference=reference)
        return JsonResponse({"tracking_number": parcel.tracking_number, "reference": reference})
    return JsonResponse({"tracking_number": parcel.tracking_number, "reference": reference}, status=201)


def tester(request):
    """The tester's page: every parcel, with buttons that send the post's notices."""
    _on()
    return render(
        request,
        "delivery/sandbox.html",
        {"parcels": SandboxParcel.objects.all()[:100], "statuses": protocol.STATUSES},
    )


@require_POST
def advance(request, tracking_number, status):
    """A tester's button: the parcel moves, and the carrier tells the sender (after this answer)."""
    _on()
    if status not in protocol.STATUSES:
        raise Http404
    parcel = SandboxParcel.objects.filter(tracking_number=tracking_number).first()
    if parcel is None:
        raise Http404
    parcel.status = status
    parcel.save(update_fields=["status"])
    enqueue(send_notice, parcel.pk, status, uuid.uuid4().hex, timezone.now().isoformat())
    return redirect("delivery:sandbox_home")


def _secret() -> str:
    return settings.MOTCUA_POSTAL_SANDBOX_SECRET


def notice_body(parcel: SandboxParcel, status: str, event_id: str, occurred_at: str) -> bytes:
    return protocol.encode(
        {
            "tracking_number": parcel.tracking_number,
            "event_id": event_id,
            "status": status,
            "occurred_at": occurred_at,
            "note": "",
        }
    )


@shared_task(name="motcua.delivery.sandbox_notice", ignore_result=True)
def send_notice(parcel_id: int, status: str, event_id: str, occurred_at: str) -> None:
    """The carrier calls the sender's webhook with one signed notice (a real HTTP call)."""
    parcel = SandboxParcel.objects.get(pk=parcel_id)
    body = notice_body(parcel, status, event_id, occurred_at)
    requests.post(
        parcel.callback_url, data=body, headers=protocol.signed_headers(body, _secret()), timeout=10
    )
