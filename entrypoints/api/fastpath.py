"""Driving adapter, the short path to the hot write routes (POST /clicks, /clicks/batch, /orders).

It is the innermost middleware: the edge's checks (entrypoints/api/edge.py), the request
metrics and any middleware added later have all run when it takes a request. What it skips is
FastAPI's own machinery (routing past every route, solving dependencies, re-validating the
answer), which cost more CPU than a click's use case (py-spy). It validates the body the edge
parsed with the route's own model, calls the route's own function, and answers with two raw
ASGI messages; an error becomes the answer FastAPI's handlers give (`problems.answer_for`).
A body that does not validate, or an Idempotency-Key out of bounds, goes on to FastAPI, which
answers it as always (a 422 naming every field's problem).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from entrypoints.api.deps import Ingest, ingest_of, plain_idempotency_key
from entrypoints.api.problems import answer_for, is_expected
from entrypoints.api.routers import clicks, orders
from entrypoints.api.schemas.clicks import ClickBatchIn, ClickBody
from entrypoints.api.schemas.orders import PlaceOrderIn

# The call of a route function: (body, ingest, Idempotency-Key, response).
Call = Callable[[Any, Ingest, str | None, Response], Awaitable[BaseModel]]
_JSON = b"application/json"


def _click(body: Any, ingest: Ingest, key: str | None, response: Response) -> Awaitable[BaseModel]:
    return clicks.record_click(body, ingest, key)


def _batch(body: Any, ingest: Ingest, key: str | None, response: Response) -> Awaitable[BaseModel]:
    return clicks.record_click_batch(body, ingest)  # the batch route takes no key


def _order(body: Any, ingest: Ingest, key: str | None, response: Response) -> Awaitable[BaseModel]:
    return orders.place_order(body, response, ingest, key)


ROUTES: dict[str, tuple[Any, Call, bool]] = {
    "/api/v1/clicks": (ClickBody, _click, True),
    "/api/v1/clicks/batch": (ClickBatchIn, _batch, False),
    "/api/v1/orders": (PlaceOrderIn, _order, True),
}


@dataclass(frozen=True)
class _Route:
    route: APIRoute
    body: TypeAdapter[Any]
    call: Call
    takes_key: bool


class ShortPath:
    def __init__(self, app: ASGIApp, api: FastAPI) -> None:
        self.app, self.api = app, api
        self.routes: dict[str, _Route] = {}
        for route in [*clicks.router.routes, *orders.router.routes]:
            if not isinstance(route, APIRoute) or route.path not in ROUTES:
                continue
            if "POST" in (route.methods or set()):
                model, call, takes_key = ROUTES[route.path]
                self.routes[route.path] = _Route(route, TypeAdapter(model), call, takes_key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.routes.get(scope["path"]) if scope["type"] == "http" else None
        body = _taken(route, scope)
        if route is None or body is None:
            await self.app(scope, receive, send)
            return
        scope["app"], scope["route"] = self.api, route.route  # as Starlette's router sets them
        key = scope["state"]["headers"].get(b"idempotency-key")
        response = Response()
        response.status_code = None  # type: ignore[assignment] # unset, as FastAPI does
        ingest = ingest_of(self.api.state, scope["state"])
        try:
            out = await route.call(body, ingest, key.decode("latin-1") if key else None, response)
        except Exception as error:
            await answer_for(error, scope["path"])(scope, receive, send)
            if not is_expected(error):
                raise  # for the server's log, as Starlette's ServerErrorMiddleware does
            return
        content = out.__pydantic_serializer__.to_json(out)  # what model_dump_json() writes
        status = response.status_code or route.route.status_code or 200
        extra = [
            h for h in response.raw_headers if h[0] not in (b"content-length", b"content-type")
        ]
        headers = [(b"content-length", b"%d" % len(content)), (b"content-type", _JSON), *extra]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


def _taken(route: _Route | None, scope: Scope) -> Any | None:
    """The validated body when the short path takes the request, else None."""
    state = scope.get("state", {})
    if route is None or scope["method"] != "POST" or "json" not in state:
        return None
    key = state["headers"].get(b"idempotency-key")
    if key is not None and not (route.takes_key and plain_idempotency_key(key)):
        return None
    try:
        return route.body.validate_python(state["json"])
    except ValidationError:
        return None
