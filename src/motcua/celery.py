"""The Celery application of production deployments (``MOTCUA_TASKS=celery``).

Start a worker with ``celery -A motcua worker -Q motcua`` and the scheduler with ``celery -A motcua beat``;
the embedded default runs the same tasks in-process instead (``motcua.core.tasks``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

app = Celery("motcua")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
