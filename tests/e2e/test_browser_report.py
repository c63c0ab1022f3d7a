"""The demo report opens from disk, with no server and no network, and draws every chart."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from entrypoints.report.data import QualityFigure, ReconciledDay, ReportData
from entrypoints.report.html import write_report
from tests.e2e.browser_support import chromium_browser, screenshot
from tests.unit.report.sample_gold import sample_gold

pytestmark = pytest.mark.browser
FIGURES = {"orders": "120", "delivered": "114", "gmv": "36180.00"}


def test_the_report_draws_every_chart_offline(tmp_path: Path) -> None:
    reconciliation = [ReconciledDay("2026-11-21", FIGURES, FIGURES | {"gmv": "36180.01"})]
    quality = [QualityFigure("API", "click retries stored once", 384)]
    report = ReportData(
        "FlowGuard demo report", sample_gold(), quality, reconciliation, {"seed": "7"}
    )
    path = write_report(report, tmp_path / "report.html")
    with sync_playwright() as playwright:
        browser = chromium_browser(playwright)
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]")
        screenshot(page, "report.png")
        for chart in ("daily-gmv", "hourly", "funnel", "top-items", "cohorts"):
            assert (
                page.locator(
                    f"svg[data-chart={chart}] .bar, svg[data-chart={chart}] .point"
                ).count()
                > 0
            )
        hourly = page.eval_on_selector_all(
            "svg[data-chart=hourly] .bar", "bars => bars.map(b => +b.dataset.value)"
        )
        assert hourly[12] == 60  # 30 orders at noon on each of the two days
        assert "MISMATCH" in page.text_content("[data-chart=reconciliation]")
        assert requests == [path.as_uri()]
        browser.close()
