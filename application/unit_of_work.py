"""The unit of work: what one use case reads and changes, stored together or not at all.

A use case gets a `UnitOfWork`, reads aggregates with `get`, registers what it changed with
`add`, hands over the inputs it refused (`reject`, `refuse`) and calls `commit`. `UnitsOfWork`
runs use cases and owns everything below them:

- **The latest committed states.** A unit first reads this process's last committed state of
  an aggregate (no read from the store). Such a state may be stale when another process wrote
  since. A change decided on it then fails on commit, because its version is taken, and the
  unit is redone on the store's state. A refusal decided on it is redone the same way before
  anything is stored, so a stale state never refuses an event.
- **Commits.** The failed events of a unit are kept first (idempotently: their ids are
  derived from the request), then its aggregates' pending events are stored in one transaction,
  shared with concurrent units by the group commit. A unit answered with an error stored no
  event; a unit that returns stored everything it reports.
- **The event loop.** `run_async` runs a unit in the caller's event loop when every state it
  needs is at hand (an aggregate not in the cache is taken to be new; the commit then conflicts
  if it was not), and awaits its commit there: no thread and no read per request. Anything
  else (a read, a conflict, a refusal on cached state) is redone in a thread.
"""

import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from anyio import to_thread
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, RecordConflictError, StoredEvent

from application.errors import IdempotencyConflict, NotFound, StoreUnavailable
from application.group_commit import GroupCommitter
from application.latest_committed import LatestCommitted
from application.ports import FailedEventStore
from application.results import FailedEvent
from domain.errors import DomainError

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")
UseCase = Callable[["UnitOfWork"], T]
# Conflicts only come from concurrent writers of one aggregate; each round one of them wins,
# so this bounds how many may race before the request is answered 503 (retry later).
ATTEMPTS = 20
REFUSALS = (DomainError, NotFound, IdempotencyConflict)


class Mode(Enum):
    ASSUMING = "assuming"  # cached states only; an aggregate not cached is taken to be new
    CACHED = "cached"  # cached states, else the store's
    FRESH = "fresh"  # the store's states only


class RedoError(Exception):
    """The unit must be redone on the store's states (raised inside this module only)."""


