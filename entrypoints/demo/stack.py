"""The running stack: API (uvicorn), relay, bronze consumer and, for `flowguard up`, the builder
and the daily schedule, as threads of this process.

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
from entrypoints.api.serving import http_options
from entrypoints.consumer import run_consumer
from entrypoints.relay import run_relay
from entrypoints.web.control import install_control


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
    builder: Any = None  # a Builder: serves /api/v1/batch (build now, status) when given
    schedule: Any = None  # a DailySchedule started with the stack
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _server: uvicorn.Server | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 60) -> "Stack":
        self.port = self.port or free_port()
        app = create_app(self.container, owns_application=False)
        if self.builder is not None:
            install_control(app, self.builder.start(), self.schedule)
        self._add_checks(app.state.readiness)
        options = http_options(self.container.settings())  # the gateway's HTTP limits
        config = uvicorn.Config(app, host=self.host, port=self.port, log_level="warning", **options)
        self._server = uvicorn.Server(config)
        # uvicorn installs signal handlers only in the main thread: Ctrl-C stays ours.
        self._spawn("api", self._server.run)
        if self.streaming:
            self._spawn("relay", lambda: run_relay(self.container, self._stop))
            settings = self.consumer_settings
            self._spawn("consumer", lambda: run_consumer(self.container, self._stop, settings))
        _wait_for(self._started, timeout, "API start")
        if self.schedule is not None:
            self.schedule.start()
        return self

    def _add_checks(self, probe: Any) -> None:
        """/readyz names what is down: the warehouse, the bus, and each thread of the stack."""
        probe.add("warehouse", lambda: self.container.warehouse_connect()().close())
        settings = self.container.settings()
        if settings.bus == "kafka":
            from entrypoints.commands.preflight import broker_answers

            probe.add("bus", lambda: broker_answers(settings))
        for name in ("relay", "consumer") if self.streaming else ():
            probe.add(name, self._thread_check(f"flowguard-{name}"))
        if self.builder is not None:
            probe.add("builder", lambda: _alive(self.builder.alive(), "builder"))

    def _thread_check(self, name: str) -> Callable[[], None]:
        def check() -> None:
            threads = [t for t in self._threads if t.name == name]
            _alive(bool(threads) and threads[0].is_alive(), name)

        return check

    def _started(self) -> bool:
        if self._server is not None and self._server.started:
            return True
        if not all(thread.is_alive() for thread in self._threads):
            raise RuntimeError("a FlowGuard thread stopped during start-up; see the log above")
        return False

    def stop(self) -> None:
        self._stop.set()
        for part in (self.schedule, self.builder):
            if part is not None:
                part.stop()
        if self._server is not None:
            self._server.should_exit = True
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads.clear()

    def alive(self) -> bool:
        parts = [p.alive() for p in (self.builder, self.schedule) if p is not None]
        return all(thread.is_alive() for thread in self._threads) and all(parts)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=f"flowguard-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _alive(alive: bool, name: str) -> None:
    if not alive:
        raise RuntimeError(f"the {name} thread has stopped; see the log of `flowguard up`")


def _wait_for(ready: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f}s")
        time.sleep(0.05)
