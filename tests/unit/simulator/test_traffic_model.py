"""The traffic model is pure and seeded, and its traffic looks like a food-delivery app's."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from entrypoints.simulator.catalog import SimCatalog
from entrypoints.simulator.events import DayPlan
from entrypoints.simulator.plan import TrafficConfig, plan_traffic
from entrypoints.simulator.seasonality import clear_of_hour_boundary
from tests.unit.simulator.conftest import small_catalog

CONFIG = TrafficConfig(seed=11, days=3, users=400, start=date(2026, 11, 16))


@pytest.fixture(scope="module")
def plans() -> list[DayPlan]:
    return plan_traffic(small_catalog(), CONFIG)


def test_same_seed_gives_identical_plans(catalog: SimCatalog, plans: list[DayPlan]) -> None:
    assert plan_traffic(catalog, CONFIG) == plans


def test_another_seed_gives_other_events(catalog: SimCatalog, plans: list[DayPlan]) -> None:
    other = plan_traffic(catalog, TrafficConfig(seed=12, days=1, users=100, start=CONFIG.start))
    ids = {e.event_id for p in plans for e in p.clicks()}
    assert ids.isdisjoint(e.event_id for p in other for e in p.clicks())


def test_every_event_id_is_unique(plans: list[DayPlan]) -> None:
    ids = [e.event_id for p in plans for e in p.clicks()]
    ids += [o.event_id for p in plans for o in p.orders]
    ids += [c.event_id for p in plans for c in p.status_changes()]
    assert len(ids) == len(set(ids))


def test_orders_peak_at_lunch_and_dinner(plans: list[DayPlan]) -> None:
    hours = Counter(o.occurred_at.hour for p in plans for o in p.orders)
    night = sum(hours[h] for h in range(2, 6))
    assert sum(hours[h] for h in (12, 13)) > 3 * night
    assert sum(hours[h] for h in (19, 20)) > 3 * night


def test_the_funnel_narrows_from_impressions_to_orders(plans: list[DayPlan]) -> None:
    kinds = Counter(e.event_type for p in plans for e in p.clicks() if e.valid)
    orders = sum(o.valid for p in plans for o in p.orders)
    funnel = [kinds["impression"], kinds["click"], kinds["add_to_cart"], kinds["checkout_started"]]
    assert funnel == sorted(funnel, reverse=True)
    assert 0 < orders < kinds["checkout_started"]
    assert kinds["remove_from_cart"] > 0


def test_a_removal_always_follows_an_add_of_that_item(plans: list[DayPlan]) -> None:
    added: Counter[tuple[str, str | None]] = Counter()
    valid = (e for p in plans for e in p.clicks() if e.valid)
    for event in sorted(valid, key=lambda e: e.occurred_at):
        key = (event.session_id, event.item_id)
        if event.event_type == "add_to_cart":
            added[key] += event.quantity or 0
        elif event.event_type == "remove_from_cart":
            assert added[key] >= (event.quantity or 0)
            added[key] -= event.quantity or 0


def test_orders_end_delivered_or_cancelled_in_lifecycle_order(plans: list[DayPlan]) -> None:
    for plan in plans:
        valid = {o.order_id: o for o in plan.orders if o.valid}
        journeys: dict[object, list[str]] = {order_id: [] for order_id in valid}
        for wave in plan.status_waves:
            for change in (c for c in wave if c.valid):
                assert change.occurred_at > valid[change.order_id].occurred_at
                journeys[change.order_id].append(change.status)
        endings = Counter(j[-1] for j in journeys.values())
        assert set(endings) == {"delivered", "cancelled"}
        assert endings["delivered"] > 10 * endings["cancelled"]


def test_skewed_devices_stay_clear_of_hour_boundaries(plans: list[DayPlan]) -> None:
    skewed = [e for p in plans for e in p.clicks() if e.skew and e.valid]
    skewed_orders = [o for p in plans for o in p.orders if o.skew]
    assert skewed
    assert skewed_orders
    assert all(clear_of_hour_boundary(e.occurred_at) for e in skewed)
    assert all(clear_of_hour_boundary(o.occurred_at) for o in skewed_orders)


def test_some_requests_are_retried_and_some_are_invalid(plans: list[DayPlan]) -> None:
    assert sum(o.retried for p in plans for o in p.orders) > 0
    assert sum(c.retried for p in plans for c in p.status_changes()) > 0
    assert sum(not o.valid for p in plans for o in p.orders) > 0
    assert sum(not c.valid for p in plans for c in p.status_changes()) > 0
    invalid = Counter(e.event_type for p in plans for e in p.clicks() if not e.valid)
    assert invalid["hover"] > 0
    assert sum(invalid.values()) < 0.01 * sum(len(p.clicks()) for p in plans)


def test_late_sessions_arrive_with_the_next_day(plans: list[DayPlan]) -> None:
    first, second = plans[0].day, plans[1].day
    late = [e for e in plans[1].clicks() if e.occurred_at.date() == first]
    assert late
    assert all(e.occurred_at.date() in (first, second) for e in plans[1].clicks() if e.valid)


def test_click_batches_fit_the_api_limit(plans: list[DayPlan]) -> None:
    assert all(0 < len(b.events) <= CONFIG.batch_events for p in plans for b in p.click_batches)


def test_days_default_to_the_days_before_today() -> None:
    today = datetime.now(UTC).date()
    assert TrafficConfig(days=3).first_day() == today - timedelta(days=3)


def test_fresh_traffic_ends_now_and_has_new_ids(catalog: SimCatalog) -> None:
    now = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    first = plan_traffic(catalog, TrafficConfig(seed=101, days=1, users=300, until=now))
    times = [e.occurred_at for p in first for e in p.clicks() if e.valid]
    times += [o.occurred_at for p in first for o in p.orders]
    times += [c.occurred_at for p in first for c in p.status_changes()]
    assert times
    assert all(now - timedelta(days=1) <= t <= now for t in times)
    assert {p.day for p in first} == {date(2026, 11, 20), date(2026, 11, 21)}
    other = plan_traffic(catalog, TrafficConfig(seed=102, days=1, users=300, until=now))
    ids = {e.event_id for p in first for e in p.clicks()}
    assert ids.isdisjoint(e.event_id for p in other for e in p.clicks())


def test_a_click_body_has_exactly_the_api_models_fields(plans: list[DayPlan]) -> None:
    from entrypoints.api.schemas.clicks import ClickEventIn
    from entrypoints.simulator.wire import click_body

    for event in (e for p in plans for e in p.clicks() if e.valid):
        body = click_body(event)
        assert set(body) <= set(ClickEventIn.model_fields)
        ClickEventIn.model_validate(body)  # what the API takes, field for field
