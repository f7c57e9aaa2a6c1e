"""Documents are about a subject (a generic relation) instead of a dossier: the documents app no longer knows
dossiers. Each document's subject becomes the dossier it named; a result keeps what it prints (title,
procedure) so that verification answers from the document alone. Results can be revoked."""

import re

import django.db.models.deletion
import motcua.core.storage
import motcua.documents.models
from django.conf import settings
from django.db import migrations, models

DEFAULT_TITLE = "Kết quả giải quyết thủ tục hành chính"


def _title(record: dict) -> str:
    # As dossiers.papers.result.title at the time of this migration.
    text = (record or {}).get("result_type") or ""
    first = re.split(r"\(|;|\.(?:\s|$)| và bản ", text, maxsplit=1)[0].strip(" ,:")
    return first if 0 < len(first) <= 80 else DEFAULT_TITLE


def forward(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Document = apps.get_model("documents", "Document")
    dossier_type, _created = ContentType.objects.get_or_create(app_label="dossiers", model="dossier")
    for document in Document.objects.select_related("dossier__procedure").iterator():
        dossier = document.dossier
        record = dossier.procedure_record or {}
        document.subject_type_id = dossier_type.pk
        document.subject_id = dossier.pk
        if document.kind == "result":
            document.title = _title(record)[:255]
            document.procedure_code = (record.get("code") or dossier.procedure.code)[:20]
            document.procedure_name = (record.get("name") or dossier.procedure.name)[:1000]
            if document.agency_id is None:
                document.agency_id = dossier.agency_id
        document.save(
            update_fields=[
                "subject_type", "subject_id", "title", "procedure_code", "procedure_name", "agency"
            ]
        )


def backward(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    for document in Document.objects.iterator():
        Document.objects.filter(pk=document.pk).update(dossier_id=document.subject_id)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0003_superseded_receipts"),
        ("dossiers", "0009_outcome_and_timeliness_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="subject_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="about (kind)",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="subject_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="about (id)"),
        ),
        migrations.AddField(
            model_name="document", name="title", field=models.CharField(blank=True, max_length=255, verbose_name="title")
        ),
        migrations.AddField(
            model_name="document",
            name="procedure_code",
            field=models.CharField(blank=True, max_length=20, verbose_name="procedure code"),
        ),
        migrations.AddField(
            model_name="document",
            name="procedure_name",
            field=models.CharField(blank=True, max_length=1000, verbose_name="procedure name"),
        ),
        migrations.AddField(
            model_name="document",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        migrations.AddField(
            model_name="document",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="revoked by",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="revocation_reason",
            field=models.TextField(blank=True, verbose_name="reason for the revocation"),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveConstraint(model_name="document", name="documents_one_current_receipt_per_dossier"),
        migrations.RemoveField(model_name="document", name="dossier"),
        migrations.AlterField(
            model_name="document",
            name="subject_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="about (kind)",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="subject_id",
            field=models.PositiveBigIntegerField(verbose_name="about (id)"),
        ),
        migrations.AlterModelOptions(
            name="document",
            options={"ordering": ["created_at", "id"], "verbose_name": "document", "verbose_name_plural": "documents"},
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["subject_type", "subject_id", "kind"], name="documents_subject_idx"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "receipt"), ("superseded_at__isnull", True)),
                fields=("subject_type", "subject_id", "kind"),
                name="documents_one_current_receipt",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="file",
            field=models.FileField(
                max_length=255,
                storage=motcua.core.storage.private_storage,
                upload_to=motcua.documents.models.document_path,
                verbose_name="file",
            ),
        ),
    ]
