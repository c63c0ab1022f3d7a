"""Driving adapter, HTTP guards: arrival stamp, body size and content type, request metrics.

Pure ASGI middleware (not BaseHTTPMiddleware): it adds microseconds, not a task per request.
"""

import time
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entrypoints.api.metrics import ApiMetrics
from entrypoints.api.problems import problem

MAX_BODY_BYTES = 1_000_000
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def is_json(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


class RequestGuard:
    """Stamps `received_at` on arrival (the server's clock is the one the event time trusts),
    answers 413 over `max_body` and 415 for a body that is not JSON, before any parsing."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        if "received_at" not in state:  # the short path stamped it when it took the request
            state["received_at"] = datetime.now(UTC)
        if scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is None and _header(scope, b"content-length") is None:
            receive, refusal = await self._buffered(receive)
        if refusal is not None:
            await problem(*refusal, instance=scope["path"])(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return 413, f"The body must be at most {self.max_body} bytes."
        if not is_json(_header(scope, b"content-type")):
            return 415, "The body must be application/json."
        return None

    async def _buffered(self, receive: Receive) -> tuple[Receive, tuple[int, str] | None]:
        """A chunked body has no length up front: read it here, up to the limit."""
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return receive, (413, f"The body must be at most {self.max_body} bytes.")
            chunks.append(chunk)
            more = message.get("more_body", False)
        pending = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replay() -> Message:
            # The body once, then the real channel (which reports a disconnect).
            return pending.pop() if pending else await receive()

        return replay, None


class RequestMetrics:
    """Counts every answer and times it, labelled by route template (bounded cardinality)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            elapsed = time.perf_counter() - started
            self.metrics.observe_request(scope["method"], route, status, elapsed)
