"""The ClickSession aggregate: one shopper session's clickstream and the cart it implies."""

import functools
from datetime import datetime
from typing import ClassVar, NamedTuple, cast
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, TAggregate

from domain.copying import CopiesContainers
from domain.errors import FieldError, Invalid

# Fixed forever: session ids map to the same aggregate id in every process and store.
CLICK_SESSION_NAMESPACE = UUID("6b0f6f3e-2f4b-5b7e-9d1c-3c8a1f0e7a11")
EVENT_TYPES = ("impression", "click", "add_to_cart", "remove_from_cart", "checkout_started")
ITEM_EVENT_TYPES = frozenset(EVENT_TYPES[:4])
MIN_QUANTITY, MAX_QUANTITY = 1, 50
_QUANTITY_TYPES = frozenset({"add_to_cart", "remove_from_cart"})


@functools.lru_cache(maxsize=65_536)  # a shopper's session clicks many times; uuid5 costs ~7 us
def click_session_id(session_id: str) -> UUID:
    return uuid5(CLICK_SESSION_NAMESPACE, session_id)


class Click(NamedTuple):
    """A click event whose shape the application already checked against the catalog.
    (A named tuple: immutable, and built in a fifth of a frozen dataclass's time, once per
    event of every batch.)"""

    event_id: UUID
    event_type: str
    event_time: datetime
    received_at: datetime
    user_id: str | None
    item_id: str | None
    restaurant_id: str
    page: str
    position: int | None
    quantity: int | None


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


class ClickSession(CopiesContainers, Aggregate):
    class Opened(Aggregate.Created):
        """Internal bookkeeping: has no `event_type`, so the relay does not publish it."""

        session_id: str

        def mutate(self, aggregate: TAggregate | None) -> TAggregate | None:
            # The session straight from the event, when opened and when replayed:
            # eventsourcing's generic mutate picks the constructor's arguments out of the event
            # by signature on every call (opening five sessions was ~7 % of a click batch).
            assert aggregate is None
            session = ClickSession.__new__(ClickSession)
            session._apply_opened(self)
            return cast("TAggregate", session)

    class Recorded(Aggregate.Event):
        event_id: UUID
        event_time: datetime
        received_at: datetime
        session_id: str
        user_id: str | None
        item_id: str | None
        restaurant_id: str
        page: str
        position: int | None

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, ClickSession)
            aggregate.seen.add(self.event_id.int)

    class ImpressionRecorded(Recorded):
        event_type: ClassVar[str] = "click.impression"

    class ItemClicked(Recorded):
        event_type: ClassVar[str] = "click.click"

    class CheckoutStarted(Recorded):
        event_type: ClassVar[str] = "click.checkout_started"

    class ItemAddedToCart(Recorded):
        event_type: ClassVar[str] = "click.add_to_cart"
        quantity: int

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, ClickSession)
            assert self.item_id
            aggregate.seen.add(self.event_id.int)
            aggregate.cart[self.item_id] = aggregate.cart.get(self.item_id, 0) + self.quantity

    class ItemRemovedFromCart(Recorded):
        event_type: ClassVar[str] = "click.remove_from_cart"
        quantity: int

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, ClickSession)
            assert self.item_id
            aggregate.seen.add(self.event_id.int)
            left = aggregate.cart.pop(self.item_id) - self.quantity
            if left:
                aggregate.cart[self.item_id] = left

    def _apply_opened(self, e: Opened) -> None:
        """The state of a new session (Opened.mutate)."""
        self.__base_init__(e.originator_id, e.originator_version, e.timestamp)
        self.session_id = e.session_id
        # The recorded event ids, as integers: a UUID hashes in Python and is an object the
        # garbage collector tracks, and long sessions kept many of them alive in the
        # latest-committed cache (gc callbacks: collections were ~4 % of a click batch).
        self.seen: set[int] = set()
        self.cart: dict[str, int] = {}

    @classmethod
    def open(cls, session_id: str) -> "ClickSession":
        # _create names the event class (the constructor would work it out per call).
        return cls._create(cls.Opened, id=click_session_id(session_id), session_id=session_id)

    def record(self, click: Click, timestamp: datetime | None = None) -> bool:
        """Record one click; False when its event_id was already recorded (a no-op).
        Raises Invalid when the event would break the funnel. `timestamp` is the event's
        (eventsourcing's: when it was decided); now when not given. A command that decides
        many clicks at once may give them one."""
        if click.event_id.int in self.seen:
            return False
        errors = shape_errors(click) or self._funnel_errors(click)
        if errors:
            raise Invalid(errors)
        event_class = EVENT_CLASSES[click.event_type]
        self._trigger_recorded(event_class, click, timestamp or event_class.create_timestamp())
        return True

    def _funnel_errors(self, click: Click) -> list[FieldError]:
        in_cart = self.cart.get(click.item_id or "", 0)
        if click.event_type == "remove_from_cart" and (click.quantity or 1) > in_cart:
            return [FieldError("quantity", f"removes more than the {in_cart} in the cart")]
        if click.event_type == "checkout_started" and not self.cart:
            return [FieldError("event_type", "checkout_started needs a non-empty cart")]
        return []

    def _trigger_recorded(
        self, event_class: type["ClickSession.Recorded"], click: Click, timestamp: datetime
    ) -> None:
        """`trigger_event(event_class, **attributes)`, less its generic work: the event's state
        is set in one go, in the dataclass's field order (vars() and so the stored JSON are
        the same), instead of through the frozen dataclass's __init__, one object.__setattr__
        per field (half of recording a click; tests/unit/domain/test_click_session.py holds
        the two ways to the same event). Every value is checked above or typed by Click, and
        the aggregate id is a UUID, so the skipped __post_init__ check cannot fail."""
        checkout = click.event_type == "checkout_started"
        recorded = object.__new__(event_class)
        state = recorded.__dict__
        state["originator_id"] = self.id
        state["originator_version"] = self.version + 1
        state["timestamp"] = timestamp
        state["event_id"] = click.event_id
        state["event_time"] = click.event_time
        state["received_at"] = click.received_at
        state["session_id"] = self.session_id
        state["user_id"] = click.user_id
        state["item_id"] = None if checkout else click.item_id
        state["restaurant_id"] = click.restaurant_id
        state["page"] = click.page
        state["position"] = None if checkout else click.position
        if click.event_type in _QUANTITY_TYPES:
            state["quantity"] = click.quantity or 1
        # mutate(), less its checks that the event is this aggregate's next (true by
        # construction: ~0.7 us of UUID comparison per click).
        recorded.apply(self)
        self.version = state["originator_version"]
        self.modified_on = state["timestamp"]
        self.pending_events.append(recorded)


EVENT_CLASSES: dict[str, type[ClickSession.Recorded]] = {
    "impression": ClickSession.ImpressionRecorded,
    "click": ClickSession.ItemClicked,
    "add_to_cart": ClickSession.ItemAddedToCart,
    "remove_from_cart": ClickSession.ItemRemovedFromCart,
    "checkout_started": ClickSession.CheckoutStarted,
}
