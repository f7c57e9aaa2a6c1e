"""The live hub and its ASGI application, driven without a network: viewers join, the poller finds a new
revision once for all of them, a page that reconnects catches up, a viewer that stops reading is dropped.
The source here is a dictionary of revisions (the database's is tested in ``test_live_dialogue.py``)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from motcua.portal.live.app import LiveApp
from motcua.portal.live.hub import QUEUE_SIZE, Hub, Source


class Revisions(Source):
    """Sessions and their revisions; counts what the hub asked."""

    def __init__(self, **sessions):
        self.current = {int(k[1:]): v for k, v in sessions.items()}
        self.revision_reads = 0
        self.messages: list[tuple[int, int, str]] = []

    def revisions(self, session_ids):
        self.revision_reads += 1
        return {pk: self.current[pk] for pk in session_ids if pk in self.current}

    def message(self, session_id, after, language):
        self.messages.append((session_id, after, language))
        return f"id: {self.current[session_id]}\nevent: update\ndata: {after}-{language}\n\n".encode()


async def direct(function, *args):
    return function(*args)


def run(coroutine):
    """In a thread of its own: a browser journey earlier in this process leaves Playwright's event loop
    running in the main thread, where ``asyncio.run`` refuses to start another."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_change_is_read_once_and_rendered_once_per_language_for_every_viewer():
    source = Revisions(s7=3)

    async def scenario():
        hub = Hub(source, interval=60, run_in_thread=direct)
        viewers = [await hub.join(7, language, since=3) for language in ["vi"] * 50 + ["en"] * 50]
        reads = source.revision_reads
        source.current[7] = 4
        await hub.poll()
        await hub.stop()
        return viewers, source.revision_reads - reads

    viewers, reads = run(scenario())
    assert reads == 1
    assert sorted(source.messages) == [(7, 3, "en"), (7, 3, "vi")]
    assert {v.queue.get_nowait() for v in viewers if v.language == "vi"} == {
        b"id: 4\nevent: update\ndata: 3-vi\n\n"
    }
    assert {v.queue.get_nowait() for v in viewers if v.language == "en"} == {
        b"id: 4\nevent: update\ndata: 3-en\n\n"
    }


def test_nothing_is_sent_while_the_revision_stays():
    source = Revisions(s7=3)

    async def scenario():
        hub = Hub(source, interval=60, run_in_thread=direct)
        viewer = await hub.join(7, "vi", since=3)
        await hub.poll()
        await hub.poll()
        return viewer

    viewer = run(scenario())
    assert viewer.queue.empty()
    assert source.messages == []


def test_a_page_behind_the_session_first_gets_what_it_missed():
    source = Revisions(s7=9)

    async def scenario():
        hub = Hub(source, interval=60, run_in_thread=direct)
        return await hub.join(7, "en", since=5)

    viewer = run(scenario())
    assert viewer.queue.get_nowait() == b"id: 9\nevent: update\ndata: 5-en\n\n"


def test_no_stream_for_a_session_the_public_may_not_watch():
    async def scenario():
        hub = Hub(Revisions(s7=1), interval=60, run_in_thread=direct)
        return await hub.join(8, "vi", since=None)

    assert run(scenario()) is None


def test_a_session_withdrawn_from_the_public_ends_its_streams():
    source = Revisions(s7=1)

    async def scenario():
        hub = Hub(source, interval=60, run_in_thread=direct)
        viewer = await hub.join(7, "vi", since=1)
        del source.current[7]
        await hub.poll()
        return hub, viewer

    hub, viewer = run(scenario())
    assert viewer.queue.get_nowait() is None
    assert hub.count() == 0


def test_a_viewer_that_stops_reading_is_dropped_not_waited_for():
    source = Revisions(s7=0)

    async def scenario():
        hub = Hub(source, interval=60, run_in_thread=direct)
        slow = await hub.join(7, "vi", since=0)
        for revision in range(1, QUEUE_SIZE + 2):
            source.current[7] = revision
            await hub.poll()
        return hub, slow

    hub, slow = run(scenario())
    assert slow.dropped
    assert hub.count() == 0


# --- the ASGI application -------------------------------------------------------------------------------


class Client:
    """One request to the ASGI application; ``disconnect`` ends it as a browser closing the page would."""

    def __init__(self, app, path, query=b"", headers=()):
        self.app, self.sent = app, []
        self.scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "query_string": query,
            "headers": list(headers),
        }
        self.gone = asyncio.Event()

    async def receive(self):
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message):
        self.sent.append(message)

    def status(self):
        return self.sent[0]["status"]

    def headers(self):
        return dict(self.sent[0]["headers"])

    def body(self):
        return b"".join(m.get("body", b"") for m in self.sent[1:])


def test_the_stream_sends_events_as_the_session_changes_and_ends_with_the_page():
    source = Revisions(s7=2)

    async def scenario():
        hub = Hub(source, interval=60, run_in_thread=direct)
        app = LiveApp(hub, allowed_origins=frozenset({"http://portal.example"}))
        client = Client(
            app, "/doi-thoai/7/su-kien/", b"sau=2&lang=en", [(b"origin", b"http://portal.example")]
        )
        request = asyncio.create_task(app(client.scope, client.receive, client.send))
        await asyncio.sleep(0.01)
        source.current[7] = 3
        await hub.poll()
        await asyncio.sleep(0.01)
        client.gone.set()
        await asyncio.wait_for(request, 1)
        return hub, client

    hub, client = run(scenario())
    assert client.status() == 200
    assert client.headers()[b"content-type"] == b"text/event-stream; charset=utf-8"
    assert client.headers()[b"access-control-allow-origin"] == b"http://portal.example"
    assert client.body() == b"retry: 3000\n\nid: 3\nevent: update\ndata: 2-en\n\n"
    assert hub.count() == 0  # the viewer left with its page


def test_the_browser_reconnecting_says_its_last_revision_and_catches_up():
    source = Revisions(s7=6)

    async def scenario():
        hub = Hub(source, interval=60, run_in_thread=direct)
        app = LiveApp(hub)
        client = Client(app, "/doi-thoai/7/su-kien/", b"sau=1", [(b"last-event-id", b"4")])
        request = asyncio.create_task(app(client.scope, client.receive, client.send))
        await asyncio.sleep(0.01)
        client.gone.set()
        await asyncio.wait_for(request, 1)
        return client

    client = run(scenario())
    assert client.body() == b"retry: 3000\n\nid: 6\nevent: update\ndata: 4-vi\n\n"  # from 4, not from 1
    assert b"access-control-allow-origin" not in client.headers()  # no origin allowed but the site's own


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [
        ("/doi-thoai/8/su-kien/", "GET", 404),  # no such session for the public
        ("/doi-thoai/7/su-kien/", "POST", 405),
        ("/doi-thoai/7/", "GET", 404),  # not a stream, and no Django behind this one
    ],
)
def test_what_is_not_a_stream_of_a_public_session(path, method, status):
    async def scenario():
        app = LiveApp(Hub(Revisions(s7=1), interval=60, run_in_thread=direct))
        client = Client(app, path)
        client.scope["method"] = method
        await app(client.scope, client.receive, client.send)
        return client

    assert run(scenario()).status() == status


def test_other_requests_go_to_the_site_behind():
    seen = []

    async def site(scope, receive, send):
        seen.append(scope["path"])

    async def scenario():
        app = LiveApp(Hub(Revisions(), interval=60, run_in_thread=direct), fallback=site)
        client = Client(app, "/thu-tuc/")
        await app(client.scope, client.receive, client.send)

    run(scenario())
    assert seen == ["/thu-tuc/"]
