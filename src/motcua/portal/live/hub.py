"""One process's viewers of live dialogue sessions, and the one poller that tells them what changed.

Each viewer holds a connection and a small queue. The poller reads the revisions of the sessions that have
viewers (one query every ``interval``), and when a session's revision moved it asks the source for the
message once per language and puts it in every viewer's queue: 10,000 viewers of one session cost one
query and two renders per change, not 10,000 requests. A viewer whose queue is full (a client that stopped
reading) is dropped; its browser reconnects and catches up from the revision it last saw.

Nothing here knows Django: the source (``source.DialogueSource``) reads the database in a thread.
"""

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

# Messages a viewer may have waiting before it counts as gone (a change is one message).
QUEUE_SIZE = 32


@dataclass(eq=False)
class Viewer:
    session_id: int
    language: str
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    dropped: bool = False

    def push(self, message: bytes | None) -> bool:
        """Queue ``message`` (None: the stream ends); False when the viewer stopped reading."""
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.dropped = True
            return False
        return True


class Source:
    """What the hub reads (implemented by ``source.DialogueSource``); both are called in a worker thread."""

    def revisions(self, session_ids: list[int]) -> dict[int, int]:
        """The current revision of each session that may be watched (announced); others are left out."""
        raise NotImplementedError

    def message(self, session_id: int, after: int, language: str) -> bytes:
        """The server-sent event that brings a page at revision ``after`` up to date."""
        raise NotImplementedError


class Hub:
    def __init__(
        self,
        source: Source,
        interval: float,
        run_in_thread: Callable[..., Awaitable],
        on_stop: Callable[[], None] | None = None,
    ):
        self.source = source
        self.on_stop = on_stop  # run in the thread at the end (the poller's database connection closed)
        self.interval = interval
        self.run_in_thread = run_in_thread
        self.viewers: dict[int, set[Viewer]] = defaultdict(set)
        self.revisions: dict[int, int] = {}
        self._messages: dict[tuple[int, int, int, str], bytes] = {}
        self._poller: asyncio.Task | None = None

    # --- viewers ---------------------------------------------------------------------------------------

    async def join(self, session_id: int, language: str, since: int | None) -> Viewer | None:
        """A new viewer of ``session_id`` (None when no such session may be watched). A viewer that says
        which revision its page shows (``since``) first gets what changed after it."""
        self.start()
        current = self.revisions.get(session_id)
        if current is None or not self.viewers.get(session_id):
            found = await self.run_in_thread(self.source.revisions, [session_id])
            if session_id not in found:
                return None
            current = self.revisions[session_id] = found[session_id]
        viewer = Viewer(session_id, language)
        if since is not None and since < current:
            viewer.push(await self._message(session_id, since, current, language))
        self.viewers[session_id].add(viewer)
        return viewer

    def leave(self, viewer: Viewer) -> None:
        watching = self.viewers.get(viewer.session_id)
        if watching is not None:
            watching.discard(viewer)
            if not watching:
                del self.viewers[viewer.session_id]

    def count(self) -> int:
        return sum(len(watching) for watching in self.viewers.values())

    # --- the poller ------------------------------------------------------------------------------------

    def start(self) -> None:
        if self._poller is None or self._poller.done():
            self._poller = asyncio.get_running_loop().create_task(self._run(), name="live-dialogue-poller")

    async def stop(self) -> None:
        for watching in self.viewers.values():
            for viewer in watching:
                viewer.push(None)
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
            self._poller = None
        if self.on_stop is not None:
            await self.run_in_thread(self.on_stop)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.poll()
            except Exception:  # a database hiccup must not end the live pages; the next poll tries again
                logger.exception("live dialogue poll failed")

    async def poll(self) -> None:
        """Read the watched sessions' revisions once and send each viewer what changed."""
        watched = [session_id for session_id, watching in self.viewers.items() if watching]
        if not watched:
            return
        current = await self.run_in_thread(self.source.revisions, watched)
        for session_id in watched:
            revision, before = current.get(session_id), self.revisions.get(session_id)
            if revision is None:  # withdrawn from the public: end its streams
                for viewer in list(self.viewers.pop(session_id, ())):
                    viewer.push(None)
                self.revisions.pop(session_id, None)
                continue
            if before is None or revision <= before:
                self.revisions[session_id] = revision
                continue
            await self._send(session_id, before, revision)
            self.revisions[session_id] = revision

    async def _send(self, session_id: int, before: int, revision: int) -> None:
        watching = self.viewers.get(session_id, set())
        for language in sorted({viewer.language for viewer in watching}):
            message = await self._message(session_id, before, revision, language)
            for viewer in list(watching):
                if viewer.language == language and not viewer.push(message):
                    watching.discard(viewer)

    async def _message(self, session_id: int, after: int, revision: int, language: str) -> bytes:
        key = (session_id, after, revision, language)
        message = self._messages.get(key)
        if message is None:
            message = await self.run_in_thread(self.source.message, session_id, after, language)
            if len(self._messages) > 256:  # a handful per change; old ones are never asked again
                self._messages.clear()
            self._messages[key] = message
        return message
