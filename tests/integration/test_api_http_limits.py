"""The gateway's HTTP limits, over real sockets to a real uvicorn server: oversized headers,
clients that send their headers or body slowly or not at all, idle keep-alive connections and
too many connections. They hold alike on the short path (POST /clicks) and FastAPI's path."""

import socket
from collections.abc import Iterator

import httpx
import pytest

from entrypoints.api.app import create_app
from entrypoints.bootstrap import create_container
from entrypoints.settings import Settings
from tests.integration.api_fixtures import API, LiveServer

# Short enough for a test, and the bound every wait below is generous against.
TIMEOUT = 1.0
WAIT = 15.0
PATHS = [("POST", f"{API}/clicks"), ("GET", f"{API}/catalog/restaurants")]


def limited_settings(**overrides: object) -> Settings:
    return Settings.model_validate(
        {
            "FLOWGUARD_EVENT_STORE": "memory",
            "FLOWGUARD_HTTP_MAX_HEADER_BYTES": 16_384,
            "FLOWGUARD_HTTP_HEADER_TIMEOUT": TIMEOUT,
            "FLOWGUARD_HTTP_BODY_TIMEOUT": TIMEOUT,
            "FLOWGUARD_HTTP_KEEPALIVE_TIMEOUT": TIMEOUT,
            **overrides,
        }
    )


def serve(settings: Settings) -> LiveServer:
    return LiveServer(create_app(create_container(settings), owns_application=True), settings)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(limited_settings()) as url:
        yield url


def connect(base_url: str) -> socket.socket:
    host, port = base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=WAIT)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a socket.timeout, after
    WAIT seconds, fails the test: the server kept the connection)."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_a_one_megabyte_header_is_refused_with_431(base_url: str, method: str, path: str) -> None:
    with connect(base_url) as sock:
        sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: x\r\nX-Big: ".encode())
        sock.sendall(b"a" * 1_000_000 + b"\r\n\r\n")
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_headers_within_the_limit_are_served(base_url: str) -> None:
    response = httpx.get(f"{base_url}{API}/catalog/restaurants", headers={"x-pad": "a" * 8000})
    assert response.status_code == 200


def test_a_connection_that_sends_nothing_is_closed(base_url: str) -> None:
    with connect(base_url) as sock:
        assert read_until_closed(sock).startswith(b"HTTP/1.1 408 ")


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_a_connection_that_never_finishes_its_headers_is_closed(
    base_url: str, method: str, path: str
) -> None:
    with connect(base_url) as sock:
        sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: x\r\nX-Slow: ".encode())
        assert read_until_closed(sock).startswith(b"HTTP/1.1 408 ")


def test_a_body_that_never_arrives_whole_is_answered_408(base_url: str) -> None:
    with connect(base_url) as sock:
        head = f"POST {API}/clicks HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
        sock.sendall(head.encode() + b"content-length: 100\r\n\r\n" + b'{"session_id"')
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"body" in answer


def test_an_idle_keep_alive_connection_is_closed(base_url: str) -> None:
    with connect(base_url) as sock:
        sock.sendall(f"GET {API}/catalog/restaurants HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        answer = read_until_closed(sock)  # the answer, then the close after TIMEOUT idle
    assert answer.startswith(b"HTTP/1.1 200 ")


def test_connections_over_the_cap_are_answered_503_and_closed() -> None:
    settings = limited_settings(
        FLOWGUARD_HTTP_MAX_CONNECTIONS=3, FLOWGUARD_HTTP_HEADER_TIMEOUT=WAIT * 2
    )
    with serve(settings) as url:
        held = [connect(url) for _ in range(3)]
        try:
            for sock in held:  # each one is served: they are under the cap
                sock.sendall(f"GET {API}/catalog/restaurants HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
            with connect(url) as fourth:
                assert read_until_closed(fourth).startswith(b"HTTP/1.1 503 ")
        finally:
            for sock in held:
                sock.close()
        assert httpx.get(f"{url}/healthz").status_code == 200  # served again once they left
