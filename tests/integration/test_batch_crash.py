"""A publish killed after its warehouse write but before its marker: the day stays incomplete,
and the rerun converges to the correct GOLD without duplicates."""

import os
import signal
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import luigi
import pytest
from pyspark.sql import SparkSession

from pipelines.jobs.gold import GOLD_NAMES
from pipelines.markers import is_fresh, read_marker
from pipelines.tasks import context
from pipelines.tasks.day import GoldTable
from pipelines.tasks.runner import pending_days, run_days
from tests.integration.batch_support import (
    make_batch,
    seed_day,
    spark,  # noqa: F401 (fixture)
    subprocess_spark_env,
)

pytestmark = pytest.mark.spark
D = date(2026, 11, 20)
ROOT = Path(__file__).resolve().parents[2]


def _publish_in_a_process_that_dies_before_the_marker(settings_root: Path) -> int:
    env = {
        **os.environ,
        "FLOWGUARD_DATA_DIR": str(settings_root / "data"),
        "FAKESNOW_DB_PATH": str(settings_root / "fakesnow"),
        "FLOWGUARD_WAREHOUSE": "fakesnow",
        **subprocess_spark_env(),
    }
    # The CLI, with the test plugin's crash point before the publish marker's rename.
    crash = ["tests.support.crash_points", "PublishedDay.json", str(settings_root / "killed")]
    cli = ["entrypoints.cli", "batch", "run", "--date", D.isoformat()]
    command = [sys.executable, "-m", *crash, *cli]
    return subprocess.run(command, env=env, cwd=ROOT, timeout=300, check=False).returncode


def test_a_publish_killed_before_its_marker_leaves_the_day_incomplete_and_a_rerun_is_correct(
    tmp_path: Path,
    spark: SparkSession,  # noqa: F811
) -> None:
    batch = make_batch(tmp_path, spark)
    seed_day(batch, D)
    # SILVER and GOLD are built here (warm Spark); the killed process only has to publish.
    gold_tasks = [GoldTable(day=D, table=name) for name in GOLD_NAMES]
    assert luigi.build(gold_tasks, local_scheduler=True, workers=1)
    batch.release_warehouse()

    assert _publish_in_a_process_that_dies_before_the_marker(tmp_path) == -signal.SIGKILL
    assert (tmp_path / "killed").exists()  # by the crash point, not by something else

    marker = context.current().lake.marker("PublishedDay", D)
    assert read_marker(marker) is None
    assert list(marker.parent.glob(".PublishedDay.json.*.tmp"))  # died between write and rename
    written = batch.sql("SELECT TOTAL_ORDERS FROM GOLD.DAILY_GMV_METRICS")
    assert written == [(3,)]  # the warehouse commit happened before the kill
    assert pending_days([D]) == [D]

    assert run_days([D]).succeeded

    assert is_fresh(marker, context.current().current_fingerprint(D))
    (gmv,) = batch.gold(D)["GOLD.DAILY_GMV_METRICS"]
    assert gmv[1:5] == (3, 2, 1, Decimal("1608.00"))
    assert batch.sql("SELECT COUNT(*), COUNT(DISTINCT ORDER_ID) FROM SILVER.ORDERS_CLEAN") == [
        (3, 3)
    ]
    assert batch.sql("SELECT COUNT(*) FROM GOLD.RESTATEMENTS") == [(0,)]
    published = batch.sql(
        "SELECT STATUS FROM GOLD.PIPELINE_RUNS WHERE TASK = 'PublishedDay' AND METRIC_DATE = %s",
        (D,),
    )
    assert published == [("success",)]  # the killed run never reached its log line
