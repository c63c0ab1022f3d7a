"""The serving protocol's transport sends an answer's head and body in one write, and never
reorders, loses or delays bytes past the event loop's current turn."""

import asyncio
from typing import Any

from entrypoints.api.http_protocol import HeldWrites


class FakeTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.calls: list[str] = []

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.calls.append(f"close after {len(self.writes)} writes")

    def abort(self) -> None:
        self.calls.append("abort")

    def is_closing(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str) -> Any:
        return ("127.0.0.1", 8000) if name == "sockname" else None


def held(run: Any) -> FakeTransport:
    """`run(transport)` inside an event loop, then one more turn of the loop."""
    fake = FakeTransport()

    async def main() -> None:
        run(HeldWrites(fake, asyncio.get_running_loop()))  # type: ignore[arg-type]
        await asyncio.sleep(0)

    asyncio.run(main())
    return fake


def test_a_head_and_its_body_leave_in_one_write() -> None:
    fake = held(lambda t: (t.write(b"HTTP/1.1 202 Accepted\r\n\r\n"), t.write(b"{}")))
    assert fake.writes == [b"HTTP/1.1 202 Accepted\r\n\r\n{}"]


def test_a_lone_write_leaves_at_the_end_of_the_loops_turn() -> None:
    fake = FakeTransport()

    async def main() -> None:
        transport = HeldWrites(fake, asyncio.get_running_loop())  # type: ignore[arg-type]
        transport.write(b"head")
        assert fake.writes == []
        await asyncio.sleep(0)
        assert fake.writes == [b"head"]
        transport.write(b"more")
        await asyncio.sleep(0)

    asyncio.run(main())
    assert fake.writes == [b"head", b"more"]


def test_many_writes_keep_their_order_and_bytes() -> None:
    chunks = [bytes([n]) * n for n in range(1, 8)]
    fake = held(lambda t: [t.write(c) for c in chunks])
    assert b"".join(fake.writes) == b"".join(chunks)


def test_close_sends_what_is_held_first_and_abort_drops_it() -> None:
    closed = held(lambda t: (t.write(b"bye"), t.close()))
    assert closed.writes == [b"bye"]
    assert closed.calls == ["close after 1 writes"]
    aborted = held(lambda t: (t.write(b"lost"), t.abort()))
    assert aborted.writes == []
    assert aborted.calls == ["abort"]


def test_everything_else_is_the_transports() -> None:
    loop = asyncio.new_event_loop()
    try:
        transport = HeldWrites(FakeTransport(), loop)  # type: ignore[arg-type]
        assert transport.get_extra_info("sockname") == ("127.0.0.1", 8000)
        assert transport.is_closing() is False
    finally:
        loop.close()
