# Gunicorn for Motcua in production: `gunicorn -c deploy/gunicorn.conf.py motcua.wsgi:application`
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then so that a slow leak never becomes an outage
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Refuse to serve when Django's checks find an error (e.g. motcua.E001: demo accounts in production).

    gunicorn does not run system checks itself, unlike manage.py commands.
    """
    import django
    from django.core import checks

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    django.setup()
    from django.db import connections

    try:
        errors = [m for m in checks.run_checks(include_deployment_checks=True) if m.is_serious()]
    finally:
        # The checks query the database from this master process; workers are forked from it and would
        # inherit that open connection, several processes then sharing one socket: answers go to the wrong
        # worker and a worker waits forever (bench/backoffice.py saw workers hang until their timeout).
        connections.close_all()
    if errors:
        raise SystemExit("Motcua will not start:\n" + "\n".join(str(e) for e in errors))
