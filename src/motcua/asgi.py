"""ASGI entry point: ``uvicorn motcua.asgi:application``. It serves the live dialogue streams
(``portal.live``) and hands every other request to Django; deploy/nginx.conf sends only the streams here."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
django_application = get_asgi_application()

from motcua.portal.live import build  # noqa: E402  (Django is set up by the line above)

application = build(fallback=django_application)
