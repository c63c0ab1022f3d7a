"""Driving adapter, HTTP edge: every request's checks, once, before any route (plain ASGI).

In order: the arrival stamp; the method (405 with the full `Allow`, OPTIONS answered); duplicated
singleton headers (400); the API key on writes (401/403, and the caller's scope); the body's
size (413) and type (415); the body parsed as strict JSON (orjson: no NaN or Infinity, no lone
surrogates, numbers in range) and no deeper than `MAX_JSON_DEPTH` (else 422). What passes is in
`scope["state"]`: `received_at`, `caller`, `json` (the parsed body). FastAPI's routes and the
short path both read the body from there, so every request is parsed by this one parser.
"""

import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entrypoints.api.problems import problem
from entrypoints.api.schemas.common import FieldProblem

MAX_BODY_BYTES = 1_000_000
MAX_JSON_DEPTH = 32
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")
# Headers a request may carry once: a second copy is ambiguous (which key? which length?).
SINGLETONS = (b"x-api-key", b"idempotency-key", b"content-type", b"content-length")


def is_json(content_type: str | None) -> bool:
    media_type = (content_type or "").split(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def caller_id(api_key: str) -> str:
    """The name of an API key's holder in scopes and logs: a digest, never the key."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


def too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON `value` nests lists and objects more than `limit` levels deep."""
    level = [value] if type(value) in (dict, list) else []
    for _ in range(limit):
        level = [
            item
            for container in level
            for item in (container.values() if type(container) is dict else container)
            if type(item) is dict or type(item) is list
        ]
        if not level:
            return False
    return bool(level)


class Edge:
    def __init__(self, app: ASGIApp, api_keys: Iterable[str], routes: list[BaseRoute]) -> None:
        self.app = app
        self._keys = {key.encode(): caller_id(key) for key in api_keys if key}
        self._routes = routes
        self._served: set[tuple[str, str]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["received_at"] = datetime.now(UTC)
        refusal = self._method_refusal(scope) or self._header_refusal(scope, state)
        if refusal is None and scope["method"] in _WITH_BODY:
            refusal, receive = await self._read_body(scope, receive, state)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    # --- method ---------------------------------------------------------------------------

    def _method_refusal(self, scope: Scope) -> Any:
        method = scope["method"]
        if method in ("GET", "HEAD") or (method != "OPTIONS" and self._serves(scope, method)):
            return None  # the router answers these, 404 and 405 included
        allowed = {m for m in _METHODS if self._serves(scope, m)}
        if not allowed:
            return None  # no route here: the router's 404
        headers = {"Allow": ", ".join(sorted(allowed | {"OPTIONS"}))}
        if method == "OPTIONS":
            return _empty(204, headers)
        detail = f"{method} is not allowed here; use {headers['Allow']}."
        return problem(405, detail, scope["path"], headers=headers)

    def _serves(self, scope: Scope, method: str) -> bool:
        """Whether a route takes `method` at this path. Remembered for routes without path
        parameters, so the hot routes pay one dictionary lookup (and the memory is bounded by
        the routes, not by what clients send)."""
        key = (scope["path"], method)
        if key in self._served:
            return True
        probe = {**scope, "method": method}
        for route in self._routes:
            match, child = route.matches(probe)
            if match is Match.FULL or (isinstance(route, Mount) and match is not Match.NONE):
                if not child.get("path_params"):
                    self._served.add(key)
                return True
        return False

    # --- headers --------------------------------------------------------------------------

    def _header_refusal(self, scope: Scope, state: dict[str, Any]) -> Any:
        headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            if name in headers and name in SINGLETONS:
                detail = f"The {name.decode()} header may be sent only once."
                return problem(400, detail, scope["path"])
            headers[name] = value
        state["headers"] = headers
        state["caller"] = None
        if not self._keys or scope["method"] in _READS:
            return None
        api_key = headers.get(b"x-api-key")
        if not api_key:
            return problem(401, "Send the X-API-Key header.", scope["path"])
        # Compare against every key in constant time, so timing reveals nothing about them.
        matched = [
            caller for key, caller in self._keys.items() if hmac.compare_digest(api_key, key)
        ]
        if not matched:
            return problem(403, "The X-API-Key is not valid.", scope["path"])
        state["caller"] = matched[0]
        return None

    # --- body -----------------------------------------------------------------------------

    async def _read_body(
        self, scope: Scope, receive: Receive, state: dict[str, Any]
    ) -> tuple[Any, Receive]:
        headers = state["headers"]
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return _too_large(scope), receive
        if not is_json(headers.get(b"content-type", b"").decode("latin-1")):
            return problem(415, "The body must be application/json.", scope["path"]), receive
        body = await _body(receive)
        if body is None:
            return _too_large(scope), receive
        return _parsed_into(state, body, scope), _replaying(body, receive)


def _parsed_into(state: dict[str, Any], body: bytes, scope: Scope) -> Any:
    """Parse a non-empty body into `state["json"]`; the refusal when it is not acceptable."""
    if not body:
        return None
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        return _unparsable(scope, f"The body is not valid JSON: {error}")
    if too_deep(parsed):
        detail = f"The body nests lists and objects more than {MAX_JSON_DEPTH} levels deep."
        return _unparsable(scope, detail)
    state["json"] = parsed
    return None


async def _body(receive: Receive) -> bytes | None:
    """The whole body, or None once it passes MAX_BODY_BYTES (a chunked body has no length)."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away: the app sees the disconnect on its own receive
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        # The body once, then the real channel (which reports a disconnect).
        return pending.pop() if pending else await receive()

    return replay


def _unparsable(scope: Scope, detail: str) -> Any:
    errors = [FieldProblem(field="(body)", message=detail, type="json_invalid")]
    return problem(422, detail, scope["path"], errors)


def _too_large(scope: Scope) -> Any:
    return problem(413, f"The body must be at most {MAX_BODY_BYTES} bytes.", scope["path"])


def _empty(status: int, headers: dict[str, str]) -> Any:
    return Response(status_code=status, headers=headers)