class UnitOfWork:
    def __init__(
        self,
        mode: Mode,
        latest: LatestCommitted,
        load: Callable[[UUID], Aggregate | None],
        write: Callable[["UnitOfWork"], None],
    ) -> None:
        self._mode, self._latest, self._load, self._write = mode, latest, load, write
        self._read: dict[UUID, Aggregate | None] = {}
        self.aggregates: list[Aggregate] = []
        self.failed: list[FailedEvent] = []
        self.pending: list[Any] = []
        self.on_cached_state = False  # a decision may rest on a cached (or assumed) state
        self._refused = False

    def get(self, kind: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, or None if there is none; NotFound if the id is another kind's."""
        if aggregate_id not in self._read:
            self._read[aggregate_id] = self._state(aggregate_id)
        aggregate = self._read[aggregate_id]
        if aggregate is not None and not isinstance(aggregate, kind):
            raise NotFound(f"{aggregate_id} is not a {kind.__name__.lower()}")
        return aggregate

    def add(self, *aggregates: Aggregate) -> None:
        self.aggregates += [a for a in aggregates if all(a is not b for b in self.aggregates)]

    def reject(self, *failed: FailedEvent) -> None:
        """Keep inputs refused on their own merits (shape, catalog, time)."""
        self.failed += failed

    def refuse(self, *failed: FailedEvent) -> None:
        """Keep inputs an aggregate refused on the state this unit read."""
        self.failed += failed
        self._refused = True

    def commit(self) -> None:
        if self._refused and self.on_cached_state:
            raise RedoError("a refusal decided on a cached state")
        self.pending = [e for a in self.aggregates for e in a.collect_events()]
        if self._mode is not Mode.ASSUMING:  # in the event loop the runner awaits it
            self._write(self)

    def touched(self) -> Sequence[Aggregate]:
        read = [a for a in self._read.values() if a is not None]
        return read + [a for a in self.aggregates if self._read.get(a.id) is not a]

    def _state(self, aggregate_id: UUID) -> Aggregate | None:
        if self._mode is not Mode.FRESH:
            cached = self._latest.get(aggregate_id)
            if cached is not None or self._mode is Mode.ASSUMING:
                self.on_cached_state = True
                return cached
        return self._load(aggregate_id)


class UnitsOfWork:
    """Runs use cases as units of work over one event store (see the module's docstring)."""

    def __init__(
        self,
        *,
        load: Callable[[UUID], Aggregate | None],
        to_stored: Callable[[Any], StoredEvent],
        insert: Callable[..., object],
        failed_events: FailedEventStore,
        committer: GroupCommitter | None,
        latest: LatestCommitted,
    ) -> None:
        self._load, self._to_stored, self._insert = load, to_stored, insert
        self._failed_events = failed_events
        self._committer = committer
        self._latest = latest

    def run(self, use_case: UseCase[T], *, fresh: bool = False) -> T:
        """Run `use_case` until it commits or refuses on the store's own states."""
        mode = Mode.FRESH if fresh else Mode.CACHED
        for attempt in range(ATTEMPTS):
            unit = self._unit(mode)
            try:
                return self._attempt(unit, use_case)
            except RecordConflictError:
                _backoff(attempt)  # another writer got there first: reload and decide again
            except RedoError:
                pass
            mode = Mode.FRESH
        raise IntegrityError(f"{ATTEMPTS} attempts lost to concurrent writers")

    async def run_async(self, use_case: UseCase[T]) -> T:
        """`run`, in the caller's event loop when the unit needs no read (see the module)."""
        if self._committer is None:
            return await to_thread.run_sync(self.run, use_case)
        unit = self._unit(Mode.ASSUMING)
        try:
            result = self._decided(unit, use_case)
            if unit.failed:
                await to_thread.run_sync(self.keep_failed, unit.failed)
            if unit.pending:
                stored = [self._to_stored(e) for e in unit.pending]
                await self._committer.commit_async(stored, _ids(unit.aggregates))
        except (RecordConflictError, RedoError):
            self._latest.forget(unit.touched())
            return await to_thread.run_sync(lambda: self.run(use_case, fresh=True))
        except BaseException:
            self._latest.forget(unit.touched())
            raise
        self._latest.remember(unit.touched())
        return result

    def _attempt(self, unit: UnitOfWork, use_case: UseCase[T]) -> T:
        try:
            result = self._decided(unit, use_case)
        except BaseException:
            self._latest.forget(unit.touched())
            raise
        self._latest.remember(unit.touched())
        return result

    def _decided(self, unit: UnitOfWork, use_case: UseCase[T]) -> T:
        try:
            return use_case(unit)
        except REFUSALS:
            if unit.on_cached_state:
                raise RedoError("a refusal decided on a cached state") from None
            raise

    def _unit(self, mode: Mode) -> UnitOfWork:
        return UnitOfWork(mode, self._latest, self._load, self._write)

    def _write(self, unit: UnitOfWork) -> None:
        if unit.failed:
            self.keep_failed(unit.failed)
        if not unit.pending:
            return
        stored = [self._to_stored(e) for e in unit.pending]
        if self._committer is None:
            self._insert(*stored)
        else:
            self._committer.commit(stored, _ids(unit.aggregates))

    def keep_failed(self, failed: list[FailedEvent]) -> None:
        with failed_store_errors():
            self._failed_events.add(failed)


@contextmanager
def failed_store_errors() -> Iterator[None]:
    """The failed-event store's failures, whatever its adapter raises, as StoreUnavailable."""
    try:
        yield
    except Exception as error:
        raise StoreUnavailable(
            f"The failed-event store is unavailable ({type(error).__name__}).", store_down=False
        ) from error


def _ids(aggregates: Iterable[Aggregate]) -> frozenset[UUID]:
    return frozenset(a.id for a in aggregates)


def _backoff(attempt: int) -> None:
    # Jitter spreads the losers of a race so they do not collide again in the next round.
    time.sleep(random.uniform(0, 0.001 * (attempt + 1)))
