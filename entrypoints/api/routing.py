"""Driving adapter, routes: FastAPI reads a request's JSON body as the edge parsed it.

The edge (entrypoints/api/edge.py) parses every JSON body once, strictly; a route built from
`EdgeRoute` takes that value instead of parsing the bytes again with the stdlib parser (which
would accept NaN, Infinity and lone surrogates that the edge refuses).
"""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute


class EdgeRequest(Request):
    async def json(self) -> Any:
        state = self.scope.get("state", {})
        return state["json"] if "json" in state else await super().json()


class EdgeRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def edge_handler(request: Request) -> Response:
            return await handler(EdgeRequest(request.scope, request.receive))

        return edge_handler
