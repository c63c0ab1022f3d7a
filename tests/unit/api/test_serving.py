"""With several workers, each one listens on a socket of its own bound to the supervisor's
address (SO_REUSEPORT), and connections reach every listening worker; the supervisor's socket
only holds the address."""

import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from multiprocessing.reduction import ForkingPickler

import pytest

from entrypoints.api.serving import WorkerSocketsConfig, bind_reusable


@contextmanager
def supervisor_socket(port: int = 0) -> Iterator[socket.socket]:
    config = WorkerSocketsConfig(
        "entrypoints.api.main:build", host="127.0.0.1", port=port, workers=2
    )
    with config.bind_socket() as sock:
        yield sock


def in_worker(sock: socket.socket) -> socket.socket:
    """What a worker process gets: the socket as multiprocessing's spawn pickles it."""
    worker: socket.socket = ForkingPickler.loads(ForkingPickler.dumps(sock))
    return worker


def test_a_worker_gets_a_socket_of_its_own_on_the_same_address() -> None:
    with supervisor_socket() as supervisor, in_worker(supervisor) as worker:
        assert worker.fileno() != supervisor.fileno()
        assert worker.getsockname() == supervisor.getsockname()
        assert worker.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT)
        worker.listen()
        with socket.create_connection(supervisor.getsockname(), timeout=5):
            accepted, _ = worker.accept()
            accepted.close()


def test_the_supervisors_socket_takes_no_connections() -> None:
    with supervisor_socket() as supervisor, pytest.raises(ConnectionRefusedError):
        socket.create_connection(supervisor.getsockname(), timeout=5).close()


def test_connections_reach_every_listening_worker() -> None:
    with supervisor_socket() as supervisor, ExitStack() as stack:
        workers = [stack.enter_context(in_worker(supervisor)) for _ in range(2)]
        for worker in workers:
            worker.listen(128)
            worker.setblocking(False)
        # 64 connections, each to either worker by a hash: all on one has odds of 2 in 2**64.
        clients = [
            stack.enter_context(socket.create_connection(supervisor.getsockname(), timeout=5))
            for _ in range(64)
        ]
        accepted = [len(list(drain(worker))) for worker in workers]
    assert sum(accepted) == len(clients)
    assert min(accepted) > 0


def drain(worker: socket.socket) -> Iterator[None]:
    while True:
        try:
            connection, _ = worker.accept()
        except BlockingIOError:
            return
        connection.close()
        yield None


def test_an_address_another_server_listens_on_is_refused() -> None:
    """As with uvicorn's own bind: a second server on the port fails at startup, not joins
    the first one's listeners (SO_REUSEPORT alone would let it)."""
    with bind_reusable(socket.AF_INET, ("127.0.0.1", 0)) as running:
        running.listen()
        with pytest.raises(SystemExit), supervisor_socket(running.getsockname()[1]):
            pass
