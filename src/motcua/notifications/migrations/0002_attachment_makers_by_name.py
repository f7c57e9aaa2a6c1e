"""Deliveries name their attachment makers by registered name (notifications.attachments), no longer by the
dotted path of a function in another app: the two paths the portal wrote become their names."""

from django.db import migrations, models

RENAMED = {
    "motcua.documents.services.receipt_attachment": "dossier.receipt",
    "motcua.documents.slips.slip_attachment": "dossier.slip",
}


def forward(apps, schema_editor):
    Delivery = apps.get_model("notifications", "Delivery")
    for delivery in Delivery.objects.exclude(attachments=[]).iterator():
        specs = [[RENAMED.get(name, name), args] for name, args in delivery.attachments]
        if specs != delivery.attachments:
            Delivery.objects.filter(pk=delivery.pk).update(attachments=specs)


def backward(apps, schema_editor):
    Delivery = apps.get_model("notifications", "Delivery")
    paths = {name: path for path, name in RENAMED.items()}
    for delivery in Delivery.objects.exclude(attachments=[]).iterator():
        specs = [[paths.get(name, name), args] for name, args in delivery.attachments]
        Delivery.objects.filter(pk=delivery.pk).update(attachments=specs)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="delivery",
            name="attachments",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Made when sending: [["maker name", [arguments]], …] (notifications.attachments).',
                verbose_name="attachments",
            ),
        ),
    ]
