from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0008_finished_list_index")]

    operations = [
        migrations.AlterField(
            model_name="dossier",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("approved", "Granted"),
                    ("rejected", "Not granted"),
                    ("refused", "Not received"),
                    ("stopped", "Processing stopped"),
                    ("withdrawn", "Withdrawn by the applicant"),
                ],
                max_length=16,
                verbose_name="outcome",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="timeliness",
            field=models.CharField(
                blank=True,
                choices=[("early", "Early"), ("on_time", "On time"), ("late", "Late")],
                max_length=8,
                verbose_name="timeliness",
            ),
        ),
    ]
