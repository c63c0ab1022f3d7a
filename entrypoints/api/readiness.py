"""Driving adapter, readiness: ask the event store, but never make a probe wait long for it."""

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

PROBE_TIMEOUT_SECONDS = 2.0


class ReadinessProbe:
    """Runs the blocking store check on one thread of its own, with a deadline.

    The store's client retries a dead connection for many seconds; a probe must answer sooner.
    Concurrent probes share the check in flight instead of piling up threads behind it.
    """

    def __init__(self, check: Callable[[], None], timeout: float = PROBE_TIMEOUT_SECONDS) -> None:
        self._check, self._timeout = check, timeout
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readyz")
        self._pending: Future[None] | None = None

    async def __call__(self) -> None:
        """Return when the store answered; raise TimeoutError or the check's error otherwise."""
        if self._pending is None or self._pending.done():
            self._pending = self._executor.submit(self._check)
        pending = asyncio.wrap_future(self._pending)
        await asyncio.wait_for(asyncio.shield(pending), self._timeout)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
