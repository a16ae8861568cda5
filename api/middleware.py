"""ASGI middleware: every request's guard checks, rate limits, admission, Idempotency-Key replay."""

import functools
import hashlib
import itertools
import json
import logging
import math
import re
import threading
import uuid
from datetime import timedelta
from typing import Any

import anyio
from anyio.lowlevel import RunVar
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, col
from starlette.responses import StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import rate_limits
from api.db import SessionFactory, for_writing
from api.errors import (
    BROWSER_SAFE,
    BadRequest,
    Conflict,
    PayloadTooLarge,
    ProblemError,
    ServiceUnavailable,
    TooManyRequests,
    ValidationFailed,
    problem_response,
    unavailable,
)
from api.logs import REQUEST_ID
from api.models import IdempotencyRecord, utcnow
from api.monitoring import IN_FLIGHT, RATE_LIMITED, SHED, STALLED, WAITING

log = logging.getLogger(__name__)
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")

ABANDONED = timedelta(minutes=1)
NEVER_STORED = ("/api/v1/auth/",)
REPLAYED_HEADERS = ("content-type", "location", "etag")


async def _send_problem(scope: Scope, receive: Receive, send: Send, error: ProblemError) -> None:
    await problem_response(error)(scope, receive, send)


TICKET = "admission"  # the scope key of a request's Ticket


class Ticket:
    """A request's place in Admission, and the download it may trade that place for.

    A file (a list's `?format=csv|xlsx`, an open-data file) is read a page at a time, each
    page in a short session of its own, and a slow client keeps it sending for minutes while
    it holds no connection between pages. Counted as a request until its last byte, ten of
    them shut a worker's API (every other request waited 10 s for a 503). So a download
    takes one of a smaller number of places of its own before it reads anything
    (`start_download`), and gives its request's place back as it starts sending (`Download`).
    """

    __slots__ = ("_downloads", "_slots", "admitted", "downloading", "stall")

    def __init__(self, slots: anyio.Semaphore, downloads: threading.BoundedSemaphore, stall: float) -> None:
        self._slots, self._downloads, self.stall = slots, downloads, stall
        self.admitted, self.downloading = True, False

    def download(self) -> bool:
        """Take a download's place, in any thread (the endpoint's); False when none is free."""
        if not self.downloading:
            self.downloading = self._downloads.acquire(blocking=False)
        return self.downloading

    def leave(self) -> None:
        """Give the request's place back (on the event loop): its download is counted instead."""
        if self.admitted:
            self.admitted = False
            self._slots.release()

    def close(self) -> None:
        self.leave()
        if self.downloading:
            self.downloading = False
            self._downloads.release()


def start_download(scope: Scope) -> None:
    """This request answers with a file: count it as a download, or refuse it with a 503.

    Refused at once rather than queued: a download lasts seconds to minutes, and one waiting
    for a place would hold its request's place meanwhile, which is what downloads must not do.
    """
    ticket: Ticket | None = scope.get(TICKET)  # none on a path Admission does not count
    if ticket is not None and not ticket.download():
        raise ServiceUnavailable(
            "The server is sending as many files as it can at once; retry shortly.",
            headers={"Retry-After": "5"},
        )


class Stalled(Exception):
    """The client took nothing of a download for the ticket's `stall` seconds."""


