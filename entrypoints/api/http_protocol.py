"""Driving adapter, HTTP/1.1 wire: uvicorn's httptools protocol, one socket write per answer.

uvicorn writes an answer's head when the app sends `http.response.start` and its body when the
app sends `http.response.body`: two send() calls, and two wake-ups of the client, per answer.
With the rest of a click this cheap, those writes were ~15 % of its CPU (py-spy), the head's
the dearer. Here the connection's transport holds a write until the next one, or until the end
of the event loop's turn, whichever comes first, and sends what it holds as one. The bytes and
their order are unchanged; nothing waits longer than the current turn of the loop.
"""

import asyncio
from typing import Any

from entrypoints.api.http_limits import LimitedHttpProtocol


class HeldWrites:
    """A transport whose writes go out together: a write is held until the next write (then
    both leave at once), a close, or the end of the loop's turn. Anything else is the
    transport's own."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport, self._loop = transport, loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        held = self._held
        if held is None:
            self._held = bytes(data)
            self._loop.call_soon(self.flush)
        else:
            self._held = None
            self._transport.write(held + data)

    def flush(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._held or b"")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)  # extra info, reading flow control, protocol


class GatewayHttpProtocol(LimitedHttpProtocol):
    """uvicorn's httptools protocol with the gateway's HTTP limits (http_limits.py), over
    `HeldWrites` (`flowguard serve`'s default)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(HeldWrites(transport, self.loop))  # type: ignore[arg-type]
