"""The numeric simulation behind the BRONZE generator: sessions that browse, click, fill carts and
check out, plus orders and their lifecycles, all as numpy arrays (no Python loop per event)."""

from dataclasses import dataclass

import numpy as np

US_PER_HOUR = 3_600_000_000
# Share of the day's sessions and orders starting in each UTC hour: lunch and dinner peaks.
HOUR_WEIGHTS = np.array(
    [2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 8, 10, 10, 8, 6, 6, 7, 9, 11, 11, 9, 6, 4], dtype=float
)
IMPRESSION, CLICK, ADD, REMOVE, CHECKOUT = range(5)


@dataclass(frozen=True)
class Shop:
    """The catalog as arrays: items sorted by restaurant, with each restaurant's item range."""

    item_restaurant: np.ndarray
    item_cents: np.ndarray
    first_item: np.ndarray
    item_count: np.ndarray


@dataclass(frozen=True)
class Clicks:
    session: np.ndarray
    stage: np.ndarray
    item: np.ndarray  # -1 for checkout
    quantity: np.ndarray
    time_us: np.ndarray
    version: np.ndarray
    session_user: np.ndarray  # per session, -1 when anonymous
    session_restaurant: np.ndarray


@dataclass(frozen=True)
class Orders:
    user: np.ndarray
    restaurant: np.ndarray
    session: np.ndarray  # -1 without a session
    placed_us: np.ndarray
    line_order: np.ndarray
    line_item: np.ndarray
    line_quantity: np.ndarray


