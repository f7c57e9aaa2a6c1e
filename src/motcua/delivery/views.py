"""The postal services' webhook (``/buu-chinh/<service>/webhook/``): a signed status notice about one of
our parcels. Thin: the service verifies it (``registry``), ``services.record_notice`` keeps it."""

import logging

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.audit import services as audit

from . import services
from .models import Shipment
from .registry import BadSignature, register

logger = logging.getLogger("motcua.delivery")


@csrf_exempt
@require_POST
def webhook(request, service):
    if service not in register or not register[service].is_enabled():
        return JsonResponse({"error": "unknown service"}, status=404)
    body = request.body
    try:
        notice = register[service].read_callback(body, request.headers)
    except BadSignature as exc:
        logger.warning("Postal notice refused (%s): %s", service, exc)
        audit.record("delivery.bad_signature", request=request, service=service, reason=str(exc)[:200])
        return JsonResponse({"error": "bad signature"}, status=403)
    try:
        services.record_notice(service=service, notice=notice, raw=body.decode("utf-8", "replace"))
    except Shipment.DoesNotExist:
        return JsonResponse({"error": "unknown tracking number"}, status=404)
    return JsonResponse({"ok": True})
