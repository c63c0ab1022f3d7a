"""The relay process waits for the store at start-up instead of dying (a supervisor-free
deployment must survive a database restart during boot)."""

import threading

from application.relay import FreeLease
from entrypoints import relay as relay_process


class FakeRelay:
    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self.ran = False
        self.confirmed_position = self.published = self.resent = 0

    def position(self) -> int:
        return 0

    def run(self, stop: threading.Event) -> None:
        self.ran = True


class FakeProvider:
    def __init__(self, make: object) -> None:
        self.make = make
        self.resets = 0

    def __call__(self, **kwargs: object) -> object:
        return self.make()  # type: ignore[operator]

    def reset(self) -> None:
        self.resets += 1


class FakeContainer:
    def __init__(self, failures: int) -> None:
        self.stop = threading.Event()
        self.built = FakeRelay(self.stop)
        self.failures = failures
        self.relay = FakeProvider(self._make)
        self.flowguard_app = FakeProvider(lambda: None)
        self.event_publisher = FakeProvider(lambda: self)
        self.relay_lease = FakeProvider(FreeLease)

    def _make(self) -> FakeRelay:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("server closed the connection unexpectedly")
        return self.built

    def close(self) -> None:
        pass


def test_the_relay_retries_until_the_store_answers() -> None:
    container = FakeContainer(failures=1)  # one retry: one second
    relay_process.run_relay(container, container.stop)
    assert container.built.ran
    assert container.flowguard_app.resets == 1


def test_a_stop_during_start_up_returns_without_running() -> None:
    container = FakeContainer(failures=10**6)
    container.stop.set()
    relay_process.run_relay(container, container.stop)
    assert not container.built.ran
