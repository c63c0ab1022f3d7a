"""A shopper orders through the storefront page; the order and its clicks reach the event store
and, through the relay and the bronze consumer, BRONZE."""

import json
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import sync_playwright

from entrypoints.web.gold import query
from tests.e2e.browser_support import chromium_browser, eventually, running_stack, screenshot

pytestmark = pytest.mark.browser


def test_an_order_placed_in_the_storefront_reaches_the_event_store_and_bronze(
    tmp_path: Path,
) -> None:
    with running_stack(tmp_path) as (container, stack), sync_playwright() as playwright:
        browser = chromium_browser(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{stack.url}/storefront")
        page.wait_for_selector("body[data-ready=true]")
        page.click(".restaurant >> nth=1")
        page.click(".item >> nth=0")  # a click on the item card
        page.click(".item >> nth=0 >> button.add")
        page.click(".item >> nth=2 >> button.add")
        page.click(".item >> nth=2 >> button.add")
        page.click("#cart .remove >> nth=1")
        page.click("#place-order")
        page.wait_for_selector("body[data-order-status=placed]")
        page.click("#advance")
        page.wait_for_selector("body[data-order-status=confirmed]")
        order_id = page.get_attribute("body", "data-order-id")
        screenshot(page, "storefront-order.png")
        browser.close()
        assert errors == []

        stored = container.flowguard_app().get_order(UUID(order_id))
        assert [entry.event_type for entry in stored.history] == ["order.placed", "order.confirmed"]
        assert [(line.quantity) for line in stored.lines] == [1, 1]

        connect = container.warehouse_connect()
        orders_sql = (
            "SELECT EVENT_TYPE, PAYLOAD FROM BRONZE.ORDERS_RAW"
            " WHERE AGGREGATE_ID = %s ORDER BY AGGREGATE_VERSION"
        )
        rows = eventually(
            lambda: _rows_when(connect, orders_sql, order_id, 2), what="the order in BRONZE"
        )
        assert [row["EVENT_TYPE"] for row in rows] == ["order.placed", "order.confirmed"]
        session_id = json.loads(rows[0]["PAYLOAD"])["session_id"]
        clicks_sql = "SELECT EVENT_TYPE FROM BRONZE.CLICKS_RAW WHERE PAYLOAD LIKE %s"
        clicks = eventually(
            lambda: _rows_when(connect, clicks_sql, f"%{session_id}%", 1), what="clicks in BRONZE"
        )
        kinds = {row["EVENT_TYPE"] for row in clicks}
        assert {"click.impression", "click.click", "click.add_to_cart", "click.remove_from_cart",
                "click.checkout_started"} <= kinds  # fmt: skip


def _rows_when(connect: object, sql: str, value: str, at_least: int) -> list[dict] | None:
    try:
        rows = query(connect, sql, (value,))  # type: ignore[arg-type]
    except Exception:  # BRONZE is created by the consumer when it starts
        return None
    return rows if len(rows) >= at_least else None
