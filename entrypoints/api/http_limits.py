"""Driving adapter, HTTP/1.1 limits: what one client may cost the gateway before its request.

uvicorn's httptools protocol bounds none of these: an 8 MB header was answered 200, and a
client that sends its headers or body slowly, or nothing at all, kept its connection forever.
Here, below every route and middleware (so the same on the short path and FastAPI's path):

- the request line and headers together may not exceed `max_header_bytes` (431);
- the headers must have arrived `header_timeout` seconds after the connection opened or the
  request began (408, then the connection closes);
- the body must have arrived `body_timeout` seconds after the headers (408);
- an idle keep-alive connection closes after uvicorn's `timeout_keep_alive`;
- a worker holds at most `max_connections` connections; one more is answered 503 and closed.

A connection notes the deadline it is waiting for; one sweep per event loop, twice a second,
closes the connections past theirs (a timer per request cost more than the rest of the limits).
"""

import asyncio
import weakref
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from entrypoints.api.problems import problem

SWEEP_SECONDS = 0.5


@dataclass(frozen=True)
class HttpLimits:
    max_header_bytes: int = 16_384
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 1_000


def refusal(status: int, detail: str) -> bytes:
    """A whole HTTP/1.1 answer (problem+json) that closes the connection."""
    title = HTTPStatus(status).phrase
    body = bytes(problem(status, detail).body)
    head = (
        f"HTTP/1.1 {status} {title}\r\ncontent-type: application/problem+json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class LimitedHttpProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, limits: HttpLimits | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits or HttpLimits()
        self._header_bytes = 0
        # (when, what the client owes, the timeout): the sweep refuses the connection after it.
        self._deadline: tuple[float, str, float] | None = None
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.limits.max_connections:
            self.transport = transport
            self._refuse(503, "Too many connections; retry shortly.")
            return
        super().connection_made(transport)
        _sweep_from(self.loop, self.connections)
        self._expect("headers", self.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError:
            if not self._refused:  # an error of uvicorn's own callbacks, as uvicorn answers it
                self.send_400_response("Invalid HTTP request received.")
        except httptools.HttpParserError:
            self.send_400_response("Invalid HTTP request received.")
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()

    # --- parser callbacks ------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0
        self._expect("headers", self.limits.header_timeout)

    def on_url(self, url: bytes) -> None:
        self._header_bytes += len(url)
        if self._header_bytes > self.limits.max_header_bytes:
            self._too_large()
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value) + 4  # ": " and CRLF
        if self._header_bytes > self.limits.max_header_bytes:
            self._too_large()
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._expect("body", self.limits.body_timeout)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._cancel_deadline()
        super().on_message_complete()

    # --- the limits ------------------------------------------------------------------------

    def _too_large(self) -> None:
        limit = self.limits.max_header_bytes
        self._refuse(431, f"The request line and headers must be at most {limit} bytes.")
        raise _RefusedError  # stops the parser; data_received knows it was answered

    def _expect(self, part: str, seconds: float) -> None:
        self._deadline = (self.loop.time() + seconds, part, seconds)

    def _cancel_deadline(self) -> None:
        self._deadline = None

    def overdue(self, now: float) -> None:
        """Called by the sweep: refuse the connection if it is past its deadline."""
        deadline = self._deadline
        if deadline is not None and deadline[0] <= now:
            self._too_slow(deadline[1], deadline[2])

    def _too_slow(self, part: str, seconds: float) -> None:
        self._deadline = None
        answering = self.cycle is not None and self.cycle.response_started
        if answering and not self.cycle.response_complete:
            self._refused = True
            self.transport.close()  # the app is answering: the status line is already out
            return
        self._refuse(408, f"The request's {part} did not arrive within {seconds:g} s.")

    def _refuse(self, status: int, detail: str) -> None:
        self._refused = True
        self._cancel_deadline()
        if self.cycle is not None:
            self.cycle.disconnected = True  # the app sees a client that went away
            self.cycle.message_event.set()
        if not self.transport.is_closing():
            self.transport.write(refusal(status, detail))
            self.transport.close()


_sweeping: "weakref.WeakSet[asyncio.AbstractEventLoop]" = weakref.WeakSet()


def _sweep_from(loop: asyncio.AbstractEventLoop, connections: set[Any]) -> None:
    """Start the loop's sweep over its server's connections, once."""
    if loop not in _sweeping:
        _sweeping.add(loop)
        loop.call_later(SWEEP_SECONDS, _sweep, loop, connections)


def _sweep(loop: asyncio.AbstractEventLoop, connections: set[Any]) -> None:
    now = loop.time()
    for connection in list(connections):
        if isinstance(connection, LimitedHttpProtocol):
            connection.overdue(now)
    loop.call_later(SWEEP_SECONDS, _sweep, loop, connections)


class _RefusedError(Exception):
    """Raised from a parser callback to stop parsing a request that was refused."""
