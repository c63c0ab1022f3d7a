"""The pages never run data as code: a status change's reason, an item's name or a failed event
reach the storefront, the dashboard and the report as text, and the pages send a CSP."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import sync_playwright

from entrypoints.report.data import ReportData
from entrypoints.report.html import write_report
from tests.e2e.browser_support import chromium_browser, running_stack
from tests.unit.report.sample_gold import sample_gold

pytestmark = pytest.mark.browser
PAYLOAD = '<img src=x onerror="window.__pwned=1;alert(1)">'
API = "/api/v1"


def _place_and_cancel(base: str) -> str:
    items = httpx.get(f"{base}{API}/catalog/items", params={"restaurant_id": "rst_001"}).json()
    body = {
        "user_id": "user-xss", "restaurant_id": "rst_001", "payment_method": "upi",
        "lines": [{"item_id": items["items"][0]["item_id"], "quantity": 1}],
    }  # fmt: skip
    receipt = httpx.post(f"{base}{API}/orders", json=body)
    assert receipt.status_code == 201, receipt.text
    order_id = receipt.json()["order_id"]  # the server's id, from the receipt
    change = {"status": "cancelled", "reason": PAYLOAD}
    answer = httpx.post(f"{base}{API}/orders/{order_id}/status", json=change)
    assert answer.status_code == 200, answer.text
    return str(order_id)


def _watch(page: Any) -> list[str]:
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: seen.append(f"error {error}"))
    return seen


def test_a_reason_with_markup_shows_as_text_in_the_storefront(tmp_path: Path) -> None:
    with running_stack(tmp_path, streaming=False) as (_, stack), sync_playwright() as playwright:
        order_id = _place_and_cancel(stack.url)
        page_answer = httpx.get(f"{stack.url}/storefront")
        assert "script-src 'self'" in page_answer.headers["content-security-policy"]
        browser = chromium_browser(playwright)
        page = browser.new_page()
        seen = _watch(page)
        page.goto(f"{stack.url}/storefront?order={order_id}")
        page.wait_for_selector("body[data-order-status=cancelled]")
        history = page.text_content("#order-history") or ""
        assert PAYLOAD in history
        assert page.locator("#order-history img").count() == 0
        assert page.evaluate("window.__pwned") is None
        assert seen == []
        browser.close()


def test_failed_events_and_item_names_with_markup_show_as_text(tmp_path: Path) -> None:
    gold = sample_gold()
    for row in gold["food_item_performance"]:
        row["ITEM_NAME"] = PAYLOAD if row["ITEM_ID"] == "itm_0000" else row["ITEM_NAME"]
    report = write_report(ReportData("report", gold, facts={"seed": PAYLOAD}), tmp_path / "r.html")
    assert 'http-equiv="Content-Security-Policy"' in report.read_text()
    with running_stack(tmp_path / "stack", streaming=False) as (_, stack), sync_playwright() as pw:
        bad = {"session_id": "s", "event_type": "hover", "restaurant_id": "r", "page": PAYLOAD}
        assert (
            httpx.post(f"{stack.url}{API}/clicks/batch", json={"events": [bad]}).status_code == 202
        )
        browser = chromium_browser(pw)
        for url in (report.as_uri(), f"{stack.url}/dashboard"):
            page = browser.new_page()
            seen = _watch(page)
            page.goto(url)
            page.wait_for_selector("body[data-ready=true], body[data-ready=error]")
            assert page.locator("main img").count() == 0
            assert page.evaluate("window.__pwned") is None
            assert seen == [], url
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-ready=true]")
        assert PAYLOAD in (page.text_content("#facts") or "")
        assert PAYLOAD in (page.text_content("#chart-top-items") or "")
        browser.close()