class Download(StreamingResponse):
    """A file, sent as it is read; counted as a download (`start_download`) once it starts sending.

    A client that stops reading (its socket full, the connection left open) would hold its
    download's place for ever, and a few of them every place: one whose next chunk cannot be
    sent within `stall` seconds is cut off, as nginx's send_timeout does. Reading slowly is fine.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ticket: Ticket | None = scope.get(TICKET)
        if ticket is None or not ticket.downloading:
            return await super().__call__(scope, receive, send)
        ticket.leave()  # its first page is read; the rest are read outside the requests' limit

        async def sending(message: Message) -> None:
            with anyio.move_on_after(ticket.stall) as waited:
                await send(message)
            if waited.cancelled_caught:
                raise Stalled

        try:
            await super().__call__(scope, receive, sending)
        except Stalled:
            log.info("download cut off: its client read nothing for %s s", ticket.stall)
            STALLED.inc()


# Liveness is answered whatever the load (and scrapes), so a busy worker is not restarted.
ALWAYS_ADMITTED = ("/healthz", "/metrics")


class Admission:
    """At most `limit` requests inside the app at once; the rest wait their turn in order.

    Why: each request inside holds a worker thread and, while it runs, a pooled database
    connection. Unbounded, 64 clients took all of anyio's 40 threads with requests waiting
    for one of 5 connections, while the requests holding those connections needed a thread
    to validate their response: nothing moved until the pool timed out. Admitting no more
    requests than there are connections means no request ever waits inside. A request that
    cannot get in within `wait` seconds, or finds `queue` requests already waiting, is
    answered 503 with Retry-After at once: load is shed, never left hanging.

    A file being sent leaves this count for one of its own, of at most `downloads` (see
    Ticket). Each of them reads one page at a time with a connection of its own, so the pool
    has `limit + downloads` connections (api.main): a page read never waits for one, nor
    takes a request's.
    """

    QUICK = 0.25  # seconds a request waits before it also listens for its client leaving

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        queue: int,
        wait: float,
        exempt: tuple[str, ...],
        downloads: int,
        stall: float = 60.0,
    ) -> None:
        self.app, self.limit, self.queue, self.wait, self.exempt = app, limit, queue, wait, exempt
        self.stall = stall
        # Per event loop (a test client runs each app in a loop of its own) and per app, so
        # two apps in one loop never share slots.
        self._state: RunVar[tuple[anyio.Semaphore, list[int]]] = RunVar(f"admission-{id(self)}")
        # Per app, whatever the loop: a download's place is taken in the endpoint's thread.
        self.downloads = threading.BoundedSemaphore(downloads)
        self.busy = ServiceUnavailable("The server is busy; retry shortly.", headers={"Retry-After": "1"})

    def _slots(self) -> tuple[anyio.Semaphore, list[int]]:
        try:
            return self._state.get()
        except LookupError:
            state = (anyio.Semaphore(self.limit, fast_acquire=True), [0])
            self._state.set(state)
            return state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            return await self.app(scope, receive, send)
        slots, waiting = self._slots()
        if slots.value == 0:  # the common case skips the queue's bookkeeping
            if waiting[0] >= self.queue:
                SHED.inc()
                return await _send_problem(scope, receive, send, self.busy)
            waiting[0] += 1
            WAITING.inc()
            try:
                admitted, receive = await self._wait_for(slots, receive)
            finally:
                waiting[0] -= 1
                WAITING.dec()
            if admitted is None:
                return  # the client left while waiting: serve the next one instead
            if not admitted:
                SHED.inc()
                return await _send_problem(scope, receive, send, self.busy)
        else:
            await slots.acquire()
        scope[TICKET] = ticket = Ticket(slots, self.downloads, self.stall)
        IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, send)
        finally:
            ticket.close()
            IN_FLIGHT.dec()

    async def _wait_for(self, slots: anyio.Semaphore, receive: Receive) -> tuple[bool | None, Receive]:
        """Wait for a slot while listening for the client leaving (True, False on timeout, None if gone).

        Messages read meanwhile (the request body) are handed on to the app unchanged. A
        short wait, the common one under load, skips the listening: a task per waiting
        request was a tenth of the event loop's time. A client that leaves within it costs
        at most that short a wait of wasted work.
        """
        with anyio.move_on_after(min(self.QUICK, self.wait)):
            await slots.acquire()
            return True, receive
        held: list[Message] = []
        gone = acquired = False

        async def watch() -> None:
            nonlocal gone
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    gone = True
                    tasks.cancel_scope.cancel()
                    return
                held.append(message)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(watch)
            with anyio.move_on_after(max(self.wait - self.QUICK, 0)):
                await slots.acquire()
                acquired = True
            tasks.cancel_scope.cancel()
        if gone:
            if acquired:
                slots.release()
            return None, receive
        return acquired, _replay_messages(held, receive)


class Guard:
    """The checks every request passes before any work, in one pass over its headers.

    - Its id: the caller's X-Request-ID when it is sane, else a new one. It is echoed in
      the response and kept with each change the request makes, so a partner's log line
      and our audit trail can be matched.
    - Its host: 400 for a Host header we do not serve (Location and Link are built from it).
    - Its URL: 422 for a NUL character in the path or query (no database can compare it).
    - Its body: 413 over the limit, whether announced by Content-Length or streamed.
    """

    REQUEST_ID = b"x-request-id"

    def __init__(
        self,
        app: ASGIApp,
        allowed_hosts: list[str],
        max_body_bytes: int,
        uploads: tuple[str, ...] = (),
        max_upload_bytes: int = 0,
    ) -> None:
        self.app, self.allowed, self.exact = app, allowed_hosts, frozenset(allowed_hosts)
        self.max_bytes = max_body_bytes
        self.too_large = PayloadTooLarge(f"The request body is larger than {max_body_bytes} bytes.")
        # Paths that take files: counted as they stream in, not held (they are spooled to disk).
        self.uploads, self.max_upload_bytes = uploads, max_upload_bytes
        # A random prefix per process and a counter: unique across replicas, and without a
        # call for random bytes on every request (uuid4 was 3% of the event loop's time).
        self.prefix, self.count = uuid.uuid4().hex[:16], itertools.count()

    def _trusted(self, host: str) -> bool:
        return host in self.exact or any(
            pattern == "*" or host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:]))
            for pattern in self.allowed
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        given = headers.get(self.REQUEST_ID, b"").decode("latin-1")
        request_id = given if SAFE_REQUEST_ID.fullmatch(given) else f"{self.prefix}{next(self.count):016x}"
        scope.setdefault("state", {})["request_id"] = request_id
        REQUEST_ID.set(request_id)  # for the log records written while answering it
        echo = (self.REQUEST_ID, request_id.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), echo]
            await send(message)

        error = self._refusal(scope, headers)
        if error is not None:
            return await _send_problem(scope, receive, send_with_id, error)
        length = headers.get(b"content-length")
        if length is None and b"transfer-encoding" not in headers:
            return await self.app(scope, receive, send_with_id)  # no body (RFC 9112, 6.3)
        if scope["path"] in self.uploads:
            if length is not None and (not length.isdigit() or int(length) > self.max_upload_bytes):
                return await _send_problem(scope, receive, send_with_id, self._upload_too_large())
            return await self._upload(scope, receive, send_with_id)
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await _send_problem(scope, receive, send_with_id, self.too_large)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                return await _send_problem(scope, receive, send_with_id, self.too_large)
            more = message.get("more_body", False)
        await self.app(scope, _replay(body, receive), send_with_id)

    def _upload_too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"The file is larger than {self.max_upload_bytes} bytes.")

    async def _upload(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A file streams through, counted; past the limit the client gets a 413 at once and
        the app is told the client left (whatever it answers to that is not sent)."""
        seen, refused = 0, False

        async def counted() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_upload_bytes:
                refused = True
                await _send_problem(scope, receive, send, self._upload_too_large())
                return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counted, unless_refused)

    def _refusal(self, scope: Scope, headers: dict[bytes, bytes]) -> ProblemError | None:
        raw = headers.get(b"host", b"").decode("latin-1")
        host = raw[1 : raw.find("]")] if raw.startswith("[") else raw.rsplit(":", 1)[0]
        if not self._trusted(host):
            return BadRequest(f"This API does not answer to the host name {host!r}.")
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
            return ValidationFailed.single("url", "The URL may not contain NUL (%00) characters.")
        return None


