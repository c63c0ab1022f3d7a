"""FlowGuardApp: the use cases, an eventsourcing Application over the configured event store."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar
from uuid import UUID

from anyio import to_thread
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    PersistenceError,
    RecordConflictError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import EnvType

from application import clicks, orders
from application.breaker import Guard, StoreBreaker
from application.commands import ChangeOrderStatus, PlaceOrder, RecordClickEvents
from application.errors import NotFound, StoreUnavailable
from application.group_commit import BatchObserver, GroupCommitter
from application.latest_committed import LatestCommitted
from application.ports import Catalog, FailedEventStore
from application.results import ClickBatchResult, FailedEvent, OrderReceipt, OrderView
from application.stored_clicks import stored_event_writer
from application.stored_orders import stored_order_writer
from application.transcoder import FastJSONTranscoder
from application.user_orders import UserOrders, user_orders_id
from application.views import order_view
from domain.order import Order

T = TypeVar("T")


class FlowGuardApp(Application[UUID]):
    """Commands return receipts, queries return views; neither returns aggregates.

    Every command blocks until its events are committed (or raises). With `group_commit`
    (the default) concurrent commands share transactions; see application/group_commit.py.
    """

    def __init__(
        self,
        env: EnvType | None = None,
        *,
        catalog: Catalog,
        failed_events: FailedEventStore,
        group_commit: bool = True,
        max_batch_events: int = 5000,
    ) -> None:
        super().__init__(env)
        self.catalog = catalog
        self.failed_events = failed_events
        # A recorder that can skip one request's clash (adapters/postgres/recorder.py) keeps
        # the other requests of the transaction; any other recorder falls back to one by one.
        units = getattr(self.recorder, "insert_units", None)
        self._committer = (
            GroupCommitter(self._insert, max_batch_events, save_units=units)
            if group_commit
            else None
        )
        self._breaker = StoreBreaker()
        self._latest = LatestCommitted()
        # mapper.to_stored_event, faster for recorded clicks and placed orders (same bytes).
        self._to_stored = stored_order_writer(self.mapper, stored_event_writer(self.mapper))

    def construct_transcoder(self) -> Transcoder:
        transcoder = super().construct_transcoder()
        if type(transcoder) is not JSONTranscoder:  # a TRANSCODER_TOPIC was configured
            return transcoder
        fast = FastJSONTranscoder()  # the same JSON, written faster
        self.register_transcodings(fast)
        return fast

    # --- commands ---------------------------------------------------------------------------

    def place_order(self, cmd: PlaceOrder) -> OrderReceipt:
        with self._guarded():
            return orders.place_order(self, self.catalog, cmd)

    def change_order_status(self, cmd: ChangeOrderStatus) -> OrderReceipt:
        with self._guarded():
            return orders.change_order_status(self, cmd)

    def record_click_events(self, cmd: RecordClickEvents) -> ClickBatchResult:
        with self._guarded():
            result, failed = clicks.record_click_events(self, self.catalog, cmd)
            if failed:
                self.failed_events.add(failed)
            return result

    # --- the same commands for callers in an event loop -----------------------------------

    async def place_order_async(self, cmd: PlaceOrder) -> OrderReceipt:
        def use_case(store: orders.Store) -> OrderReceipt:
            return orders.place_order(store, self.catalog, cmd)

        return await self._in_loop(use_case, lambda: self.place_order(cmd))

    async def record_click_events_async(self, cmd: RecordClickEvents) -> ClickBatchResult:
        def use_case(store: orders.Store) -> tuple[ClickBatchResult, list[FailedEvent]]:
            return clicks.record_click_events(store, self.catalog, cmd)

        def blocking() -> tuple[ClickBatchResult, list[FailedEvent]]:
            return self.record_click_events(cmd), []  # it keeps the failed events itself

        result, failed = await self._in_loop(use_case, blocking)
        if failed:
            await to_thread.run_sync(self.failed_events.add, failed)
        return result

    async def _in_loop(self, use_case: Callable[[Any], T], blocking: Callable[[], T]) -> T:
        """Run `use_case` in the caller's event loop on this process's latest committed states
        and await its group commit: no thread and no read per request. Anything else (a read
        from the store, a conflict) runs `blocking` in a thread."""
        if self._committer is None:
            return await to_thread.run_sync(blocking)
        store = _LoopStore(self._latest)
        with self._guarded():  # not around `blocking`: it has its own guard
            try:
                result = use_case(store)
            except _NeedsStoreError:
                done = False
            else:
                done = not store.stored or await self._commit_async(store)
        return result if done else await to_thread.run_sync(blocking)

    async def _commit_async(self, store: "_LoopStore") -> bool:
        assert self._committer is not None
        to_stored = self._to_stored
        stored = [to_stored(e) for e in store.stored]
        try:
            await self._committer.commit_async(stored, store.ids)
        except RecordConflictError:
            self._latest.forget(store.aggregates)  # stale: the retry reads the store
            return False
        except BaseException:
            self._latest.forget(store.aggregates)
            raise
        # Only what the command read through load_latest: a new order is never read that
        # way, and caching it only took the place of sessions and user indexes (and GC time).
        self._latest.remember([a for a in store.aggregates if a.id in store.asked])
        return True

    # --- queries ----------------------------------------------------------------------------

    def get_order(self, order_id: UUID) -> OrderView:
        with self._guarded():
            order = self.load(order_id)
        if not isinstance(order, Order):
            raise NotFound(f"order {order_id} not found")
        return order_view(order)

    def list_orders(self, user_id: str, limit: int = 50, offset: int = 0) -> list[OrderView]:
        """The user's orders, newest first."""
        with self._guarded():
            index = self.load(user_orders_id(user_id))
        if not isinstance(index, UserOrders):
            return []
        newest_first = index.order_ids[::-1][offset : offset + limit]
        return [self.get_order(order_id) for order_id in newest_first]

    def list_failed_events(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        with self._guarded():
            return self.failed_events.list(limit, offset)

    def check_ready(self) -> None:
        """Raise StoreUnavailable unless the event store answers (at once while the store is
        known to be down; see application/breaker.py)."""
        with self._guarded():
            self.recorder.max_notification_id()

    def add_batch_observer(self, observe: BatchObserver) -> None:
        """`observe(n)` is called after every group-commit transaction of n requests."""
        if self._committer is not None:
            self._committer.observers.append(observe)

    def close(self) -> None:
        if self._committer is not None:
            self._committer.close()
        # A connection the recorder keeps for the group commit goes back before the pool closes.
        release = getattr(self.recorder, "release_connections", None)
        if release is not None:
            release()
        super().close()

    # --- the Store the use cases write through ----------------------------------------------

    def _guarded(self) -> "_Guarded":
        return _Guarded(self._breaker)

    def load(self, aggregate_id: UUID) -> Any | None:
        with _store_errors():
            try:
                return self.repository.get(aggregate_id, projector_func=_project)
            except AggregateNotFoundError:
                return None

    def load_latest(self, aggregate_id: UUID) -> Any | None:
        """The aggregate as this process last committed it (no read from the store), else as
        stored. It may be stale if another process wrote it since: a write decided on it then
        fails with RecordConflictError (the version is taken), which evicts it, and the
        caller's retry reads the store. Use it only where a stale state can lead to a write,
        never to a refusal (see application/clicks.py)."""
        latest = self._latest.get(aggregate_id)
        return latest if latest is not None else self.load(aggregate_id)

    def commit(self, *aggregates: Aggregate) -> None:
        # Take the pending events first: a retried write must still have them. Serialise
        # them here, in the caller's thread, so the writer thread only does I/O. (This skips
        # Application.save(), whose per-event runtime Protocol checks cost more than the
        # insert; FlowGuardApp uses no snapshots and no notify hooks.)
        events, ids = _collect(aggregates)
        stored = [self._to_stored(e) for e in events]
        try:
            if self._committer is None:
                self._insert(*stored)
            else:
                self._committer.commit(stored, ids)
        except BaseException:
            self._latest.forget(aggregates)
            raise
        self._latest.remember(aggregates)

    def _insert(self, *stored: StoredEvent) -> None:
        self.recorder.insert_events(list(stored))


def _collect(aggregates: Iterable[Aggregate]) -> tuple[list[Any], frozenset[UUID]]:
    """The aggregates' pending events, and the ids of those that had any (the group commit
    keeps two requests for one aggregate apart by them; an event's UUID hashes in Python, so
    they are not worked out per event)."""
    events: list[Any] = []
    ids = []
    for aggregate in aggregates:
        pending = aggregate.collect_events()
        if pending:
            events += pending
            ids.append(aggregate.id)
    return events, frozenset(ids)


def _project(aggregate: Any, events: Iterable[Any]) -> Any:
    # eventsourcing's project_aggregate, less its per-event `isinstance(e, Protocol)` assert,
    # which costs more than applying the event (and vanishes under `python -O` anyway).
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


@contextmanager
def _store_errors() -> Iterator[None]:
    try:
        yield
    except PersistenceError as error:
        raise _unavailable(error) from error


def _unavailable(error: PersistenceError) -> StoreUnavailable:
    if isinstance(error, IntegrityError):  # conflicts outlasted the use case's retries
        return StoreUnavailable(f"too many concurrent writers: {error}", store_down=False)
    return StoreUnavailable(str(error))


class _Guarded(Guard):
    """The store breaker's guard, with the store's errors raised as StoreUnavailable."""

    __slots__ = ()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not isinstance(error, PersistenceError):
            super().__exit__(kind, error, traceback)
            return
        unavailable = _unavailable(error)
        super().__exit__(StoreUnavailable, unavailable, traceback)
        raise unavailable from error


class _NeedsStoreError(Exception):
    """The command needs a read from the store: run it in a thread instead."""


class _LoopStore:
    """The store of a command run in the event loop: it reads only the latest committed
    states and defers the commit, which the caller then awaits."""

    def __init__(self, latest: LatestCommitted) -> None:
        self._latest = latest
        self.aggregates: Sequence[Aggregate] = ()
        self.stored: list[Any] = []
        self.ids: frozenset[UUID] = frozenset()  # of the aggregates with events to store
        self.asked: set[UUID] = set()  # the ids load_latest was asked for

    def load(self, aggregate_id: UUID) -> Any | None:
        raise _NeedsStoreError

    def load_latest(self, aggregate_id: UUID) -> Any | None:
        # Not committed by this process lately: most likely new (a session's first click, a
        # user's first order), so go on as if it were, instead of reading the store. If it is
        # stored after all, the commit conflicts on its first version (only this request's
        # part of the shared transaction fails) and the command is redone on the store's
        # state, in a thread. A refusal is never decided on it (see load_latest's contract).
        self.asked.add(aggregate_id)
        return self._latest.get(aggregate_id)

    def commit(self, *aggregates: Aggregate) -> None:
        if self.aggregates:
            raise _NeedsStoreError  # a use case that commits twice is not run this way
        self.aggregates = aggregates
        self.stored, self.ids = _collect(aggregates)
