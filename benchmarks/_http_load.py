"""A lean HTTP/1.1 load generator: keep-alive connections on asyncio streams, bodies prepared in
advance, so the client spends as little CPU as possible next to the server it measures."""

import asyncio
import os
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    requests: int
    events: int
    seconds: float
    latencies: list[float]
    statuses: Counter[int] = field(default_factory=Counter)
    client_cpu_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        return self.percentile(0.99) * 1000


def _request(host: str, path: str, body: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return status, await reader.readexactly(length)


async def _connection(
    host: str,
    port: int,
    path: str,
    bodies: Sequence[bytes],
    result: LoadResult,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    requests = [_request(host, path, body) for body in bodies]
    try:
        for request in requests:
            started = time.perf_counter()
            status, answer = await _exchange(reader, writer, request)
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] += 1
            if status >= 300 and len(result.errors) < 5:
                result.errors.append(f"{status}: {answer[:300]!r}")
    finally:
        writer.close()


async def _drive(
    host: str, port: int, path: str, per_connection: Sequence[Sequence[bytes]], events: int
) -> LoadResult:
    result = LoadResult(requests=0, events=events, seconds=0.0, latencies=[])
    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(
        *(_connection(host, port, path, bodies, result) for bodies in per_connection)
    )
    result.seconds = time.perf_counter() - started
    result.client_cpu_seconds = time.process_time() - cpu
    result.requests = sum(len(bodies) for bodies in per_connection)
    return result


def drive(
    base_url: str, path: str, per_connection: Sequence[Sequence[bytes]], events: int
) -> LoadResult:
    """Send each connection's bodies in order, all connections at once; `events` is how many
    events the bodies hold in total (for events/s)."""
    host, port = base_url.removeprefix("http://").split(":")
    load = _drive(host, int(port), path, per_connection, events)
    try:
        import uvloop
    except ImportError:  # the stdlib loop works too, at a higher client cost
        return asyncio.run(load)
    return uvloop.run(load)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (uvicorn workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks
