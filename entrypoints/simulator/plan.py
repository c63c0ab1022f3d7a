"""The traffic model: a pure function from (catalog, config) to each simulated day's requests."""

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid5

from entrypoints.simulator.catalog import SimCatalog
from entrypoints.simulator.events import (
    ClickBatch,
    ClickEvent,
    DayPlan,
    OrderPlacement,
    StatusChange,
)
from entrypoints.simulator.faults import invalid_click, invalid_order, late, retried
from entrypoints.simulator.orders import illegal_cancel, lifecycle, payment_method
from entrypoints.simulator.population import Shopper, shoppers
from entrypoints.simulator.seasonality import clear_of_hour_boundary, session_start, sessions_on
from entrypoints.simulator.sessions import Session, shop

SIMULATOR_NAMESPACE = UUID("5b0c7c5e-6a43-4a52-9a53-0f1f2c9d8e11")


@dataclass(frozen=True)
class TrafficConfig:
    seed: int = 7
    days: int = 3
    users: int = 3000
    start: date | None = None  # first simulated day; default: `days` days ending yesterday (UTC)
    # Fresh traffic: the `days` x 24 hours ending at `until` (usually now); nothing after it.
    until: datetime | None = None
    retry_share: float = 0.03
    invalid_share: float = 0.01
    late_share: float = 0.02
    skewed_share: float = 0.1
    batch_events: int = 400

    def first_day(self) -> date:
        today = datetime.now(UTC).date()
        if self.start is None and self.until is not None:
            return self.window_start().date()
        return self.start or today - timedelta(days=self.days)

    def window_start(self) -> datetime:
        assert self.until is not None
        return self.until - timedelta(days=self.days)

    def day_count(self) -> int:
        """Calendar days planned: `days`, or those the window touches."""
        if self.start is None and self.until is not None:
            return (self.until.date() - self.first_day()).days + 1
        return self.days

    def within(self, moment: datetime) -> bool:
        """Whether a (true) time lies inside the window; always true without one."""
        return self.until is None or self.window_start() <= moment <= self.until

    def namespace(self) -> UUID:
        return uuid5(SIMULATOR_NAMESPACE, f"seed:{self.seed}")


def plan_traffic(catalog: SimCatalog, config: TrafficConfig) -> list[DayPlan]:
    """Same catalog and config, same plans, down to every event id and timestamp."""
    pool = shoppers(catalog, config.users, config.seed, config.skewed_share)
    plans: list[DayPlan] = []
    carried: list[Session] = []
    for index in range(config.day_count()):
        day = config.first_day() + timedelta(days=index)
        sessions = _sessions(catalog, config, pool, day)
        on_time = [s for s in sessions if not late(s, config)]
        late_now = [s for s in sessions if late(s, config)]
        last = index == config.day_count() - 1
        sending = carried + on_time + (late_now if last else [])
        carried = [] if last else late_now
        plans.append(_day_plan(config, day, sending, sessions))
    return plans


def _sessions(
    catalog: SimCatalog, config: TrafficConfig, pool: list[Shopper], day: date
) -> list[Session]:
    rng = random.Random(f"{config.seed}:{day.isoformat()}")
    count = sessions_on(day, config.users, rng)
    weights = [shopper.weight for shopper in pool]
    chosen = rng.choices(pool, weights=weights, k=count)
    sessions = [_session(catalog, config, shopper, day, n) for n, shopper in enumerate(chosen)]
    return [clipped for s in sessions if (clipped := _clip(s, config)) is not None]


def _clip(session: Session, config: TrafficConfig) -> Session | None:
    """Within a window: a session that starts before it is dropped, one that runs past its end
    loses what comes after (an order not yet placed is not placed)."""
    if config.until is None:
        return session
    if not session.events or not config.within(session.events[0].occurred_at):
        return None
    session.events = [e for e in session.events if e.occurred_at <= config.until]
    if session.ordered_at is not None and session.ordered_at > config.until:
        session.ordered_at = None
    return session


def _session(
    catalog: SimCatalog, config: TrafficConfig, shopper: Shopper, day: date, n: int
) -> Session:
    seed = f"{config.seed}:{day.isoformat()}:{n}"
    start = session_start(day, random.Random(seed))
    while True:
        session_id = str(uuid5(config.namespace(), f"session:{seed}"))
        session = shop(
            Session(config.namespace(), session_id, shopper, start, random.Random(seed)), catalog
        )
        if not shopper.skew or _clear(session):
            return session
        # A skewed device's times shift by the request latency after correction; move the whole
        # session (same choices, same spacing) until none of its times sits next to an hour.
        start += timedelta(seconds=45)


def _clear(session: Session) -> bool:
    times = [e.occurred_at for e in session.events] + [session.ordered_at] * bool(
        session.ordered_at
    )
    return all(clear_of_hour_boundary(t) for t in times if t is not None)


def _day_plan(
    config: TrafficConfig, day: date, sending: list[Session], placed: list[Session]
) -> DayPlan:
    rng = random.Random(f"{config.seed}:{day.isoformat()}:faults")
    orders = _orders(config, placed, rng)
    return DayPlan(day, _batches(config, sending, rng), tuple(orders), _waves(config, orders, rng))


def _batches(
    config: TrafficConfig, sessions: list[Session], rng: random.Random
) -> tuple[ClickBatch, ...]:
    batches: list[list[ClickEvent]] = [[]]
    for session in sessions:
        events = session.events + invalid_click(session, config, rng)
        if len(batches[-1]) + len(events) > config.batch_events:
            batches.append([])
        batches[-1].extend(events)
    return tuple(ClickBatch(tuple(b), retried=retried(config, rng)) for b in batches if b)


def _orders(
    config: TrafficConfig, sessions: list[Session], rng: random.Random
) -> list[OrderPlacement]:
    orders = []
    for session in (s for s in sessions if s.ordered_at is not None):
        order_id = uuid5(config.namespace(), f"order:{session.session_id}")
        placement = OrderPlacement(
            order_id, uuid5(order_id, "placed"), session.shopper.user_id,
            session.cart_restaurant(),
            session.session_id, session.order_lines(), payment_method(rng),
            session.ordered_at or session.now, session.shopper.skew, retried=retried(config, rng),
        )  # fmt: skip
        orders.append(placement)
        orders.extend(invalid_order(placement, config, rng))
    return orders


def _waves(
    config: TrafficConfig, orders: list[OrderPlacement], rng: random.Random
) -> tuple[tuple[StatusChange, ...], ...]:
    waves: list[list[StatusChange]] = [[], [], [], []]
    for order in (o for o in orders if o.valid):
        planned = lifecycle(order, config.namespace(), rng)
        changes = [change for change in planned if config.within(change.occurred_at)]
        for wave, change in enumerate(changes):
            waves[wave].append(replace(change, retried=retried(config, rng)))
        if (
            changes
            and changes[-1].status == "delivered"
            and rng.random() < config.invalid_share * 5
        ):
            late = illegal_cancel(order.order_id, changes[-1].occurred_at, config.namespace())
            if config.within(late.occurred_at):
                waves[3].append(late)
    return tuple(tuple(wave) for wave in waves if wave)
