from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "motcua.backup"
    label = "backup"
    verbose_name = "Backup and restore"
