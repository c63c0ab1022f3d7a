"""A newcomer's first hour, end to end over real processes: `flowguard demo`, then `flowguard up`
in one terminal and, in another, `simulate`, `batch run --date <yesterday>`, `batch status` and
`status`, all without restarting `up`; the dashboard shows the new data and today's live figures;
`up` stops cleanly on Ctrl-C."""

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import sync_playwright

from entrypoints.demo.stack import free_port
from tests.e2e.browser_support import chromium_browser, eventually

pytestmark = [pytest.mark.spark, pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]
YESTERDAY = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()


def _embedded_env(local_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SNOWFLAKE_", "FAKESNOW_", "KAFKA_", "LUIGI_"))
    }
    return env | {
        "FLOWGUARD_LOCAL_DIR": str(local_dir),
        "FLOWGUARD_EVENT_STORE": "sqlite",
        "FLOWGUARD_BUS": "inprocess",
        "FLOWGUARD_WAREHOUSE": "fakesnow",
        "FLOWGUARD_DATA_DIR": str(local_dir / "data"),
        "SPARK_MASTER": "local[2]",
        "SPARK_SHUFFLE_PARTITIONS": "1",
    }


def _flowguard(
    env: dict[str, str], *args: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "entrypoints.cli", *args]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture(scope="module")
def demo_then_up(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], str]]:
    env = _embedded_env(tmp_path_factory.mktemp("newcomer"))
    demo = _flowguard(env, "demo", "--days", "1", "--users", "150")
    assert demo.returncode == 0, demo.stdout + demo.stderr
    port = free_port()
    up = subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli", "up", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        eventually(lambda: _answers(f"{base}/readyz"), timeout=120, what="`flowguard up` ready")
        yield env, base
        up.send_signal(signal.SIGINT)
        output, _ = up.communicate(timeout=90)
        assert up.returncode == 0, output
        assert "Stopping: API, relay and consumer" in output
        assert "Traceback" not in output
    finally:
        if up.poll() is None:
            up.kill()


def _orders(base: str, day: str) -> int:
    rows = httpx.get(f"{base}/api/v1/metrics/gold/daily_gmv_metrics", params={"date": day}).json()
    return int(rows["rows"][0]["TOTAL_ORDERS"]) if rows["rows"] else 0


def _order_now(base: str) -> str:
    items = httpx.get(f"{base}/api/v1/catalog/items", params={"restaurant_id": "rst_002"}).json()
    body = {
        "user_id": "newcomer", "restaurant_id": "rst_002", "payment_method": "card",
        "lines": [{"item_id": items["items"][0]["item_id"], "quantity": 1}],
    }  # fmt: skip
    receipt = httpx.post(f"{base}/api/v1/orders", json=body)
    assert receipt.status_code == 201, receipt.text
    return str(receipt.json()["order_id"])


def _live_orders(base: str) -> int | None:
    figures: dict[str, Any] = httpx.get(f"{base}/api/v1/metrics/live").json()
    daily = figures.get("daily_gmv_metrics")
    return daily["TOTAL_ORDERS"] if daily and daily["TOTAL_ORDERS"] else None


def test_commands_run_against_a_running_up_without_a_restart(
    demo_then_up: tuple[dict[str, str], str],
) -> None:
    env, base = demo_then_up
    before = _orders(base, YESTERDAY)
    assert before > 0  # the demo built yesterday

    simulate = _flowguard(env, "simulate", "--target", base, "--days", "2", "--users", "120")
    assert simulate.returncode == 0, simulate.stdout + simulate.stderr
    assert "orders.placed" in simulate.stdout
    assert "seed " in simulate.stdout

    run = _flowguard(env, "batch", "run", "--date", YESTERDAY)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "flowguard up" in run.stdout
    assert "built 1 day(s)" in run.stdout
    assert _orders(base, YESTERDAY) > before  # the new traffic is in yesterday's GOLD

    status = _flowguard(env, "batch", "status", "--json")
    assert status.returncode == 0, status.stderr
    days = {day["day"]: day for day in json.loads(status.stdout)["days"]}
    assert {t["state"] for t in days[YESTERDAY]["tasks"].values()} == {"built"}

    health = _flowguard(env, "status", "--json")
    assert health.returncode == 0, health.stdout + health.stderr
    assert all(check["ok"] for check in json.loads(health.stdout)["checks"])

    demo = _flowguard(env, "demo")
    assert demo.returncode == 1
    assert "flowguard up" in demo.stderr
    assert "simulate --target" in demo.stderr
    assert len(demo.stderr.strip().splitlines()) == 1
    second = _flowguard(env, "up", "--port", "0")
    assert second.returncode == 1
    assert "already serves" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1


def test_the_dashboard_shows_todays_orders_live(demo_then_up: tuple[dict[str, str], str]) -> None:
    _, base = demo_then_up
    _order_now(base)
    live = eventually(lambda: _live_orders(base), what="today's order counted live")
    today = datetime.now(UTC).date().isoformat()
    with sync_playwright() as playwright:
        browser = chromium_browser(playwright)
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        page.goto(f"{base}/dashboard?date={today}")
        page.wait_for_selector("body[data-ready=true][data-day-kind=live]")
        assert "Live, not yet built" in (page.text_content("#notice") or "")
        shown = page.eval_on_selector_all(".kpi .value", "v => v.map(x => x.textContent)")
        assert int(shown[0]) >= live
        assert page.is_visible("#build-now")  # `up` builds: the dashboard offers it
        browser.close()
