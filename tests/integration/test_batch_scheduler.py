"""A backfill under a real luigid: three days built by two worker threads, listed as done by
the scheduler, and skipped when asked again (RangeDaily's missing-days-only behaviour)."""

import json
import random
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from pyspark.sql import SparkSession

from pipelines.tasks.runner import run_days
from tests.integration.batch_support import (
    make_batch,
    seed_day,
    spark,  # noqa: F401 (fixture)
)

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
    for day in days:
        seed_day(batch, day)

    result = run_days(days, workers=2, scheduler_url=luigi_scheduler_url)

    assert result.succeeded
    assert result.pending == days
    done = _done_tasks(luigi_scheduler_url)
    for day in days:
        assert ("PublishedDay", day.isoformat()) in done
        assert done.count(("GoldTable", day.isoformat())) == 5
    for day in days:
        assert batch.sql(
            "SELECT TOTAL_ORDERS FROM GOLD.DAILY_GMV_METRICS WHERE METRIC_DATE = %s", (day,)
        ) == [(3,)]
    assert run_days(days, scheduler_url=luigi_scheduler_url).pending == []
