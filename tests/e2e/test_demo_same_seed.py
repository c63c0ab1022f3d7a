"""The demo end to end at a small size: HTTP -> event store -> relay -> bus -> BRONZE -> Spark
SILVER/GOLD, reconciled against the event store; and the same seed builds the same GOLD."""

import re
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from entrypoints.demo.run import DemoResult, run_demo
from entrypoints.simulator.plan import TrafficConfig
from tests.e2e.browser_support import running_stack

pytestmark = pytest.mark.spark
TRAFFIC = TrafficConfig(seed=3, days=1, users=60, start=date(2026, 11, 18))


def _demo(data_dir: Path) -> DemoResult:
    # The Spark session is left running: the process shares one, as the batch tests do.
    with running_stack(data_dir) as (container, stack), (data_dir / "demo.log").open("w") as log:
        console = Console(file=log, width=120)
        return run_demo(container, TRAFFIC, console, data_dir / "report.html", stack)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoResult, DemoResult]:
    return _demo(tmp_path_factory.mktemp("first")), _demo(tmp_path_factory.mktemp("second"))


def test_the_event_store_and_gold_agree_on_orders_delivered_and_gmv(
    runs: tuple[DemoResult, DemoResult],
) -> None:
    first, _ = runs
    assert [day.day for day in first.reconciliation] == ["2026-11-18"]
    assert int(first.reconciliation[0].source["orders"]) > 0
    assert first.ok, first.reconciliation


def test_the_report_holds_every_gold_table(runs: tuple[DemoResult, DemoResult]) -> None:
    page = runs[0].report.read_text()
    assert re.search(r'"daily_gmv_metrics": \[\{', page)
    assert all(rows for rows in runs[0].gold.values())


def test_the_same_seed_builds_the_same_gold(runs: tuple[DemoResult, DemoResult]) -> None:
    first, second = runs
    assert first.gold == second.gold
