"""Driving adapter, a short way to the hot write routes (POST /clicks, /clicks/batch, /orders).

FastAPI's request machinery (its middleware stack, routing past every route, solving
dependencies, re-validating the answer) cost more CPU than a click's use case (py-spy). Here a
request whose body and headers are plainly valid is served in front of all of it: stamped,
parsed and validated with the route's own pydantic model, handed to the route's own function,
answered with two raw ASGI messages, and counted in the request metrics; errors it raises go
through the app's own exception handlers. Anything else (no Content-Length, a body that is too
large, not JSON, does not parse or validate, a header to check, a missing or wrong API key) goes
to FastAPI's full stack untouched, with its body replayed, and is answered exactly as before.
"""

import hmac
import inspect
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import FastAPI, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from entrypoints.api.deps import Ingest
from entrypoints.api.metrics import ApiMetrics
from entrypoints.api.middleware import MAX_BODY_BYTES, is_json
from entrypoints.api.routers import clicks, orders
from entrypoints.api.schemas.clicks import ClickBatchIn, ClickEventIn
from entrypoints.api.schemas.orders import PlaceOrderIn

# (the body's model, the call of the route function: body, ingest, Idempotency-Key, response)
Call = Callable[[Any, Ingest, str | None, Response], Awaitable[BaseModel]]
MAX_KEY = 200  # the Idempotency-Key bounds of entrypoints.api.deps (else FastAPI's 422)
_JSON = b"application/json"


def _click(body: Any, ingest: Ingest, key: str | None, response: Response) -> Awaitable[BaseModel]:
    return clicks.record_click(body, ingest, key)


def _batch(body: Any, ingest: Ingest, key: str | None, response: Response) -> Awaitable[BaseModel]:
    return clicks.record_click_batch(body, ingest)  # the batch route takes no key


def _order(body: Any, ingest: Ingest, key: str | None, response: Response) -> Awaitable[BaseModel]:
    return orders.place_order(body, response, ingest, key)


ROUTES: dict[str, tuple[type[BaseModel], Call, bool]] = {
    "/api/v1/clicks": (ClickEventIn, _click, True),
    "/api/v1/clicks/batch": (ClickBatchIn, _batch, False),
    "/api/v1/orders": (PlaceOrderIn, _order, True),
}


@dataclass(frozen=True)
class _Route:
    route: APIRoute
    model: type[BaseModel]
    call: Call
    takes_key: bool


class GatewayAPI(FastAPI):
    """FastAPI with the short path in front of its whole stack (`short_path`, set by the
    factory; None serves every request through FastAPI alone)."""

    short_path: "FastWrites | None" = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        short = self.short_path
        if short is not None and short.takes(scope):
            await short(scope, receive, send)
        else:
            await self.stack(scope, receive, send)

    async def stack(self, scope: Scope, receive: Receive, send: Send) -> None:
        """FastAPI's own answer: its middleware (ours included), routing and dependencies."""
        await super().__call__(scope, receive, send)


