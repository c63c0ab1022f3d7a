"""Driving adapter, readiness: ask the event store (and, in `flowguard up`, the other parts of the
stack), but never make a probe wait long for any of them."""

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

PROBE_TIMEOUT_SECONDS = 2.0
EVENT_STORE = "event_store"


class ReadinessProbe:
    """Runs the blocking store check on one thread of its own, with a deadline.

    The store's client retries a dead connection for many seconds; a probe must answer sooner.
    Concurrent probes share the check in flight instead of piling up threads behind it.
    `add(name, check)` adds a dependency (`report` names each one that is down).
    """

    def __init__(self, check: Callable[[], None], timeout: float = PROBE_TIMEOUT_SECONDS) -> None:
        self._checks: dict[str, Callable[[], None]] = {EVENT_STORE: check}
        self._timeout = timeout
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readyz")
        self._pending: dict[str, Future[None]] = {}

    def add(self, name: str, check: Callable[[], None]) -> None:
        self._checks[name] = check

    async def report(self) -> dict[str, str]:
        """Each dependency: "ok", or "down: <why>"."""
        names = list(self._checks)
        outcomes = await asyncio.gather(*(self._run(n) for n in names), return_exceptions=True)
        return {name: _state(outcome) for name, outcome in zip(names, outcomes, strict=True)}

    async def _run(self, name: str) -> None:
        pending = self._pending.get(name)
        if pending is None or pending.done():
            pending = self._pending[name] = self._executor.submit(self._checks[name])
        await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(pending)), self._timeout)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _state(outcome: BaseException | None) -> str:
    if outcome is None:
        return "ok"
    if isinstance(outcome, TimeoutError):
        return "down: no answer within the deadline"
    return f"down: {' '.join(str(outcome).split()) or type(outcome).__name__}"[:200]
