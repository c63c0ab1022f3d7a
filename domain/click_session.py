"""The ClickSession aggregate: one shopper session's clickstream and the cart it implies."""

import functools
from datetime import datetime
from typing import Any, ClassVar, NamedTuple
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import FieldError, Invalid
from domain.events import create, trigger
from domain.ids import new_event_id

# Fixed forever: a caller's session id maps to the same aggregate id in every process.
CLICK_SESSION_NAMESPACE = UUID("6b0f6f3e-2f4b-5b7e-9d1c-3c8a1f0e7a11")
EVENT_TYPES = ("impression", "click", "add_to_cart", "remove_from_cart", "checkout_started")
ITEM_EVENT_TYPES = frozenset(EVENT_TYPES[:4])
MIN_QUANTITY, MAX_QUANTITY = 1, 50
_QUANTITY_TYPES = frozenset({"add_to_cart", "remove_from_cart"})


class Click(NamedTuple):
    """A click event whose shape the application already checked against the catalog.
    `client_event_id` is the client's own id for it: a second click with the same one in the
    same session is a retry, and changes nothing."""

    client_event_id: UUID | None
    event_type: str
    event_time: datetime
    received_at: datetime
    user_id: str | None
    item_id: str | None
    restaurant_id: str
    page: str
    position: int | None
    quantity: int | None


class Recording(NamedTuple):
    event_id: UUID  # the server's id of the stored event
    new: bool  # False: a retry of an event recorded before, nothing stored


def shape_errors(click: Click) -> list[FieldError]:
    """Rules that hold for one event on its own, before the session's history is consulted."""
    errors = []
    if click.event_type not in EVENT_TYPES:
        errors.append(FieldError("event_type", f"must be one of {list(EVENT_TYPES)}"))
    if click.event_type in ITEM_EVENT_TYPES and not click.item_id:
        errors.append(FieldError("item_id", f"is required for {click.event_type}"))
    if click.position is not None and click.position < 0:
        errors.append(FieldError("position", "must be zero or more"))
    if click.quantity is not None and not MIN_QUANTITY <= click.quantity <= MAX_QUANTITY:
        errors.append(FieldError("quantity", "must be between 1 and 50"))
    if not click.page:
        errors.append(FieldError("page", "must not be empty"))
    return errors


class ClickSession(Aggregate):
    @staticmethod
    @functools.lru_cache(maxsize=65_536)  # a shopper's session clicks many times; uuid5 is slow
    def create_id(owner: str, session_id: str) -> UUID:
        """The id of `owner`'s session `session_id`: the same session id sent by another
        owner is another session, and no other kind of record has this id."""
        return uuid5(CLICK_SESSION_NAMESPACE, f"{owner}\n{session_id}")

    class Opened(Aggregate.Created):
        """Internal bookkeeping: has no `event_type`, so the relay does not publish it."""

        session_id: str

    @event(Opened)
    def __init__(self, *, session_id: str) -> None:
        self.session_id = session_id
        # The recorded events' ids, client's -> server's. Kept as integers: a UUID is an object
        # the garbage collector tracks, and the sessions cached between requests held two per
        # click (six times the young collections of a click batch, benchmarks/HISTORY.md).
        self.seen: dict[int, int] = {}
        self.cart: dict[str, int] = {}

    class Recorded(Aggregate.Event):
        event_type: ClassVar[str]  # each kind of click below names its own
        class_version = 2
        event_id: UUID
        client_event_id: UUID | None
        event_time: datetime
        received_at: datetime
        session_id: str
        user_id: str | None
        item_id: str | None
        restaurant_id: str
        page: str
        position: int | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 stored the client's id (or a random one) as `event_id`.
            state["client_event_id"] = state["event_id"]

        def apply(self, aggregate: "ClickSession") -> None:
            if self.client_event_id is not None:
                aggregate.seen[self.client_event_id.int] = self.event_id.int

    class ImpressionRecorded(Recorded):
        event_type = "click.impression"

    class ItemClicked(Recorded):
        event_type = "click.click"

    class CheckoutStarted(Recorded):
        event_type = "click.checkout_started"

    class ItemAddedToCart(Recorded):
        event_type = "click.add_to_cart"
        quantity: int

        def apply(self, aggregate: "ClickSession") -> None:
            super().apply(aggregate)
            assert self.item_id
            aggregate.cart[self.item_id] = aggregate.cart.get(self.item_id, 0) + self.quantity

    class ItemRemovedFromCart(Recorded):
        event_type = "click.remove_from_cart"
        quantity: int

        def apply(self, aggregate: "ClickSession") -> None:
            super().apply(aggregate)
            assert self.item_id
            left = aggregate.cart.pop(self.item_id) - self.quantity
            if left:
                aggregate.cart[self.item_id] = left

    @classmethod
    def open(cls, owner: str, session_id: str) -> "ClickSession":
        return create(cls, cls.Opened, cls.create_id(owner, session_id), {"session_id": session_id})

    def record(self, click: Click, timestamp: datetime | None = None) -> Recording:
        """Record one click, or recognise its retry (the client's id for it was recorded).
        Raises Invalid when the event would break the funnel. `timestamp` is the event's
        (eventsourcing's: when it was decided); a command deciding many clicks gives them one."""
        client = click.client_event_id
        if client is not None and client.int in self.seen:
            return Recording(UUID(int=self.seen[client.int]), new=False)
        errors = shape_errors(click) or self._funnel_errors(click)
        if errors:
            raise Invalid(errors)
        checkout = click.event_type == "checkout_started"
        event_id = new_event_id()
        fields: dict[str, Any] = {
            "event_id": event_id,
            "client_event_id": click.client_event_id,
            "event_time": click.event_time,
            "received_at": click.received_at,
            "session_id": self.session_id,
            "user_id": click.user_id,
            "item_id": None if checkout else click.item_id,
            "restaurant_id": click.restaurant_id,
            "page": click.page,
            "position": None if checkout else click.position,
        }
        if click.event_type in _QUANTITY_TYPES:
            fields["quantity"] = click.quantity or 1
        trigger(self, EVENT_CLASSES[click.event_type], fields, timestamp)
        return Recording(event_id, new=True)

    def _funnel_errors(self, click: Click) -> list[FieldError]:
        in_cart = self.cart.get(click.item_id or "", 0)
        if click.event_type == "remove_from_cart" and (click.quantity or 1) > in_cart:
            return [FieldError("quantity", f"removes more than the {in_cart} in the cart")]
        if click.event_type == "checkout_started" and not self.cart:
            return [FieldError("event_type", "checkout_started needs a non-empty cart")]
        return []


EVENT_CLASSES: dict[str, type[ClickSession.Recorded]] = {
    "impression": ClickSession.ImpressionRecorded,
    "click": ClickSession.ItemClicked,
    "add_to_cart": ClickSession.ItemAddedToCart,
    "remove_from_cart": ClickSession.ItemRemovedFromCart,
    "checkout_started": ClickSession.CheckoutStarted,
}