class SecurityHeaders:
    """Headers that make every answer safe to meet in a browser; outermost, so refusals carry them too.

    - `X-Content-Type-Options: nosniff`: a JSON or CSV answer is never run as a script or
      rendered as a page, whatever its values look like.
    - `Referrer-Policy: no-referrer`: an answer opened as a page (the docs, a file) names no
      URL of ours to anyone; nothing here reads a Referer, so nothing needs one, and
      strict-origin-when-cross-origin would still hand other sites our origin.
    - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`, unless the answer
      has its own (the docs pages): an answer opened as a page loads and runs nothing and
      cannot be framed. The web app reads answers with fetch, to which it does not apply.
    - `Cache-Control: no-store` on every answer to a request with credentials (Authorization,
      X-API-Key), errors included, and on sign-in answers (tokens, RFC 6749 5.1), whatever
      the route said: what one caller may read is never kept by a shared cache or on disk.
    """

    POLICY = b"content-security-policy"
    CREDENTIALS = frozenset({b"authorization", b"x-api-key"})
    NO_STORE = (b"cache-control", b"no-store")

    def __init__(self, app: ASGIApp, never_stored: tuple[str, ...] = NEVER_STORED) -> None:
        self.app, self.never_stored = app, never_stored
        self.ours = [(name.lower().encode(), value.encode()) for name, value in BROWSER_SAFE.items()]
        self.beside_a_policy = [header for header in self.ours if header[0] != self.POLICY]
        self.replaced = frozenset(name for name, _ in self.beside_a_policy)
        self.replaced_if_private = self.replaced | {b"cache-control"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        private = scope["path"].startswith(self.never_stored) or any(
            name in self.CREDENTIALS for name, _ in scope["headers"]
        )
        replaced = self.replaced_if_private if private else self.replaced

        async def send_safely(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in replaced]
                own_policy = any(k.lower() == self.POLICY for k, _ in headers)
                headers += self.beside_a_policy if own_policy else self.ours
                if private:
                    headers.append(self.NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_safely)


class RateLimit:
    """At most so many requests per window per caller; past it, 429 with Retry-After, before any work.

    The caller: a credential (`X-API-Key`, or a bearer: an API key or a signed-in session's
    token) by its SHA-256, else the client address (uvicorn believes X-Forwarded-For from
    trusted proxies only). A credential is not checked here (no database lookup before
    Admission): checking it is the app's job, after. So that an invented one cannot buy a
    fresh bucket, every request with a credential also counts against its address, under a
    cap several busy systems behind one address can share. Outside Admission, so a refused
    caller never takes a slot. Every answer says where its caller stands, as
    draft-ietf-httpapi-ratelimit-headers defines: `RateLimit-Policy` and `RateLimit`.
    """

    def __init__(
        self,
        app: ASGIApp,
        store: rate_limits.Store,
        window: int,
        anonymous: int,
        credential: int,
        address: int,
    ) -> None:
        self.app, self.store, self.window = app, store, window
        self.anonymous = rate_limits.Policy("anonymous", anonymous)
        self.credential = rate_limits.Policy("credential", credential)
        self.address = rate_limits.Policy("address", address)

    def _callers(self, scope: Scope) -> list[tuple[rate_limits.Policy, str]]:
        client = scope.get("client")
        address = client[0] if client else ""
        credential = None
        for name, value in scope["headers"]:
            if name == b"x-api-key" or (name == b"authorization" and value[:7].lower() == b"bearer "):
                credential = value
                break
        if credential is None:
            callers = [(self.anonymous, address)]
        else:
            callers = [(self.credential, hashlib.sha256(credential).hexdigest()), (self.address, address)]
        return [(policy, caller) for policy, caller in callers if policy.quota > 0]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or rate_limits.exempt(scope["path"]):
            return await self.app(scope, receive, send)
        callers = self._callers(scope)
        now = rate_limits.clock()
        period = int(now // self.window)
        counts = (
            await self.store.hit([policy.bucket(caller) for policy, caller in callers], period)
            if callers
            else None
        )
        if counts is None:
            return await self.app(scope, receive, send)
        reset = max(math.ceil((period + 1) * self.window - now), 1)
        policies = [policy for policy, _ in callers]
        header = {
            "RateLimit-Policy": ", ".join(f'"{p.name}";q={p.quota};w={self.window}' for p in policies),
            "RateLimit": ", ".join(
                f'"{p.name}";r={max(p.quota - count, 0)};t={reset}'
                for p, count in zip(policies, counts, strict=True)
            ),
        }
        over = [p for p, count in zip(policies, counts, strict=True) if count > p.quota]
        if over:
            RATE_LIMITED.labels("requests").inc()
            refusal = TooManyRequests(
                f"Over {over[0].quota} requests in {self.window} s ({over[0].name}); retry in {reset} s.",
                headers={**header, "Retry-After": str(reset)},
            )
            return await _send_problem(scope, receive, send, refusal)
        extra = [(name.lower().encode(), value.encode()) for name, value in header.items()]

        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_limits)


def _committed(key: str, path: str, session: Session) -> None:
    K = IdempotencyRecord
    session.execute(update(K).where(col(K.key) == key, col(K.path) == path).values(committed=True))


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, as one message; then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _replay_messages(held: list[Message], receive: Receive) -> Receive:
    async def replay() -> Message:
        return held.pop(0) if held else await receive()

    return replay


async def _read_body(receive: Receive) -> bytes:
    body, more = b"", True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


class Idempotency:
    """A POST retried with the same Idempotency-Key gets the first answer, not a duplicate.

    Keys live in the database (not in memory) so they hold across replicas. A key first
    claims its row, so two concurrent requests with one key cannot both run.
    """

    def __init__(self, app: ASGIApp, sessions: Any, ttl_hours: int) -> None:
        self.app, self.ttl = app, timedelta(hours=ttl_hours)
        self._sessions = sessions

    @property
    def sessions(self) -> SessionFactory:
        factory: SessionFactory = self._sessions()
        return factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = dict(scope.get("headers", [])).get(b"idempotency-key")
        # Sign-in answers carry tokens: they are never stored, so never replayed.
        never_stored = scope.get("path", "").startswith(NEVER_STORED)
        if scope["type"] != "http" or scope["method"] != "POST" or key is None or never_stored:
            return await self.app(scope, receive, send)
        if not 1 <= len(key) <= 255:
            error = ValidationFailed.single("header.Idempotency-Key", "Use 1 to 255 characters.")
            return await _send_problem(scope, receive, send, error)
        body = await _read_body(receive)
        digest = hashlib.sha256(body).hexdigest()
        # A key is the caller's own: two clients choosing the same key never meet.
        headers = dict(scope["headers"])
        caller = headers.get(b"authorization", b"") + b"\0" + headers.get(b"x-api-key", b"")
        path = hashlib.sha256(scope["path"].encode() + b"\0" + caller).hexdigest()
        try:
            outcome = await anyio.to_thread.run_sync(self._claim, key.decode("latin-1"), path, digest)
        except (OperationalError, PoolTimeout) as exc:  # outside the app's handlers: answered here
            return await _send_problem(scope, receive, send, unavailable(exc))
        if isinstance(outcome, ProblemError):
            return await _send_problem(scope, receive, send, outcome)
        if outcome is not None:
            return await self._send_stored(outcome, send)
        claim = (key.decode("latin-1"), path)
        scope.setdefault("state", {})["before_commit"] = [functools.partial(_committed, *claim)]
        captured: dict[str, Any] = {"body": b""}

        async def capture(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                captured["status"] = msg["status"]
                captured["headers"] = {
                    k.decode("latin-1"): v.decode("latin-1")
                    for k, v in msg["headers"]
                    if k.decode("latin-1") in REPLAYED_HEADERS
                }
            elif msg["type"] == "http.response.body":
                captured["body"] += msg.get("body", b"")
            await send(msg)

        try:
            await self.app(scope, _replay(body, receive), capture)
        finally:
            try:
                await anyio.to_thread.run_sync(self._finish, key.decode("latin-1"), path, captured)
            except (OperationalError, PoolTimeout) as exc:
                # The answer has gone out; the claim stays unfinished, and a retry is told so
                # (409) until it is abandoned.
                log.warning("idempotency record not saved: %s", type(exc).__name__)

    def _claim(self, key: str, path: str, digest: str) -> IdempotencyRecord | ProblemError | None:
        in_progress = Conflict("A request with this Idempotency-Key is still in progress.")
        answer_lost = Conflict(
            "The request with this Idempotency-Key was carried out, but the server stopped before "
            "answering it. It will not be carried out again: read the result instead."
        )
        with for_writing(self.sessions()) as session:
            now = utcnow()
            session.execute(
                delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < now - self.ttl)
            )
            found = session.get(IdempotencyRecord, (key, path))
            if (
                found is not None
                and found.status is None
                and not found.committed
                and found.created_at < now - ABANDONED
            ):
                session.delete(found)  # its request died before committing: run it again
                session.flush()
                found = None
            if found is None:
                session.add(IdempotencyRecord(key=key, path=path, request_hash=digest))
                try:
                    session.commit()
                except IntegrityError:
                    return in_progress
                return None
            session.commit()
            if found.request_hash != digest:
                return ValidationFailed.single(
                    "header.Idempotency-Key",
                    "This key was already used with a different request body.",
                    "idempotency_key_reused",
                )
            if found.status is None:
                return answer_lost if found.committed else in_progress
            session.expunge(found)
            return found

    def _finish(self, key: str, path: str, captured: dict[str, Any]) -> None:
        with for_writing(self.sessions()) as session:
            record = session.get(IdempotencyRecord, (key, path))
            if record is None:
                return
            status = captured.get("status")
            if not record.committed and (status is None or not 200 <= status < 300):
                # Nothing done: a retry runs again (after a refusal the client fixes and retries).
                session.delete(record)
            elif status is not None:  # kept for replay; a committed claim without one tells a retry it ran
                record.status = status
                record.headers = json.dumps(captured["headers"])
                record.body = captured["body"]
            session.commit()

    async def _send_stored(self, record: IdempotencyRecord, send: Send) -> None:
        headers = [(k.encode(), v.encode()) for k, v in json.loads(record.headers or "{}").items()]
        headers.append((b"idempotent-replayed", b"true"))
        await send({"type": "http.response.start", "status": record.status, "headers": headers})
        await send({"type": "http.response.body", "body": record.body or b""})
