"""UserOrders: an index aggregate listing one user's order ids, for `list_orders`.

It is written in the same transaction as the order it indexes, so the list is never stale and
works the same on every event store; one small aggregate per user keeps writers of different
users independent. Its events have no `event_type`: internal bookkeeping, never published.
"""

import functools
from typing import cast
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, TAggregate

from domain.copying import CopiesContainers

USER_ORDERS_NAMESPACE = UUID("0b6c2f0e-8a43-5d0e-b1f4-6a7d3e2c9f10")


@functools.lru_cache(maxsize=65_536)  # a user orders again and again; uuid5 costs ~7 us
def user_orders_id(user_id: str) -> UUID:
    return uuid5(USER_ORDERS_NAMESPACE, user_id)


class UserOrders(CopiesContainers, Aggregate):
    class Opened(Aggregate.Created):
        user_id: str

        def mutate(self, aggregate: TAggregate | None) -> TAggregate | None:
            # The index straight from the event (as Order.Placed does): eventsourcing's generic
            # mutate picks the constructor's arguments out of the event by signature.
            assert aggregate is None
            index = UserOrders.__new__(UserOrders)
            index._apply_opened(self)
            return cast("TAggregate", index)

    class OrderAdded(Aggregate.Event):
        order_id: UUID

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, UserOrders)
            aggregate.order_ids.append(self.order_id)

    def _apply_opened(self, e: Opened) -> None:
        self.__base_init__(e.originator_id, e.originator_version, e.timestamp)
        self.user_id = e.user_id
        self.order_ids: list[UUID] = []

    @classmethod
    def open(cls, user_id: str) -> "UserOrders":
        # _create names the event class (the constructor would work it out per call).
        return cls._create(cls.Opened, id=user_orders_id(user_id), user_id=user_id)

    def add(self, order_id: UUID) -> None:
        """`trigger_event(OrderAdded, order_id=order_id)`, less its generic work (one per
        order placed): the event's state is set in one go, in the dataclass's field order
        (vars() and so the stored JSON are the same; tests/unit/application/test_orders.py
        holds the two ways to the same event), instead of through the frozen dataclass's
        __init__, and mutate()'s checks that the event is this aggregate's next are true by
        construction. The aggregate id is a UUID, so the skipped __post_init__ cannot fail."""
        added = object.__new__(self.OrderAdded)
        state = added.__dict__
        state["originator_id"] = self.id
        state["originator_version"] = self.version + 1
        state["timestamp"] = self.OrderAdded.create_timestamp()
        state["order_id"] = order_id
        added.apply(self)
        self.version = state["originator_version"]
        self.modified_on = state["timestamp"]
        self.pending_events.append(added)
