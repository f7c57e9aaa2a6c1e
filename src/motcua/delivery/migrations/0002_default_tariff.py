"""A starting postal tariff for every agency (example amounts: an administrator enters the contract's own
in the admin, Postal tariffs), so that the post can be offered on a fresh installation."""

import datetime

from django.db import migrations

DEFAULTS = [("inner", 25_000), ("outer", 35_000)]
SINCE = datetime.date(2025, 7, 1)


def add(apps, schema_editor):
    PostalTariff = apps.get_model("delivery", "PostalTariff")
    for zone, amount in DEFAULTS:
        PostalTariff.objects.get_or_create(agency=None, zone=zone, effective_from=SINCE, defaults={"amount": amount})


def remove(apps, schema_editor):
    apps.get_model("delivery", "PostalTariff").objects.filter(agency=None, effective_from=SINCE).delete()


class Migration(migrations.Migration):
    dependencies = [("delivery", "0001_postal_delivery")]
    operations = [migrations.RunPython(add, remove)]
