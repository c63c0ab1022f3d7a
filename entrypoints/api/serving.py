"""Driving adapter, process supervision: uvicorn's workers, each on a listening socket of its own.

uvicorn's worker processes share one listening socket, and a worker's event loop accepts every
connection waiting on it each time it wakes. Connections that arrive together (a client's pool
opened at once, as the gateway benchmark's 8 are) all land on whichever worker woke first:
measured, 8 connections opened at once to 2 idle workers went 8/0 in 7 tries of 10, the other
worker sat idle, and one process's GIL bounded (b) at ~27k events/s with the machine 73 % busy.

Here each worker binds a socket of its own to the same address with SO_REUSEPORT, and the kernel
hands each new connection to one of the listening sockets by a hash of its addresses: a random
spread, even on average (8 connections to 2 workers: 8/0 or 7/1 in 7 % of runs, not 70 %).
The supervisor keeps its own socket bound, never listening (it gets no connections), so the
address stays taken while workers restart. Known cost of SO_REUSEPORT: connections still waiting
in a worker's queue when that worker dies are reset, not taken by another worker.
"""

import contextlib
import functools
import logging
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors import Multiprocess

from entrypoints.api.http_limits import HttpLimits
from entrypoints.api.http_protocol import GatewayHttpProtocol
from entrypoints.settings import Settings

logger = logging.getLogger("uvicorn.error")


def http_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for the gateway's HTTP/1.1 protocol and its limits (http_limits.py):
    every server that serves the API passes these."""
    limits = HttpLimits(
        max_header_bytes=settings.http_max_header_bytes,
        header_timeout=settings.http_header_timeout,
        body_timeout=settings.http_body_timeout,
        max_connections=settings.http_max_connections,
    )
    return {
        "http": functools.partial(GatewayHttpProtocol, limits=limits),
        "timeout_keep_alive": settings.http_keepalive_timeout,
    }


def run(app: str, **options: Any) -> None:
    """`uvicorn.run(app, **options)`, with a listening socket per worker when there are several
    (and the platform has SO_REUSEPORT); one worker runs as uvicorn runs it."""
    if options.get("workers", 1) <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(app, **options)
        return
    config = WorkerSocketsConfig(app, **options)
    with contextlib.suppress(KeyboardInterrupt):  # as uvicorn.run
        Multiprocess(config, sockets=[config.bind_socket()]).run()


class WorkerSocketsConfig(Config):
    def bind_socket(self) -> socket.socket:
        """The supervisor's socket: bound, not listening; each worker gets its own."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            address = _free_address(family, (self.host, self.port))
            sock = bind_reusable(family, address, WorkerSocket)
        except OSError as error:
            logger.error(error)
            sys.exit(STARTUP_FAILURE)
        host, port = sock.getsockname()[:2]
        logger.info("Uvicorn running on http://%s:%d (Press CTRL+C to quit)", host, port)
        return sock


class WorkerSocket(socket.socket):
    """A socket that reaches a worker process (pickled by multiprocessing's spawn) as a new
    socket of the worker's own, bound to the same address, instead of a copy of this one."""

    def __reduce__(self) -> tuple[Any, ...]:
        return bind_reusable, (self.family, self.getsockname())


def _free_address(family: socket.AddressFamily, address: Any) -> Any:
    """The address, if nothing listens on it (else OSError, as uvicorn's own bind): a socket
    with SO_REUSEPORT alone would join another server's listeners there (an old `flowguard
    serve` still running) and share its connections instead of failing."""
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
        return probe.getsockname()


def bind_reusable(
    family: socket.AddressFamily, address: Any, kind: type[socket.socket] = socket.socket
) -> socket.socket:
    sock = kind(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock
