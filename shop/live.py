"""Live events: publish a small message on a named channel, stream it to whoever listens.

Publishing is sync (a web process, a worker, a task, after its transaction commits); listening
is async (the ASGI event process, `/events/`). With LIVE_REDIS_URL (by default REDIS_URL) a
message goes through Redis: kept in a short stream per channel, so a client that reconnects
with `Last-Event-ID` gets what it missed, and published on a pub/sub channel that every event
process hears through one connection. Without Redis (`make run`) the same happens within the
process. Channels are opaque names; what they mean is the caller's business.
"""

import asyncio
import contextlib
import json
import logging
import secrets
import signal
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

from django.conf import settings

from shop.breaker import breaker_for

logger = logging.getLogger(__name__)

# Adds the message to the channel's replay stream (last LIVE_REPLAY_EVENTS, forgotten after
# LIVE_REPLAY_SECONDS) and publishes it with the id the stream gave, in one round trip.
_PUBLISH = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'data', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', KEYS[2], id .. ' ' .. ARGV[2])
return id
"""

_SHUTDOWN = object()


@dataclass(frozen=True)
class LiveEvent:
    id: str
    data: dict


def _id_key(event_id: str) -> tuple[int, int] | None:
    """Event ids are `<milliseconds>-<sequence>` (Redis stream ids); None for anything else."""
    head, sep, tail = event_id.partition("-")
    if not sep or not (head.isascii() and head.isdigit() and tail.isascii() and tail.isdigit()):
        return None
    if len(head) > 15 or len(tail) > 15:
        return None
    return int(head), int(tail)


def _redis_url() -> str:
    return settings.LIVE_REDIS_URL


def _key(kind: str, channel: str) -> str:
    return f"{settings.LIVE_KEY_PREFIX}{kind}:{channel}"


# ------------------------------------------------------------------------------
# Without Redis: one process
# ------------------------------------------------------------------------------
class _LocalBuffer:
    """The replay buffer and id counter of a process without Redis; safe between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = (0, 0)
        self._events: dict[str, deque[tuple[float, LiveEvent]]] = {}

    def add(self, channel: str, data: dict) -> LiveEvent:
        with self._lock:
            ms = int(time.time() * 1000)
            self._last = (ms, 0) if ms > self._last[0] else (self._last[0], self._last[1] + 1)
            event = LiveEvent(id=f"{self._last[0]}-{self._last[1]}", data=data)
            kept = self._events.setdefault(channel, deque(maxlen=settings.LIVE_REPLAY_EVENTS))
            kept.append((time.monotonic(), event))
            return event

    def since(self, channel: str, last: tuple[int, int]) -> list[LiveEvent]:
        oldest = time.monotonic() - settings.LIVE_REPLAY_SECONDS
        with self._lock:
            kept = list(self._events.get(channel, ()))
        return [e for at, e in kept if at >= oldest and _id_key(e.id) > last]


_local = _LocalBuffer()


# ------------------------------------------------------------------------------
# Publishing (sync)
# ------------------------------------------------------------------------------
_sync_clients: dict[str, object] = {}


def _sync_redis(url: str):
    import redis

    client = _sync_clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        _sync_clients[url] = client
    return client


def live_publish(*, channel: str, data: dict) -> str | None:
    """Send `data` to every stream listening on `channel`, in any event process; return the
    event's id, or None when Redis is away (the pages' revalidation on focus covers it)."""
    url = _redis_url()
    if not url:
        event = _local.add(channel, data)
        hub.deliver_threadsafe(channel, event)
        return event.id
    breaker = breaker_for("Redis (live events)", url)
    if not breaker.allows():
        return None
    payload = json.dumps(data, separators=(",", ":"))
    try:
        client = _sync_redis(url)
        event_id = client.eval(
            _PUBLISH,
            2,
            _key("buf", channel),
            _key("ch", channel),
            settings.LIVE_REPLAY_EVENTS,
            payload,
            settings.LIVE_REPLAY_SECONDS,
        )
    except Exception as exc:  # any Redis failure: the change itself is already committed
        breaker.failed(exc)
        return None
    breaker.succeeded()
    return event_id.decode() if isinstance(event_id, bytes) else str(event_id)


