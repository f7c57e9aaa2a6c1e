"""The live answers of a dialogue session as server-sent events (``GET /doi-thoai/<id>/su-kien/``), an
ASGI application of its own in front of Django's.

Why not a Django view: a viewer holds its connection for the whole session, and 10,000 viewers would hold
10,000 WSGI workers. Here a connection is a queue and a coroutine in one event loop (``hub``); only the
poller touches the database. Why not short polling: ``bench/dialogue.py`` measures both; a page polling every
second costs a request per viewer per second and still waits up to that second, while one event reaches
every viewer within the poll interval (``MOTCUA_LIVE_POLL_SECONDS``) at no cost between changes.

Every other request goes to ``fallback`` (Django's ASGI application), so one ``uvicorn
motcua.asgi:application`` also serves the whole site; production sends it only the streams (deploy/).
"""

import asyncio
import re
from urllib.parse import parse_qs

from .hub import Hub

PATH = re.compile(r"^/doi-thoai/(?P<session>[0-9]{1,12})/su-kien/$")


def events_path(session_id: int) -> str:
    """The address of a session's stream (what ``PATH`` matches), under the session's page."""
    return f"/doi-thoai/{session_id}/su-kien/"


HEARTBEAT_SECONDS = 20  # a comment line now and then keeps proxies from closing an idle stream
RETRY_MILLISECONDS = 3000  # how long a browser waits before it reconnects

HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-store"),
    (b"x-accel-buffering", b"no"),  # nginx passes each event on at once
    (b"x-content-type-options", b"nosniff"),
]


class LiveApp:
    def __init__(self, hub: Hub, fallback=None, allowed_origins: frozenset[str] = frozenset()):
        self.hub = hub
        self.fallback = fallback
        # Origins whose pages may open the stream from another port or host (the demo's one process per
        # kind of server); same-origin pages need nothing.
        self.allowed_origins = allowed_origins

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        match = PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None:
            if self.fallback is None:
                await _plain(send, 404, b"Not found")
                return
            await self.fallback(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await _plain(send, 405, b"Method not allowed", [(b"allow", b"GET")])
            return
        await self.stream(int(match["session"]), scope, receive, send)

    async def stream(self, session_id: int, scope, receive, send) -> None:
        headers = dict(scope.get("headers") or [])
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        language = "en" if query.get("lang") == ["en"] else "vi"
        since = _revision(headers.get(b"last-event-id", b"").decode("latin-1")) or _revision(
            (query.get("sau") or [""])[0]
        )
        viewer = await self.hub.join(session_id, language, since)
        if viewer is None:
            await _plain(send, 404, b"No such session")
            return
        response_headers = list(HEADERS)
        origin = headers.get(b"origin", b"").decode("latin-1")
        if origin in self.allowed_origins:
            response_headers += [(b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin")]
        gone = asyncio.Event()
        listener = asyncio.get_running_loop().create_task(_until_disconnect(receive, gone, viewer))
        try:
            await send({"type": "http.response.start", "status": 200, "headers": response_headers})
            await send(_body(f"retry: {RETRY_MILLISECONDS}\n\n".encode(), more=scope["method"] == "GET"))
            if scope["method"] == "HEAD":
                return
            while not gone.is_set():
                try:
                    message = await asyncio.wait_for(viewer.queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    message = b": keep-alive\n\n"
                if message is None or viewer.dropped:
                    break
                await send(_body(message))
            if not gone.is_set():
                await send(_body(b"", more=False))
        except OSError:  # the client went away while we wrote
            pass
        finally:
            listener.cancel()
            self.hub.leave(viewer)

    async def _lifespan(self, receive, send) -> None:
        while True:
            event = await receive()
            if event["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif event["type"] == "lifespan.shutdown":
                await self.hub.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _until_disconnect(receive, gone: asyncio.Event, viewer) -> None:
    while True:
        event = await receive()
        if event["type"] == "http.disconnect":
            gone.set()
            viewer.push(None)
            return


def _revision(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _body(data: bytes, more: bool = True) -> dict:
    return {"type": "http.response.body", "body": data, "more_body": more}


async def _plain(send, status: int, text: bytes, extra: list | None = None) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})
