"""API tokens get an expiry and the fingerprint of their owner's password (issue 9).

Tokens made before keep working until ``created_at`` + ``MOTCUA_API_TOKEN_DAYS`` (already over for old
ones) and until their owner's password changes, as new ones do.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac

# Frozen copy of selectors.token_fingerprint as it was when this migration was written.
FINGERPRINT_SALT = "motcua.accounts.ApiToken.password_fingerprint"


def fill(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = timedelta(days=settings.MOTCUA_API_TOKEN_DAYS)
    for token in ApiToken.objects.select_related("user").iterator():
        token.expires_at = token.created_at + lifetime
        token.password_fingerprint = salted_hmac(
            FINGERPRINT_SALT, token.user.password, algorithm="sha256"
        ).hexdigest()
        token.save(update_fields=["expires_at", "password_fingerprint"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="password_fingerprint",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
