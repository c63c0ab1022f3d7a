"""A backfill under a real luigid: three generated days built by this process's worker, listed
as done by the scheduler, consistent across GOLD tables, and skipped when asked again (RangeDaily's
missing-days-only behaviour). Several worker processes: test_batch_workers.py."""

import json
import random
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from pyspark.sql import SparkSession

from pipelines.tasks.runner import run_days
from tests.integration.batch_support import (
    Batch,
    make_batch,
    spark,  # noqa: F401 (fixture)
)
from tests.support.bronze_datagen import Mix, generate_days, load_catalog

pytestmark = pytest.mark.spark


def _done_tasks(url: str) -> list[tuple[str, str]]:
    """(task family, day) of every task luigid lists as DONE."""
    reply = httpx.get(
        f"{url.rstrip('/')}/api/task_list", params={"data": json.dumps({"status": "DONE"})}
    )
    reply.raise_for_status()
    tasks = reply.json()["response"].values()
    return [(task["name"], task["params"].get("day", "")) for task in tasks]


def test_a_three_day_backfill_runs_under_luigid_and_is_visible_there(
    tmp_path: Path,
    spark: SparkSession,  # noqa: F811
    luigi_scheduler_url: str,
) -> None:
    # Days no earlier run used, so what luigid lists comes from this backfill.
    first = date(2030, 1, 1) + timedelta(days=random.randrange(30_000))
    days = [first + timedelta(days=n) for n in range(3)]
    batch = make_batch(tmp_path, spark)
    bronze = generate_days(first, 3, load_catalog(), Mix(clicks_per_day=300), seed=11)
    batch.insert_arrow("ORDERS_RAW", bronze.orders)
    batch.insert_arrow("CLICKS_RAW", bronze.clicks)

    result = run_days(days, workers=1, scheduler_url=luigi_scheduler_url)

    assert result.succeeded
    assert result.pending == days
    done = _done_tasks(luigi_scheduler_url)
    for day in days:
        assert ("PublishedDay", day.isoformat()) in done
        assert done.count(("GoldTable", day.isoformat())) == 5
    for day in days:
        _assert_gold_tables_agree(batch, day)
    assert run_days(days, scheduler_url=luigi_scheduler_url).pending == []


def _assert_gold_tables_agree(batch: Batch, day: date) -> None:
    """The cross-table invariants of docs/metrics.md, on what was published."""
    ((orders, gmv, customers),) = batch.sql(
        "SELECT TOTAL_ORDERS, GMV, UNIQUE_CUSTOMERS FROM GOLD.DAILY_GMV_METRICS "
        "WHERE METRIC_DATE = %s",
        (day,),
    )
    ((hourly_orders, hourly_gmv),) = batch.sql(
        "SELECT SUM(TOTAL_ORDERS), SUM(GMV) FROM GOLD.HOURLY_ORDER_PATTERNS WHERE METRIC_DATE = %s",
        (day,),
    )
    ((active,),) = batch.sql(
        "SELECT SUM(ACTIVE_USERS) FROM GOLD.USER_COHORT_METRICS WHERE METRIC_DATE = %s", (day,)
    )
    ((silver_orders,),) = batch.sql(
        "SELECT COUNT(*) FROM SILVER.ORDERS_CLEAN WHERE ORDER_DATE = %s AND IS_VALID", (day,)
    )
    assert orders > 0
    assert (hourly_orders, hourly_gmv) == (orders, gmv)
    assert active == customers
    assert silver_orders == orders
