"""ASGI middleware: the body size limit and Idempotency-Key replay for POSTs."""

import hashlib
import json
import re
import uuid
from datetime import timedelta
from typing import Any

import anyio
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.db import SessionFactory, for_writing
from api.errors import BadRequest, Conflict, PayloadTooLarge, ProblemError, ValidationFailed, problem_response
from api.models import IdempotencyRecord, utcnow

SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")

ABANDONED = timedelta(minutes=1)
NEVER_STORED = ("/api/v1/auth/",)
REPLAYED_HEADERS = ("content-type", "location", "etag")


async def _send_problem(scope: Scope, receive: Receive, send: Send, error: ProblemError) -> None:
    await problem_response(error)(scope, receive, send)


class BodyLimit:
    """413 for bodies over the limit, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = PayloadTooLarge(f"The request body is larger than {self.max_bytes} bytes.")
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await _send_problem(scope, receive, send, too_large)
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                return await _send_problem(scope, receive, send, too_large)
            more = message.get("more_body", False)
        await self.app(scope, _replay(body, receive), send)


class RejectNul:
    """422 for a NUL character anywhere in the path or query: no database can compare it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"] or b"%00" in scope.get("query_string", b"")):
            error = ValidationFailed.single("url", "The URL may not contain NUL (%00) characters.")
            return await _send_problem(scope, receive, send, error)
        await self.app(scope, receive, send)


class RequestId:
    """Every request has an id: the caller's X-Request-ID when it is sane, else a new one.

    It is echoed in the response and kept with each change the request makes, so a
    partner's log line and our audit trail can be matched.
    """

    HEADER = b"x-request-id"

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = dict(scope["headers"]).get(self.HEADER, b"").decode("latin-1")
        request_id = given if SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (self.HEADER, request_id.encode())]
            await send(message)

        await self.app(scope, receive, send_with_id)


class TrustedHosts:
    """400 for a Host header we do not serve: Location and Link URLs are built from it."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app, self.allowed = app, allowed

    def _trusted(self, host: str) -> bool:
        return any(
            pattern == "*" or host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:]))
            for pattern in self.allowed
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            host = raw[1 : raw.find("]")] if raw.startswith("[") else raw.rsplit(":", 1)[0]
            if not self._trusted(host):
                error = BadRequest(f"This API does not answer to the host name {host!r}.")
                return await _send_problem(scope, receive, send, error)
        await self.app(scope, receive, send)


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
        outcome = await anyio.to_thread.run_sync(self._claim, key.decode("latin-1"), path, digest)
        if isinstance(outcome, ProblemError):
            return await _send_problem(scope, receive, send, outcome)
        if outcome is not None:
            return await self._send_stored(outcome, send)
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
            await anyio.to_thread.run_sync(self._finish, key.decode("latin-1"), path, captured)

    def _claim(self, key: str, path: str, digest: str) -> IdempotencyRecord | ProblemError | None:
        in_progress = Conflict("A request with this Idempotency-Key is still in progress.")
        with for_writing(self.sessions()) as session:
            now = utcnow()
            session.execute(
                delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < now - self.ttl)
            )
            found = session.get(IdempotencyRecord, (key, path))
            if found is not None and found.status is None and found.created_at < now - ABANDONED:
                session.delete(found)  # its request died before answering: run it again
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
                return in_progress
            session.expunge(found)
            return found

    def _finish(self, key: str, path: str, captured: dict[str, Any]) -> None:
        with for_writing(self.sessions()) as session:
            record = session.get(IdempotencyRecord, (key, path))
            if record is None:
                return
            status = captured.get("status")
            # Only a success is worth replaying; after a refusal the client fixes and retries.
            if status is None or not 200 <= status < 300:
                session.delete(record)
            else:
                record.status = status
                record.headers = json.dumps(captured["headers"])
                record.body = captured["body"]
            session.commit()

    async def _send_stored(self, record: IdempotencyRecord, send: Send) -> None:
        headers = [(k.encode(), v.encode()) for k, v in json.loads(record.headers or "{}").items()]
        headers.append((b"idempotent-replayed", b"true"))
        await send({"type": "http.response.start", "status": record.status, "headers": headers})
        await send({"type": "http.response.body", "body": record.body or b""})
