"""One shopping session: impressions -> clicks -> cart adds and removes -> checkout -> order."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid5

from entrypoints.simulator.catalog import SimCatalog, SimItem
from entrypoints.simulator.events import ClickEvent, OrderLine
from entrypoints.simulator.population import Shopper

HOME_CLICK_THROUGH = 0.12
MENU_CLICK_THROUGH = 0.25
ADD_AFTER_CLICK = 0.6
REMOVE_AFTER_ADD = 0.15
CHECKOUT_WITH_CART = 0.65
ORDER_AFTER_CHECKOUT = 0.8


@dataclass
class Session:
    """A session being built: events so far, the device clock and the cart."""

    namespace: UUID
    session_id: str
    shopper: Shopper
    now: datetime
    rng: random.Random
    events: list[ClickEvent] = field(default_factory=list)
    cart: dict[str, tuple[SimItem, int]] = field(default_factory=dict)
    ordered_at: datetime | None = None

    def emit(self, event_type: str, restaurant_id: str, page: str, **extra: object) -> None:
        self.now += timedelta(seconds=self.rng.randint(2, 40))
        event_id = uuid5(self.namespace, f"{self.session_id}:{len(self.events)}")
        self.events.append(
            ClickEvent(event_id, self.session_id, self.shopper.user_id, event_type, restaurant_id,
                       page, self.now, skew=self.shopper.skew, **extra)  # type: ignore[arg-type]
        )  # fmt: skip

    def cart_restaurant(self) -> str:
        return next(iter(self.cart.values()))[0].restaurant_id

    def order_lines(self) -> tuple[OrderLine, ...]:
        return tuple(OrderLine(i.item_id, q, i.price) for i, q in self.cart.values())


def shop(session: Session, catalog: SimCatalog) -> Session:
    """Play the session out: browse the home feed, then one or two restaurant menus."""
    rng = session.rng
    restaurants = catalog.restaurants_in(session.shopper.city)
    feed = [rng.choice(catalog.menu(rng.choice(restaurants).restaurant_id))
            for _ in range(rng.randint(6, 10))]  # fmt: skip
    clicked = _browse(session, feed, "home", HOME_CLICK_THROUGH)
    if clicked or rng.random() < 0.5:
        _visit_menu(session, catalog.menu((clicked or feed)[-1].restaurant_id))
        if rng.random() < 0.2:
            _visit_menu(session, catalog.menu(rng.choice(feed).restaurant_id))
    _checkout(session)
    return session


def _browse(session: Session, items: list[SimItem], page: str, ctr: float) -> list[SimItem]:
    """Show items; the shopper clicks some. Returns the items clicked."""
    clicked = []
    for position, item in enumerate(items, start=1):
        at = {"item_id": item.item_id, "position": position}
        session.emit("impression", item.restaurant_id, page, **at)
        if session.rng.random() < ctr:
            session.emit("click", item.restaurant_id, page, **at)
            clicked.append(item)
    return clicked


def _visit_menu(session: Session, menu: list[SimItem]) -> None:
    shown = session.rng.sample(menu, k=min(len(menu), session.rng.randint(6, 12)))
    for item in _browse(session, shown, "restaurant", MENU_CLICK_THROUGH):
        if session.rng.random() < ADD_AFTER_CLICK:
            _add(session, item)


def _add(session: Session, item: SimItem) -> None:
    # One restaurant per cart, as food-delivery apps enforce.
    if any(i.restaurant_id != item.restaurant_id for i, _ in session.cart.values()):
        return
    quantity = session.rng.choice((1, 1, 1, 2, 3))
    session.emit("add_to_cart", item.restaurant_id, "restaurant", item_id=item.item_id,
                 quantity=quantity)  # fmt: skip
    _, before = session.cart.get(item.item_id, (item, 0))
    session.cart[item.item_id] = (item, before + quantity)
    if session.rng.random() < REMOVE_AFTER_ADD:
        session.emit("remove_from_cart", item.restaurant_id, "cart", item_id=item.item_id,
                     quantity=quantity)  # fmt: skip
        session.cart[item.item_id] = (item, before)
        if before == 0:
            del session.cart[item.item_id]


def _checkout(session: Session) -> None:
    if not session.cart or session.rng.random() >= CHECKOUT_WITH_CART:
        return
    session.emit("checkout_started", session.cart_restaurant(), "checkout")
    if session.rng.random() < ORDER_AFTER_CHECKOUT:
        session.ordered_at = session.now + timedelta(seconds=session.rng.randint(15, 90))
