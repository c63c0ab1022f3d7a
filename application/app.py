"""FlowGuardApp: the use cases, an eventsourcing Application over the configured event store."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent
from eventsourcing.utils import EnvType

from application import clicks, orders
from application.breaker import Guard, StoreBreaker
from application.codec import StoredEventCodec
from application.commands import ChangeOrderStatus, PlaceOrder, RecordClickEvents
from application.errors import NotFound, StoreUnavailable
from application.group_commit import BatchObserver, GroupCommitter
from application.latest_committed import LatestCommitted
from application.ports import Catalog, FailedEventStore
from application.results import ClickBatchResult, FailedEvent, OrderReceipt, OrderView
from application.unit_of_work import UnitsOfWork, failed_store_errors
from application.user_orders import UserOrders
from application.views import order_view
from domain.order import Order


class FlowGuardApp(Application[UUID]):
    """Commands return receipts, queries return views; neither returns aggregates.

    Every command is a unit of work (application/unit_of_work.py): it returns once its events
    are committed, or raises having stored none. With `group_commit` (the default) concurrent
    commands share transactions (application/group_commit.py).
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
        self.codec = StoredEventCodec(self.mapper)
        # A recorder that can skip one request's clash (adapters/postgres/recorder.py) keeps
        # the other requests of the transaction; any other recorder falls back to one by one.
        units = getattr(self.recorder, "insert_units", None)
        self._committer = (
            GroupCommitter(self._insert, max_batch_events, save_units=units)
            if group_commit
            else None
        )
        self._breaker = StoreBreaker()
        self.units = UnitsOfWork(
            load=self.load,
            to_stored=self.codec.to_stored,
            insert=self._insert,
            failed_events=failed_events,
            committer=self._committer,
            latest=LatestCommitted(),
        )

    # --- commands ---------------------------------------------------------------------------

    def place_order(self, cmd: PlaceOrder) -> OrderReceipt:
        with self._guarded():
            return self.units.run(lambda uow: orders.place_order(uow, self.catalog, cmd))

    def change_order_status(self, cmd: ChangeOrderStatus) -> OrderReceipt:
        with self._guarded():
            return self.units.run(lambda uow: orders.change_order_status(uow, cmd))

    def record_click_events(self, cmd: RecordClickEvents) -> ClickBatchResult:
        with self._guarded():
            return self.units.run(lambda uow: clicks.record_click_events(uow, self.catalog, cmd))

    # --- the same commands for callers in an event loop -----------------------------------

    async def place_order_async(self, cmd: PlaceOrder) -> OrderReceipt:
        with self._guarded():
            return await self.units.run_async(
                lambda uow: orders.place_order(uow, self.catalog, cmd)
            )

    async def change_order_status_async(self, cmd: ChangeOrderStatus) -> OrderReceipt:
        with self._guarded():
            return await self.units.run_async(lambda uow: orders.change_order_status(uow, cmd))

    async def record_click_events_async(self, cmd: RecordClickEvents) -> ClickBatchResult:
        with self._guarded():
            return await self.units.run_async(
                lambda uow: clicks.record_click_events(uow, self.catalog, cmd)
            )

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
            index = self.load(UserOrders.create_id(user_id))
        if not isinstance(index, UserOrders):
            return []
        newest_first = index.order_ids[::-1][offset : offset + limit]
        return [self.get_order(order_id) for order_id in newest_first]

    def list_failed_events(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        """Refused inputs, newest first."""
        with failed_store_errors():
            return self.failed_events.list(limit, offset)

    def count_failed_events(self) -> int:
        with failed_store_errors():
            return self.failed_events.count()

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

    # --- the store --------------------------------------------------------------------------

    def load(self, aggregate_id: UUID) -> Any | None:
        with _store_errors():
            try:
                return self.repository.get(aggregate_id, projector_func=_project)
            except AggregateNotFoundError:
                return None

    def _insert(self, *stored: StoredEvent) -> None:
        self.recorder.insert_events(list(stored))

    def _guarded(self) -> "_Guarded":
        return _Guarded(self._breaker)


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
