"""FlowGuardApp: the use cases, an eventsourcing Application over the configured event store."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent
from eventsourcing.utils import EnvType

from application import clicks, orders
from application.breaker import StoreBreaker
from application.commands import ChangeOrderStatus, PlaceOrder, RecordClickEvents
from application.errors import NotFound, StoreUnavailable
from application.group_commit import BatchObserver, GroupCommitter
from application.ports import Catalog, FailedEventStore
from application.results import ClickBatchResult, FailedEvent, OrderReceipt, OrderView
from application.user_orders import UserOrders, user_orders_id
from application.views import order_view
from domain.order import Order


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
        self._committer = GroupCommitter(self._insert, max_batch_events) if group_commit else None
        self._breaker = StoreBreaker()

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
        super().close()

    # --- the Store the use cases write through ----------------------------------------------

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        with self._breaker.guard(), _store_errors():
            yield

    def load(self, aggregate_id: UUID) -> Any | None:
        with _store_errors():
            try:
                return self.repository.get(aggregate_id, projector_func=_project)
            except AggregateNotFoundError:
                return None

    def commit(self, *aggregates: Aggregate) -> None:
        # Take the pending events first: a retried write must still have them. Serialise
        # them here, in the caller's thread, so the writer thread only does I/O. (This skips
        # Application.save(), whose per-event runtime Protocol checks cost more than the
        # insert; FlowGuardApp uses no snapshots and no notify hooks.)
        events = [e for aggregate in aggregates for e in aggregate.collect_events()]
        stored = [self.mapper.to_stored_event(e) for e in events]
        if self._committer is None:
            self._insert(*stored)
        else:
            self._committer.commit(stored)

    def _insert(self, *stored: StoredEvent) -> None:
        self.recorder.insert_events(list(stored))


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
    except IntegrityError as error:  # conflicts outlasted the use case's retries
        raise StoreUnavailable(f"too many concurrent writers: {error}", store_down=False) from error
    except PersistenceError as error:
        raise StoreUnavailable(str(error)) from error
