"""Driving adapter, a short way to the hot write routes (POST /clicks, /clicks/batch, /orders).

FastAPI's request machinery (routing past every route, solving dependencies, re-validating the
answer) cost more CPU than a click's use case (py-spy). Here a request whose body and headers
are plainly valid is parsed and validated with the route's own pydantic model and handed to the
route's own function; errors it raises go through the app's own exception handlers. Anything
else (a body that does not parse or validate, a header to check, a missing or wrong API key) goes
to FastAPI untouched, with its body replayed, and is answered exactly as before.
"""

import hmac
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from fastapi import FastAPI, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entrypoints.api.deps import Ingest
from entrypoints.api.routers import clicks, orders
from entrypoints.api.schemas.clicks import ClickBatchIn, ClickEventIn
from entrypoints.api.schemas.orders import PlaceOrderIn

# (the body's model, the call of the route function: body, ingest, Idempotency-Key, response)
Call = Callable[[Any, Ingest, str | None, Response], Awaitable[BaseModel]]
MAX_KEY = 200  # the Idempotency-Key bounds of entrypoints.api.deps (else FastAPI's 422)


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


class FastWrites:
    def __init__(self, app: ASGIApp, api: FastAPI) -> None:
        self.app, self.api = app, api
        self.routes = {
            route.path: route
            for route in [*clicks.router.routes, *orders.router.routes]
            if isinstance(route, APIRoute)
            and route.path in ROUTES
            and "POST" in (route.methods or ())
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        if route is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = headers.get(b"idempotency-key")
        model, call, takes_key = ROUTES[route.path]
        plain = len(headers) == len(scope["headers"]) and _plain_key(key, takes_key)
        if not plain or not self._authorised(headers.get(b"x-api-key")):
            await self.app(scope, receive, send)
            return
        body, receive = await _read(receive)
        parsed = _validated(model, body)
        if parsed is None:  # FastAPI answers it (a 422 with every field's problem)
            await self.app(scope, receive, send)
            return
        scope["route"] = route  # the metrics label, as the router sets it
        await self._answer(scope, receive, send, route, call, parsed, key)

    async def _answer(  # noqa: PLR0917
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        route: APIRoute,
        call: Call,
        body: BaseModel,
        key: bytes | None,
    ) -> None:
        state = self.api.state
        ingest = Ingest(
            state.gateway, state.metrics, state.failed_events, scope["state"]["received_at"]
        )
        response = Response()
        response.status_code = None  # type: ignore[assignment] # unset, as FastAPI does
        try:
            out = await call(body, ingest, key.decode("latin-1") if key else None, response)
        except Exception as error:
            await self._handle(error, scope, receive, send)
            return
        answer = Response(
            out.model_dump_json().encode(),
            status_code=response.status_code or route.status_code or 200,
            media_type="application/json",
        )
        for name, value in response.headers.items():
            if name not in {"content-length", "content-type"}:
                answer.headers[name] = value
        await answer(scope, receive, send)

    def _authorised(self, api_key: bytes | None) -> bool:
        keys: tuple[str, ...] = self.api.state.api_keys
        if not keys:
            return True
        if not api_key:
            return False  # FastAPI answers the 401
        return any(hmac.compare_digest(api_key, k.encode()) for k in keys)

    async def _handle(self, error: Exception, scope: Scope, receive: Receive, send: Send) -> None:
        """The app's handler for `error`, as Starlette's ExceptionMiddleware picks it; an error
        only the catch-all handles is re-raised, for ServerErrorMiddleware as before."""
        handlers = self.api.exception_handlers
        handler = next((handlers[c] for c in type(error).__mro__ if c in handlers), None)
        if handler is None or handler is handlers.get(Exception):
            raise error
        answer = handler(Request(scope, receive), error)
        if inspect.isawaitable(answer):
            answer = await answer
        await answer(scope, receive, send)


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