def start_times(rng: np.random.Generator, day_us: int, count: int) -> np.ndarray:
    hours = rng.choice(24, size=count, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    return day_us + hours * US_PER_HOUR + (rng.random(count) * US_PER_HOUR).astype(np.int64)


def pick_items(rng: np.random.Generator, shop: Shop, restaurants: np.ndarray) -> np.ndarray:
    offsets = (rng.random(len(restaurants)) * shop.item_count[restaurants]).astype(np.int64)
    return shop.first_item[restaurants] + offsets


def simulate_clicks(
    rng: np.random.Generator, shop: Shop, users: int, day_us: int, sessions: int
) -> Clicks:
    restaurant = rng.integers(0, len(shop.first_item), sessions)
    user = np.where(rng.random(sessions) < 0.1, -1, _returning_users(rng, users, sessions))
    impressions = np.repeat(np.arange(sessions), 1 + rng.poisson(4, sessions))
    imp_item = pick_items(rng, shop, restaurant[impressions])
    clicked = rng.random(len(impressions)) < 0.35
    clk_session, clk_item = impressions[clicked], imp_item[clicked]
    added = rng.random(len(clk_session)) < 0.4
    add_session, add_item = clk_session[added], clk_item[added]
    add_quantity = rng.integers(1, 4, len(add_session))
    removed = rng.random(len(add_session)) < 0.1
    has_cart = np.bincount(add_session, minlength=sessions) > 0
    checkout = np.flatnonzero(has_cart & (rng.random(sessions) < 0.7))
    parts = [
        (impressions, IMPRESSION, imp_item, 0),
        (clk_session, CLICK, clk_item, 0),
        (add_session, ADD, add_item, add_quantity),
        (add_session[removed], REMOVE, add_item[removed], add_quantity[removed]),
        (checkout, CHECKOUT, np.full(len(checkout), -1), 0),
    ]
    session = np.concatenate([p[0] for p in parts])
    stage = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    item = np.concatenate([p[2] for p in parts])
    quantity = np.concatenate([np.broadcast_to(p[3], len(p[0])) for p in parts])
    order = np.lexsort((np.arange(len(session)), stage, session))
    session, stage, item, quantity = session[order], stage[order], item[order], quantity[order]
    version, time_us = _session_clock(rng, session, start_times(rng, day_us, sessions))
    return Clicks(session, stage, item, quantity, time_us, version, user, restaurant)


def _returning_users(rng: np.random.Generator, users: int, count: int) -> np.ndarray:
    # Squaring a uniform skews towards low ids: some users come back often, most rarely.
    return (rng.random(count) ** 2 * users).astype(np.int64)


def _session_clock(
    rng: np.random.Generator, session: np.ndarray, start_us: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    counts = np.bincount(session, minlength=len(start_us))
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(len(session)) - first[session]
    elapsed = np.cumsum(rng.exponential(20e6, len(session)).astype(np.int64))
    before_session = np.concatenate([[0], elapsed])[first[session]]
    return rank + 1, start_us[session] + elapsed - before_session


def session_orders(rng: np.random.Generator, clicks: Clicks, users: int) -> Orders:
    """Orders of sessions that checked out: the cart's additions, less those removed."""
    carts = clicks.stage == ADD
    checkout_at = np.full(len(clicks.session_user), -1, dtype=np.int64)
    is_checkout = clicks.stage == CHECKOUT
    checkout_at[clicks.session[is_checkout]] = clicks.time_us[is_checkout]
    removed = _removed_additions(clicks)
    keep = carts & ~removed & (checkout_at[clicks.session] >= 0)
    keep &= (rng.random(len(keep)) < 0.85)[clicks.session]
    line_session = clicks.session[keep]
    ordering, line_order = np.unique(line_session, return_inverse=True)
    user = clicks.session_user[ordering]
    user = np.where(user < 0, rng.integers(0, users, len(user)), user)
    placed = checkout_at[ordering] + rng.integers(20_000_000, 180_000_000, len(ordering))
    return Orders(
        user,
        clicks.session_restaurant[ordering],
        ordering,
        placed,
        line_order,
        clicks.item[keep],
        clicks.quantity[keep],
    )


def _removed_additions(clicks: Clicks) -> np.ndarray:
    """Marks the additions that a later removal of the same item in the session undid (one each)."""
    key = clicks.session * 1_000_003 + clicks.item
    removals = clicks.stage == REMOVE
    undone = np.zeros(len(key), dtype=bool)
    additions = np.flatnonzero(clicks.stage == ADD)
    _, first_add = np.unique(key[additions], return_index=True)
    undone_keys = np.intersect1d(key[additions][first_add], key[removals])
    undone[additions[first_add][np.isin(key[additions][first_add], undone_keys)]] = True
    return undone


def direct_orders(
    rng: np.random.Generator, shop: Shop, users: int, day_us: int, count: int
) -> Orders:
    """Orders placed without a tracked session (re-orders from history)."""
    restaurant = rng.integers(0, len(shop.first_item), count)
    lines = np.minimum(1 + rng.poisson(1.0, count), 6)
    line_order = np.repeat(np.arange(count), lines)
    return Orders(
        _returning_users(rng, users, count),
        restaurant,
        np.full(count, -1),
        start_times(rng, day_us, count),
        line_order,
        pick_items(rng, shop, restaurant[line_order]),
        rng.integers(1, 4, len(line_order)),
    )


PLACED, CONFIRMED, OUT_FOR_DELIVERY, DELIVERED, CANCELLED = range(5)
_MINUTE = 60_000_000


@dataclass(frozen=True)
class Lifecycle:
    order: np.ndarray
    status: np.ndarray
    version: np.ndarray
    time_us: np.ndarray


def lifecycles(rng: np.random.Generator, placed_us: np.ndarray) -> Lifecycle:
    """Every order's events: most are delivered within the hour, some are cancelled before or
    after confirmation."""
    count = len(placed_us)
    luck = rng.random(count)
    early, late = luck < 0.04, (luck >= 0.04) & (luck < 0.08)

    def later(base: np.ndarray, low: int, high: int) -> np.ndarray:
        return base + rng.integers(low * _MINUTE, high * _MINUTE, count)

    confirmed = later(placed_us, 1, 4)
    out = later(confirmed, 8, 25)
    delivered = later(out, 10, 30)
    cancelled = np.where(early, later(placed_us, 1, 5), later(confirmed, 2, 15))
    going = ~(early | late)
    steps = [
        (np.ones(count, dtype=bool), PLACED, 1, placed_us),
        (~early, CONFIRMED, 2, confirmed),
        (going, OUT_FOR_DELIVERY, 3, out),
        (going, DELIVERED, 4, delivered),
        (early, CANCELLED, 2, cancelled),
        (late, CANCELLED, 3, cancelled),
    ]
    return Lifecycle(
        np.concatenate([np.flatnonzero(mask) for mask, *_ in steps]),
        np.concatenate([np.full(mask.sum(), status) for mask, status, *_ in steps]),
        np.concatenate([np.full(mask.sum(), version) for mask, _, version, _ in steps]),
        np.concatenate([times[mask] for mask, *_, times in steps]),
    )
