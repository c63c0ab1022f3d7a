"""A circuit breaker for the event store: 503 at once while the store is known to be down.

The PostgreSQL driver retries a lost connection ten times before giving up, so without this
every request would hang for many seconds before its 503. After a failure the breaker opens:
requests fail fast for `cooldown` seconds, then one request at a time probes the store while
the others keep failing fast; the first success closes the breaker.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from application.errors import StoreUnavailable


class StoreBreaker:
    def __init__(self, cooldown: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failed_at: float | None = None
        self._probing = False

    @property
    def is_open(self) -> bool:
        return self._failed_at is not None

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run a store call; StoreUnavailable from it opens the breaker, success closes it."""
        probe = self._admit()
        try:
            yield
        except StoreUnavailable as error:
            if error.store_down:
                with self._lock:
                    self._failed_at = self._clock()
            raise
        else:
            with self._lock:
                self._failed_at = None
        finally:
            if probe:
                with self._lock:
                    self._probing = False

    def _admit(self) -> bool:
        """True when this call is the probe; raises while the breaker is open."""
        with self._lock:
            if self._failed_at is None:
                return False
            if self._probing or self._clock() - self._failed_at < self._cooldown:
                raise StoreUnavailable("the event store is unavailable; retry shortly")
            self._probing = True
            return True
