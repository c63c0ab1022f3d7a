"""The running stack: API (uvicorn), relay and bronze consumer as threads of this process.

One process on purpose: the embedded warehouse (fakesnow on DuckDB) admits one process per
database directory, and the in-process bus exists only inside this one."""

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from application.bronze_loader import ConsumerSettings
from entrypoints.api.app import create_app
from entrypoints.consumer import run_consumer
from entrypoints.relay import run_relay


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Stack:
    """Start with `start()`, stop with `stop()`; `url` is where the API answers."""

    container: Any
    host: str = "127.0.0.1"
    port: int = 0
    streaming: bool = True
    consumer_settings: ConsumerSettings = field(default_factory=lambda: ConsumerSettings(5000, 0.5))
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _server: uvicorn.Server | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 60) -> "Stack":
        self.port = self.port or free_port()
        app = create_app(self.container, owns_application=False)
        config = uvicorn.Config(app, host=self.host, port=self.port, log_level="warning")
        self._server = uvicorn.Server(config)
        # uvicorn installs signal handlers only in the main thread: Ctrl-C stays ours.
        self._spawn("api", self._server.run)
        if self.streaming:
            self._spawn("relay", lambda: run_relay(self.container, self._stop))
            settings = self.consumer_settings
            self._spawn("consumer", lambda: run_consumer(self.container, self._stop, settings))
        _wait_for(lambda: self._server is not None and self._server.started, timeout, "API start")
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.should_exit = True
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads.clear()

    def alive(self) -> bool:
        return all(thread.is_alive() for thread in self._threads)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=f"flowguard-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _wait_for(ready: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f}s")
        time.sleep(0.05)
