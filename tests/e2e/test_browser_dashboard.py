"""The dashboard draws every GOLD chart from the warehouse, through the API, for the chosen day."""

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import sync_playwright

from adapters.snowflake.schema import declared, init_tables, table, warehouse_engine
from application.tables import WAREHOUSE_TABLES
from tests.e2e.browser_support import chromium_browser, running_stack, screenshot
from tests.unit.report.sample_gold import DAYS, sample_gold

pytestmark = pytest.mark.browser


def _seed_gold(connect: Any) -> None:
    engine = warehouse_engine(connect)
    with engine.connect() as connection:
        init_tables(connection, WAREHOUSE_TABLES)
        for name, rows in sample_gold().items():
            gold = table(declared(f"GOLD.{name.upper()}"))
            values = [{c.name: row[c.name] for c in gold.c} for row in rows]
            connection.execute(sa.insert(gold), values)
    engine.dispose()


def _values(page: Any, chart: str) -> list[float]:
    selector = f"svg[data-chart={chart}] .bar, svg[data-chart={chart}] .point"
    return [
        float(v)
        for v in page.eval_on_selector_all(selector, "marks => marks.map(m => m.dataset.value)")
    ]


def test_every_dashboard_chart_renders_the_gold_rows_of_the_chosen_day(tmp_path: Path) -> None:
    gold = sample_gold()
    with (
        running_stack(tmp_path, streaming=False) as (container, stack),
        sync_playwright() as playwright,
    ):
        _seed_gold(container.warehouse_connect())
        browser = chromium_browser(playwright)
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        page.goto(f"{stack.url}/dashboard")
        page.wait_for_selector("body[data-ready=true]")
        screenshot(page, "dashboard.png")
        day = DAYS[1]
        assert page.input_value("#day") == day

        gmv = [row["GMV"] for row in gold["daily_gmv_metrics"]]
        net = [row["NET_GMV"] for row in gold["daily_gmv_metrics"]]
        assert _values(page, "daily-gmv") == gmv + net
        hourly = {
            r["ORDER_HOUR"]: r["TOTAL_ORDERS"]
            for r in gold["hourly_order_patterns"]
            if r["METRIC_DATE"] == day
        }
        assert _values(page, "hourly") == [hourly.get(hour, 0) for hour in range(24)]
        funnel = next(r for r in gold["user_funnel_metrics"] if r["METRIC_DATE"] == day)
        stages = ("IMPRESSION", "CLICK", "CART", "CHECKOUT", "ORDER")
        assert _values(page, "funnel") == [funnel[f"{s}_SESSIONS"] for s in stages]
        revenue = sorted(
            (r["REVENUE"] for r in gold["food_item_performance"] if r["METRIC_DATE"] == day),
            reverse=True,
        )
        assert _values(page, "top-items") == revenue[:10]
        assert _values(page, "cohorts") == [r["ACTIVE_USERS"] for r in gold["user_cohort_metrics"]]
        quality = "[data-chart=quality] td[data-value]"
        shown = page.eval_on_selector_all(quality, "cells => cells.map(c => c.dataset.value)")
        assert shown == ["3", "17", "5.0%"]

        page.select_option("#day", DAYS[0])
        page.wait_for_selector("body[data-ready=true]")
        assert page.text_content("#chart-cohorts") == "No GOLD rows for this day yet."
        assert _values(page, "daily-gmv") == gmv + net
        browser.close()
