"""The driver replays the model through HTTP: retries become duplicates, never extra facts."""

import asyncio
from datetime import date, timedelta

import httpx

from entrypoints.simulator.driver import ApiDriver
from entrypoints.simulator.plan import TrafficConfig, plan_traffic
from tests.unit.simulator.conftest import small_catalog
from tests.unit.simulator.fake_api import FakeApi

CONFIG = TrafficConfig(seed=5, days=2, users=150, start=date(2026, 11, 9), retry_share=0.1)


def _drive(api: FakeApi, config: TrafficConfig = CONFIG) -> ApiDriver:
    async def run() -> ApiDriver:
        async with httpx.AsyncClient(transport=api.transport(), base_url="http://fake") as client:
            driver = ApiDriver(client, concurrency=8)
            for plan in plan_traffic(await driver.fetch_catalog(), config):
                await driver.send_day(plan)
            return driver

    return asyncio.run(run())


def test_every_valid_event_is_stored_once_and_retries_are_duplicates() -> None:
    api = FakeApi()
    driver = _drive(api)
    plans = plan_traffic(small_catalog(), CONFIG)
    valid_clicks = {str(e.event_id) for p in plans for e in p.clicks() if e.valid}
    retried = sum(len(b.events) for p in plans for b in p.click_batches if b.retried)
    counts = driver.outcome.counts
    assert set(api.clicks) == valid_clicks
    assert counts["clicks.accepted"] == len(valid_clicks)
    assert counts["clicks.duplicates"] + counts["clicks.rejected"] >= retried > 0
    assert counts["orders.placed"] == sum(o.valid for p in plans for o in p.orders)
    assert counts["orders.replayed"] == sum(o.retried for p in plans for o in p.orders) > 0
    assert counts["status.refused"] == sum(not c.valid for p in plans for c in p.status_changes())
    assert driver.errors == []


def test_the_same_seed_stores_the_same_events() -> None:
    first, second = FakeApi(), FakeApi()
    _drive(first)
    _drive(second)
    assert set(first.clicks) == set(second.clicks)
    assert first.orders == second.orders
    assert first.status_events == second.status_events


def test_an_overloaded_api_is_retried_until_it_accepts() -> None:
    api = FakeApi(overloaded_first=3)
    driver = _drive(api)
    assert driver.outcome.transport_retries == 3
    assert driver.outcome.counts["clicks.accepted"] == len(api.clicks) > 0


def test_skew_corrected_times_land_within_a_second_of_the_truth() -> None:
    config = TrafficConfig(seed=5, days=1, users=150, start=CONFIG.start, skewed_share=1.0)
    api = FakeApi()
    _drive(api, config)
    truth = {
        str(e.event_id): e.occurred_at
        for p in plan_traffic(small_catalog(), config)
        for e in p.clicks()
        if e.valid
    }
    assert all(abs(api.clicks[i] - t) < timedelta(seconds=1) for i, t in truth.items())
    assert len(truth) == len(api.clicks) > 0


def test_status_changes_address_the_order_id_of_the_servers_receipt() -> None:
    api = FakeApi(server_ids=True)
    driver = _drive(api)
    plans = plan_traffic(small_catalog(), CONFIG)
    assert driver.errors == []
    assert set(api.orders).isdisjoint(str(o.order_id) for p in plans for o in p.orders)
    changed = {str(c.event_id) for p in plans for c in p.status_changes() if c.valid}
    assert api.status_events == changed != set()


def test_an_unexpected_answer_is_summed_up_once_per_kind_not_dumped() -> None:
    class Broken(FakeApi):
        def _place(self, body: dict[str, object]) -> httpx.Response:  # type: ignore[override]
            return httpx.Response(500, json={"title": "Internal Server Error", "detail": "x" * 900})

    driver = _drive(Broken(), TrafficConfig(seed=5, days=1, users=60, start=CONFIG.start))
    assert len(driver.errors) == 1
    assert driver.errors[0].startswith("orders: 500 Internal Server Error: xxx")
    assert len(driver.errors[0]) < 200
    assert driver.outcome.counts["orders.unexpected_500"] > 1
