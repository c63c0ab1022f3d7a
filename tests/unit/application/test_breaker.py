"""The store breaker: fail fast while the store is down, one probe at a time, close on success."""

import pytest

from application.breaker import StoreBreaker
from application.errors import StoreUnavailable


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def fail(breaker: StoreBreaker, *, store_down: bool = True) -> None:
    with pytest.raises(StoreUnavailable), breaker.guard():
        raise StoreUnavailable("connection refused", store_down=store_down)


def succeed(breaker: StoreBreaker) -> None:
    with breaker.guard():
        pass


def test_after_a_failure_calls_fail_fast_until_the_cooldown_passes() -> None:
    clock = FakeClock()
    breaker = StoreBreaker(cooldown=2.0, clock=clock)
    fail(breaker)
    clock.now += 1.9
    with pytest.raises(StoreUnavailable, match="retry shortly"):
        succeed(breaker)
    clock.now += 0.2
    succeed(breaker)  # the probe gets through, and closes the breaker
    assert not breaker.is_open


def test_only_one_call_probes_at_a_time() -> None:
    clock = FakeClock()
    breaker = StoreBreaker(cooldown=1.0, clock=clock)
    fail(breaker)
    clock.now += 5
    # The first guard is the probe, still running when the second call arrives.
    with breaker.guard(), pytest.raises(StoreUnavailable, match="retry shortly"):
        succeed(breaker)
    assert not breaker.is_open


def test_a_failed_probe_keeps_it_open() -> None:
    clock = FakeClock()
    breaker = StoreBreaker(cooldown=1.0, clock=clock)
    fail(breaker)
    clock.now += 5
    fail(breaker)
    with pytest.raises(StoreUnavailable, match="retry shortly"):
        succeed(breaker)


def test_racing_writers_do_not_open_it() -> None:
    breaker = StoreBreaker(clock=FakeClock())
    fail(breaker, store_down=False)
    assert not breaker.is_open
    succeed(breaker)


def test_other_errors_pass_through_and_leave_it_closed() -> None:
    breaker = StoreBreaker(clock=FakeClock())
    with pytest.raises(KeyError), breaker.guard():
        raise KeyError("x")
    assert not breaker.is_open
