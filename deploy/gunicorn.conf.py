# Gunicorn for Motcua in production: `gunicorn -c deploy/gunicorn.conf.py motcua.wsgi:application`
import multiprocessing
import os
from pathlib import Path

# Metrics (motcua.core.metrics): each worker writes its own in this folder and /metrics adds them up,
# whichever worker answers. Set before any worker imports prometheus_client. Celery workers of this machine
# may share it (the same variable in their environment) so that their task failures show too.
_VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_VAR_DIR / "metrics"))

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# One thread per worker (gunicorn's sync worker) behind nginx, which holds slow clients and keep-alive
# connections: bench/burst.py served 1,000 citizens at 339 req/s this way against 156 req/s with 2 threads
# (gthread), whose event loop cost 0.4 ms more CPU per request (/healthz 1.2 ms against 0.8 ms).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 60
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then so that a slow leak never becomes an outage
max_requests_jitter = 200
# Django writes the access line itself (logger motcua.access: route, request id, no query string, JSON with
# LOG_FORMAT=json); gunicorn's would repeat it with the query string.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def clear_dead_metrics(folder: Path) -> None:
    """Remove the metric files of processes that are gone (a previous run's workers), as prometheus_client
    asks; those of live processes (a Celery worker sharing the folder) stay."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except PermissionError:
            pass  # alive, someone else's


def child_exit(server, worker):
    """A worker is gone: its live gauges no longer count (its counters still do, says prometheus_client)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_starting(server):
    """Refuse to serve when Django's checks find an error (e.g. motcua.E001: demo accounts in production).

    gunicorn does not run system checks itself, unlike manage.py commands.
    """
    clear_dead_metrics(Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]))
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
