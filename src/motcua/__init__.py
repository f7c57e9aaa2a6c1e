# The Celery app loads with Django, so that @shared_task tasks queue to the configured broker.
from .celery import app as celery_app

__all__ = ("celery_app",)