class FastWrites:
    def __init__(self, api: GatewayAPI, metrics: ApiMetrics) -> None:
        self.api, self.metrics = api, metrics
        self.routes = {
            route.path: _Route(route, *ROUTES[route.path])
            for route in [*clicks.router.routes, *orders.router.routes]
            if isinstance(route, APIRoute)
            and route.path in ROUTES
            and "POST" in (route.methods or ())
        }

    def takes(self, scope: Scope) -> bool:
        return (
            scope["type"] == "http" and scope["path"] in self.routes and scope["method"] == "POST"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        # The arrival stamp, as RequestGuard sets it (which keeps it if FastAPI answers).
        scope.setdefault("state", {})["received_at"] = datetime.now(UTC)
        route = self.routes[scope["path"]]
        headers = dict(scope["headers"])
        key = headers.get(b"idempotency-key")
        plain = len(headers) == len(scope["headers"]) and _plain_body(headers)
        if not plain or not _plain_key(key, route.takes_key) or not self._authorised(headers):
            await self.api.stack(scope, receive, send)
            return
        body, receive = await _read(receive)
        parsed = _validated(route.model, body)
        if parsed is None:  # FastAPI answers it (a 422 with every field's problem)
            await self.api.stack(scope, receive, send)
            return
        scope["app"], scope["route"] = self.api, route.route  # as Starlette's router sets them
        status = 500  # what RequestMetrics counts for an error no handler answers
        try:
            status = await self._answer(scope, receive, send, route, parsed, key)
        finally:
            self.metrics.observe_request(
                "POST", route.route.path, status, time.perf_counter() - started
            )

    async def _answer(  # noqa: PLR0917
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        route: _Route,
        body: Any,
        key: bytes | None,
    ) -> int:
        state = self.api.state
        ingest = Ingest(
            state.gateway, state.metrics, state.failed_events, scope["state"]["received_at"]
        )
        response = Response()
        response.status_code = None  # type: ignore[assignment] # unset, as FastAPI does
        try:
            out = await route.call(body, ingest, key.decode("latin-1") if key else None, response)
        except Exception as error:
            return await self._handle(error, scope, receive, send)
        content = out.__pydantic_serializer__.to_json(out)  # what model_dump_json() writes
        status = response.status_code or route.route.status_code or 200
        extra = [
            h for h in response.raw_headers if h[0] not in (b"content-length", b"content-type")
        ]
        start_headers = [
            (b"content-length", b"%d" % len(content)),
            (b"content-type", _JSON),
            *extra,
        ]
        await send({"type": "http.response.start", "status": status, "headers": start_headers})
        await send({"type": "http.response.body", "body": content})
        return status

    def _authorised(self, headers: dict[bytes, bytes]) -> bool:
        keys: tuple[str, ...] = self.api.state.api_keys
        if not keys:
            return True
        api_key = headers.get(b"x-api-key")
        if not api_key:
            return False  # FastAPI answers the 401
        return any(hmac.compare_digest(api_key, k.encode()) for k in keys)

    async def _handle(self, error: Exception, scope: Scope, receive: Receive, send: Send) -> int:
        """The app's handler for `error`, as Starlette's ExceptionMiddleware picks it; an error
        only the catch-all handles is answered as ServerErrorMiddleware answers it (the
        catch-all's 500) and re-raised for the server's log."""
        handlers = self.api.exception_handlers
        handler = next((handlers[c] for c in type(error).__mro__ if c in handlers), None)
        if handler is None or handler is handlers.get(Exception):
            await self._unexpected(error, scope, receive, send)
            raise error
        answer = handler(Request(scope, receive), error)
        if inspect.isawaitable(answer):
            answer = await answer
        await answer(scope, receive, send)
        return int(answer.status_code)

    async def _unexpected(
        self, error: Exception, scope: Scope, receive: Receive, send: Send
    ) -> None:
        handler = self.api.exception_handlers.get(Exception) or self.api.exception_handlers.get(500)
        if handler is None:  # Starlette's plain-text 500
            answer: Any = Response("Internal Server Error", 500, media_type="text/plain")
        else:
            answer = handler(Request(scope, receive), error)
            if inspect.isawaitable(answer):
                answer = await answer
        await answer(scope, receive, send)


def _plain_body(headers: dict[bytes, bytes]) -> bool:
    """A JSON body whose length is known and allowed (else RequestGuard answers 413/415)."""
    length, kind = headers.get(b"content-length"), headers.get(b"content-type")
    if length is None or not length.isdigit() or int(length) > MAX_BODY_BYTES:
        return False
    return kind == _JSON or (kind is not None and is_json(kind.decode("latin-1")))


def _plain_key(key: bytes | None, takes_key: bool) -> bool:
    if key is None:
        return True
    return takes_key and 1 <= len(key.decode("latin-1")) <= MAX_KEY


def _validated(model: type[BaseModel], body: bytes) -> BaseModel | None:
    try:
        # Python mode after a JSON parse, as FastAPI validates a JSON body.
        return model.model_validate(orjson.loads(body))
    except (orjson.JSONDecodeError, ValidationError):
        return None


async def _read(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a receive that replays it (then reports what the client does)."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return b"", _replaying([message], receive)
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    return body, _replaying([{"type": "http.request", "body": body, "more_body": False}], receive)


def _replaying(pending: list[Message], receive: Receive) -> Receive:
    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay
