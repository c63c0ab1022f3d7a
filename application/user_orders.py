"""UserOrders: an index aggregate listing one user's order ids, for `list_orders`.

It is written in the same transaction as the order it indexes, so the list is never stale and
works the same on every event store; one small aggregate per user keeps writers of different
users independent. Its events have no `event_type`: internal bookkeeping, never published.
"""

import functools
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

# Fixed forever: a user id maps to the same index in every process and store.
USER_ORDERS_NAMESPACE = UUID("0b6c2f0e-8a43-5d0e-b1f4-6a7d3e2c9f10")


class UserOrders(Aggregate):
    @staticmethod
    @functools.lru_cache(maxsize=65_536)  # a user orders again and again; uuid5 is slow
    def create_id(user_id: str) -> UUID:
        return uuid5(USER_ORDERS_NAMESPACE, user_id)

    class Opened(Aggregate.Created):
        user_id: str

    @event(Opened)
    def __init__(self, *, user_id: str) -> None:
        self.user_id = user_id
        self.order_ids: list[UUID] = []

    class OrderAdded(Aggregate.Event):
        order_id: UUID

        def apply(self, aggregate: "UserOrders") -> None:
            aggregate.order_ids.append(self.order_id)

    @classmethod
    def open(cls, user_id: str) -> "UserOrders":
        return cls._create(cls.Opened, id=cls.create_id(user_id), user_id=user_id)

    def add(self, order_id: UUID) -> None:
        self.trigger_event(self.OrderAdded, order_id=order_id)
