"""Every notification any app sends exists in Vietnamese: its subject and SMS, rendered in Vietnamese, differ
from the English ones. (The Vietnamese text of the templates kept outside the notifications app, in payments,
delivery and engagement, was once never extracted, and those messages went out in English.)"""

from pathlib import Path

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.utils import translation


def notification_templates() -> list[str]:
    found = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates" / "notifications"
        for part in sorted(folder.glob("*/subject.txt")) + sorted(folder.glob("*/sms.txt")):
            found.append(f"notifications/{part.parent.name}/{part.name}")
    return found


def test_templates_are_found_in_every_app_that_sends():
    owners = {name.split("/")[1] for name in notification_templates()}
    assert {"dossier_submitted", "payment_receipt", "parcel_failed", "rating_invitation"} <= owners


@pytest.mark.parametrize("name", notification_templates())
def test_each_reads_in_vietnamese(name):
    context = {"code": "H99-261207-0001", "kind": "Phản ánh", "agency_name": "UBND xã", "amount": "10.000"}
    with translation.override("en"):
        english = render_to_string(name, context)
    with translation.override("vi"):
        vietnamese = render_to_string(name, context)
    assert vietnamese.strip() and vietnamese != english
