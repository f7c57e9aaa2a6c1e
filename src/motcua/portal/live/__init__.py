"""Live dialogue sessions for viewers: answers reach every open page as they are published (server-sent
events). ``hub`` keeps one process's viewers and polls for changes, ``app`` is the ASGI application that
streams them, ``source`` reads and renders what changed. ``motcua.asgi`` puts it in front of Django."""


def build(fallback=None):
    """The ASGI application: live streams here, every other request to ``fallback``."""
    from urllib.parse import urlsplit

    from asgiref.sync import sync_to_async
    from django.conf import settings
    from django.db import close_old_connections, connections

    from .app import LiveApp
    from .hub import Hub
    from .source import DialogueSource

    def in_thread(function, *args):
        def call():
            close_old_connections()  # as Django does around each request: a broken connection is replaced
            try:
                return function(*args)
            finally:
                close_old_connections()

        # One thread for all database reads of the poller: one connection, reused.
        return sync_to_async(call, thread_sensitive=True)()

    public = urlsplit(settings.MOTCUA_PUBLIC_URL)
    origins = frozenset({f"{public.scheme}://{public.netloc}"} if public.netloc else ())
    hub = Hub(DialogueSource(), settings.MOTCUA_LIVE_POLL_SECONDS, in_thread, on_stop=connections.close_all)
    return LiveApp(hub, fallback=fallback, allowed_origins=origins)
