"""The dashboard's charts read right: the legend tells the series apart, each axis has one unit,
counts get whole ticks, a partial day is marked, and today's figures show live before any build."""

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import sync_playwright

from entrypoints.web.gold import query
from tests.e2e.browser_support import chromium_browser, eventually, running_stack, screenshot
from tests.e2e.test_browser_dashboard import _seed_gold
from tests.unit.report.sample_gold import DAYS

pytestmark = pytest.mark.browser
API = "/api/v1"


def _mark_partial(connect: Any, day: str) -> None:
    """A publish of `day` that ran at noon of that day: GOLD holds half of it."""
    connection = connect()
    try:
        connection.cursor().execute(
            "INSERT INTO GOLD.PIPELINE_RUNS (RUN_ID, TASK, METRIC_DATE, STARTED_AT, STATUS) "
            "VALUES ('r1', 'PublishedDay', %s, %s, 'success')",
            (day, f"{day} 12:00:00"),
        )
    finally:
        connection.close()


def _order_now(base: str) -> None:
    items = httpx.get(f"{base}{API}/catalog/items", params={"restaurant_id": "rst_001"}).json()
    body = {
        "user_id": "user-live", "restaurant_id": "rst_001", "payment_method": "upi",
        "session_id": "live-session",
        "lines": [{"item_id": items["items"][0]["item_id"], "quantity": 2}],
    }  # fmt: skip
    assert httpx.post(f"{base}{API}/orders", json=body).status_code == 201


def _in_bronze(connect: Any) -> bool:
    try:
        return bool(query(connect, "SELECT 1 AS N FROM BRONZE.ORDERS_RAW WHERE EVENT_DATE = %s",
                          (datetime.now(UTC).date().isoformat(),)))  # fmt: skip
    except Exception:  # the consumer creates BRONZE when it starts
        return False


def _ticks(page: Any, chart: str) -> list[str]:
    return page.eval_on_selector_all(
        f"svg[data-chart={chart}] .tick.y", "ticks => ticks.map(t => t.textContent)"
    )


def test_the_dashboard_charts_read_right(tmp_path: Path) -> None:
    with running_stack(tmp_path) as (container, stack), sync_playwright() as playwright:
        connect = container.warehouse_connect()
        _seed_gold(connect)
        _mark_partial(connect, DAYS[1])
        _order_now(stack.url)
        eventually(lambda: _in_bronze(connect), what="today's order in BRONZE")
        browser = chromium_browser(playwright)
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        page.goto(f"{stack.url}/dashboard?date={DAYS[1]}")
        page.wait_for_selector("body[data-ready=true]")
        screenshot(page, "dashboard-partial.png")

        swatches = page.eval_on_selector_all(
            "svg[data-chart=daily-gmv] .swatch", "s => s.map(x => getComputedStyle(x).fill)"
        )
        assert len(swatches) == 2, swatches
        assert len(set(swatches)) == 2, swatches
        assert "rgb(107, 115, 133)" not in swatches  # the muted grey of axis text

        money = _ticks(page, "daily-gmv")
        units = {re.sub(r"[\d.,]", "", tick) for tick in money if tick not in ("0", "₹0")}
        assert len(units) == 1, money
        counts = _ticks(page, "hourly")
        assert all(re.fullmatch(r"\d[\d,]*", tick) for tick in counts), counts

        partial = page.eval_on_selector_all(
            "svg[data-chart=daily-gmv] .point[data-partial]",
            "p => p.map(x => [x.dataset.label, x.dataset.partial])",
        )
        today = datetime.now(UTC).date().isoformat()
        assert [DAYS[1][5:], "partial"] in partial
        assert [today[5:], "live"] in partial
        marks = page.eval_on_selector_all(".partial-mark", "m => m.map(x => x.textContent)")
        assert {"partial day", "live, not yet built"} <= set(marks)
        assert "partial" in (page.text_content("#day-kind") or "")

        page.select_option("#day", today)
        page.wait_for_selector("body[data-ready=true][data-day-kind=live]")
        screenshot(page, "dashboard-live.png")
        assert "Live, not yet built" in (page.text_content("#notice") or "")
        kpis = page.eval_on_selector_all(".kpi .value", "v => v.map(x => x.textContent)")
        assert kpis[0] == "1"  # one order placed today, counted from BRONZE
        browser.close()