# ------------------------------------------------------------------------------
# Listening (async, in the event process)
# ------------------------------------------------------------------------------
class _Hub:
    """Each event process's switchboard: one Redis subscription for the whole process, handing
    each message to the local queues of its channel."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._queues: dict[str, set[asyncio.Queue]] = {}
        self._listener: asyncio.Task | None = None
        self._redis = None
        self.closing = False

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a new event loop (tests, a reload): start afresh
            self.loop = loop
            self._queues = {}
            self._listener = None
            self._redis = None
            self.closing = False
            install_shutdown_handlers()
        if _redis_url() and (self._listener is None or self._listener.done()):
            self._listener = loop.create_task(self._listen(_redis_url()))

    def deliver_threadsafe(self, channel: str, event: LiveEvent) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._deliver, channel, event)

    def _deliver(self, channel: str, event) -> None:
        for queue in list(self._queues.get(channel, ())):
            queue.put_nowait(event)

    def shutdown(self) -> None:
        """End every open stream (the server is stopping): each says goodbye and closes."""
        self.closing = True
        for queues in list(self._queues.values()):
            for queue in list(queues):
                queue.put_nowait(_SHUTDOWN)

    def shutdown_threadsafe(self) -> None:
        loop = self.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.shutdown)

    async def _listen(self, url: str) -> None:
        import redis.asyncio as aioredis

        pattern = _key("ch", "*")
        prefix_len = len(_key("ch", ""))
        while True:
            client = aioredis.Redis.from_url(url, socket_connect_timeout=2)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(pattern)
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    channel = message["channel"].decode()[prefix_len:]
                    event_id, _sp, payload = message["data"].decode().partition(" ")
                    try:
                        self._deliver(channel, LiveEvent(id=event_id, data=json.loads(payload)))
                    except ValueError:
                        continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("live events: Redis subscription lost (%s); retrying", exc)
                await asyncio.sleep(1)
            finally:
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except Exception:
                    pass

    async def replay(self, channel: str, last_event_id: str) -> list[LiveEvent]:
        last = _id_key(last_event_id)
        if last is None:
            return []
        url = _redis_url()
        if not url:
            return _local.since(channel, last)
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            rows = await client.xrange(_key("buf", channel), min=f"({last[0]}-{last[1]}")
        except Exception as exc:
            logger.warning("live events: no replay from Redis (%s)", exc)
            return []
        finally:
            await client.aclose()
        events = []
        for event_id, fields in rows:
            try:
                events.append(LiveEvent(id=event_id.decode(), data=json.loads(fields[b"data"])))
            except (KeyError, ValueError):
                continue
        return events

    def subscribe(self, channel: str) -> asyncio.Queue:
        self._bind()
        queue: asyncio.Queue = asyncio.Queue()
        self._queues.setdefault(channel, set()).add(queue)
        return queue

    def unsubscribe(self, channel: str, queue: asyncio.Queue) -> None:
        queues = self._queues.get(channel)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                self._queues.pop(channel, None)


hub = _Hub()


def _sse(
    *,
    event: str | None = None,
    data: str | None = None,
    event_id: str | None = None,
    comment: str | None = None,
    retry: int | None = None,
) -> str:
    lines = []
    if comment is not None:
        lines.append(f": {comment}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if event is not None:
        lines.append(f"event: {event}")
    if data is not None:
        lines.append(f"data: {data}")
    return "\n".join(lines) + "\n\n"


async def live_stream(
    *, channel: str, event: str, last_event_id: str = "", slot: "StreamSlot | None" = None
) -> AsyncIterator[str]:
    """The text of a Server-Sent Events stream of `channel`: what was missed since
    `last_event_id`, then each event as it comes, a comment every LIVE_HEARTBEAT_SECONDS, and
    a clean end (with a hint to reconnect soon) when the server stops."""
    queue = hub.subscribe(channel)  # before the replay, so nothing falls in between
    sent = _id_key(last_event_id) or (0, 0)
    try:
        yield _sse(retry=settings.LIVE_RETRY_MS, comment="connected")
        for missed in await hub.replay(channel, last_event_id):
            sent = max(sent, _id_key(missed.id) or sent)
            yield _sse(event=event, event_id=missed.id, data=json.dumps(missed.data))
        while not hub.closing:
            try:
                item = await asyncio.wait_for(queue.get(), settings.LIVE_HEARTBEAT_SECONDS)
            except TimeoutError:
                if slot is not None:
                    await slot.refresh()
                yield _sse(comment="heartbeat")
                continue
            if item is _SHUTDOWN:
                break
            key = _id_key(item.id)
            if key is not None and key <= sent:
                continue  # already sent by the replay
            sent = key or sent
            yield _sse(event=event, event_id=item.id, data=json.dumps(item.data))
        yield _sse(comment="server restarting", retry=settings.LIVE_RETRY_MS)
    finally:
        hub.unsubscribe(channel, queue)
        if slot is not None:
            await slot.release()


# ------------------------------------------------------------------------------
# The cap on streams per client
# ------------------------------------------------------------------------------
# Without Redis: each client's slots and when each lapses unless its heartbeat renews it.
_local_slots: dict[str, dict[str, float]] = {}
_local_slots_lock = threading.Lock()


class StreamSlot:
    """One of a client's LIVE_MAX_STREAMS_PER_CLIENT streams, counted across event processes
    (in Redis, each slot lapsing unless its stream's heartbeat renews it) or in this one."""

    def __init__(self, client: str) -> None:
        self.client = client
        self.member = secrets.token_hex(8)

    def _ttl(self) -> float:
        return settings.LIVE_HEARTBEAT_SECONDS * 3 + 5

    def take(self) -> bool:
        """Take a slot; False when the client already has its most."""
        cap = settings.LIVE_MAX_STREAMS_PER_CLIENT
        url = _redis_url()
        now = time.time()
        if not url:
            with _local_slots_lock:
                held = _local_slots.setdefault(self.client, {})
                for member, until in list(held.items()):
                    if until < now:
                        held.pop(member, None)
                if len(held) >= cap:
                    return False
                held[self.member] = now + self._ttl()
                return True
        key = _key("slots", self.client)
        try:
            client = _sync_redis(url)
            client.zremrangebyscore(key, "-inf", now)
            if client.zcard(key) >= cap:
                return False
            client.zadd(key, {self.member: now + self._ttl()})
            client.expire(key, int(self._ttl()) + 1)
            return True
        except Exception as exc:  # without Redis the cap cannot be counted: let it through
            logger.warning("live events: stream cap not counted (%s)", exc)
            return True

    async def refresh(self) -> None:
        url = _redis_url()
        if not url:
            with _local_slots_lock:
                held = _local_slots.get(self.client)
                if held is not None:
                    held[self.member] = time.time() + self._ttl()
            return
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            key = _key("slots", self.client)
            await client.zadd(key, {self.member: time.time() + self._ttl()})
            await client.expire(key, int(self._ttl()) + 1)
        except Exception:
            pass
        finally:
            await client.aclose()

    async def release(self) -> None:
        url = _redis_url()
        if not url:
            with _local_slots_lock:
                held = _local_slots.get(self.client)
                if held is not None:
                    held.pop(self.member, None)
                    if not held:
                        _local_slots.pop(self.client, None)
            return
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            await client.zrem(_key("slots", self.client), self.member)
        except Exception:
            pass
        finally:
            await client.aclose()


# ------------------------------------------------------------------------------
# Stopping
# ------------------------------------------------------------------------------
def install_shutdown_handlers() -> None:
    """On SIGTERM or SIGINT, end every open stream first, then let the server stop as it
    would: a server waits for open responses, and a stream would never finish by itself."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)
        if getattr(previous, "_live_streams_end", False):
            continue

        def handler(sig, frame, previous=previous):
            hub.shutdown_threadsafe()
            if callable(previous):
                previous(sig, frame)
            elif previous == signal.SIG_DFL:
                signal.signal(sig, signal.SIG_DFL)
                signal.raise_signal(sig)

        handler._live_streams_end = True
        signal.signal(signum, handler)
