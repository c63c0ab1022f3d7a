"""Group commit: the events of concurrent requests are written in shared transactions.

Each caller hands over its events and blocks until the transaction holding them has committed,
so nobody hears "stored" before the store said so. One writer thread drains the queue: while it
waits for one commit, the next requests queue up and share the next one. The PostgreSQL recorder
locks the table per insert transaction, so fewer, larger transactions are the lever.

A store that can insert several requests' events at once, skipping those that clash on a taken
version (`save_units`, the PostgreSQL recorder's `insert_units`), fails only the clashing
requests; otherwise a conflict makes the writer redo the batch one request at a time.
"""

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import RecordConflictError

SaveEvents = Callable[..., Any]
# One request's events per unit in; per unit, None (stored) or the error that kept it out.
SaveUnits = Callable[[list[Sequence[Any]]], Sequence[BaseException | None]]
BatchObserver = Callable[[int], None]


@dataclass
class _Unit:
    events: Sequence[Any]
    ids: frozenset[UUID]
    # A blocking caller waits on `done`; an awaiting one on `committed`, in its loop. (No
    # Event for the latter: making one costs ~4 % of a click.)
    done: threading.Event | None = None
    committed: "asyncio.Future[None] | None" = None
    error: BaseException | None = None


class GroupCommitter:
    def __init__(
        self, save: SaveEvents, max_events: int = 5000, *, save_units: SaveUnits | None = None
    ) -> None:
        self._save = save
        self._save_units = save_units
        # Bounds one transaction's size (a request's events are never split).
        self._max_events = max_events
        self._queue: deque[_Unit] = deque()
        self._ready = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None
        self.observers: list[BatchObserver] = []

    def commit(self, events: Sequence[Any], ids: frozenset[UUID] | None = None) -> None:
        """Store `events` atomically, together with other callers' events; raise what the
        store raised for them (RecordConflictError when another writer got there first).
        `ids`: their aggregates' ids, when the caller knows them (else worked out here)."""
        unit = _Unit(events, _ids(events, ids), threading.Event())
        self._enqueue(unit)
        assert unit.done is not None
        unit.done.wait()
        if unit.error is not None:
            raise unit.error

    async def commit_async(self, events: Sequence[Any], ids: frozenset[UUID] | None = None) -> None:
        """`commit` for a caller in an event loop: it awaits the transaction instead of parking
        a thread (a thread hop per request costs more CPU than the rest of a click)."""
        committed = asyncio.get_running_loop().create_future()
        unit = _Unit(events, _ids(events, ids), None, committed)
        self._enqueue(unit)
        await committed
        if unit.error is not None:
            raise unit.error

    def _enqueue(self, unit: _Unit) -> None:
        with self._ready:
            if self._closed:
                raise RuntimeError("group committer is closed")
            self._queue.append(unit)
            self._start()
            self._ready.notify()

    def pending(self) -> int:
        """Requests queued for the next transaction."""
        with self._ready:
            return len(self._queue)

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        if self._thread is not None:
            self._thread.join()

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="group-commit", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while batch := self._next_batch():
            try:
                self._write(batch)
                self._observe(len(batch))
            finally:  # never leave a caller waiting, whatever happened
                _wake(batch)

    def _observe(self, size: int) -> None:
        for observe in self.observers:
            # A broken metrics hook must not stop the writer thread.
            with contextlib.suppress(Exception):
                observe(size)

    def _next_batch(self) -> list[_Unit]:
        with self._ready:
            while not self._queue and not self._closed:
                self._ready.wait()
            return self._take()

    def _take(self) -> list[_Unit]:
        # A unit touching an aggregate already in this batch waits for the next one: two
        # writes to one aggregate in one transaction would make the whole batch conflict.
        batch: list[_Unit] = []
        taken: set[UUID] = set()
        deferred: list[_Unit] = []
        size = 0
        while self._queue and (not batch or size + len(self._queue[0].events) <= self._max_events):
            unit = self._queue.popleft()
            if unit.ids & taken:
                deferred.append(unit)
            else:
                batch.append(unit)
                size += len(unit.events)
            taken |= unit.ids
        self._queue.extendleft(reversed(deferred))
        return batch

    def _write(self, batch: list[_Unit]) -> None:
        try:
            if self._save_units is not None:
                errors = self._save_units([unit.events for unit in batch])
                for unit, error in zip(batch, errors, strict=True):
                    unit.error = error
            else:
                self._save(*[e for unit in batch for e in unit.events])
        except RecordConflictError as conflict:
            if len(batch) == 1:
                batch[0].error = conflict
            else:
                self._write_one_by_one(batch)
        except Exception as error:
            for unit in batch:
                unit.error = error

    def _write_one_by_one(self, batch: list[_Unit]) -> None:
        # One bad request (a conflict) must not fail the others in its batch.
        for unit in batch:
            try:
                self._save(*unit.events)
            except Exception as error:
                unit.error = error


def _ids(events: Sequence[Any], ids: frozenset[UUID] | None) -> frozenset[UUID]:
    # A UUID hashes in Python: a hundred events' ids were ~1 % of a click batch's CPU.
    return frozenset(e.originator_id for e in events) if ids is None else ids


def _wake(batch: list[_Unit]) -> None:
    """Wake the batch's callers: one call into each event loop for all its awaiting callers
    (each call_soon_threadsafe writes to the loop's wake-up pipe)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
    for unit in batch:
        if unit.done is not None:
            unit.done.set()
        if unit.committed is not None:
            by_loop.setdefault(unit.committed.get_loop(), []).append(unit.committed)
    for loop, futures in by_loop.items():
        with contextlib.suppress(RuntimeError):  # its loop has closed
            loop.call_soon_threadsafe(_settle, futures)


def _settle(futures: list["asyncio.Future[None]"]) -> None:
    for committed in futures:
        if not committed.done():  # not if the awaiting request was cancelled
            committed.set_result(None)
