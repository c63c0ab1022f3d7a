"""Luigi workers as processes under one luigid, on a shared warehouse (the fakesnow server) and a
shared lake: `backfill --workers 2` builds every day once, across both processes, even when one
of them is SIGKILLed mid-task: its day is left incomplete, and its peer rebuilds it."""

import os
import random
import subprocess
import sys
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from adapters.snowflake.connection import SnowflakeConfig
from entrypoints.bootstrap import create_container
from entrypoints.settings import Settings
from pipelines.markers import read_marker
from pipelines.tasks import context
from tests.integration.batch_support import Batch, subprocess_spark_env
from tests.support.bronze_datagen import Mix, generate_days, load_catalog

pytestmark = pytest.mark.spark
ROOT = Path(__file__).resolve().parents[2]
TASKS = [
    ("BronzeExtract", None), ("SilverTables", None),
    ("GoldTable", "GOLD.DAILY_GMV_METRICS"), ("GoldTable", "GOLD.FOOD_ITEM_PERFORMANCE"),
    ("GoldTable", "GOLD.USER_FUNNEL_METRICS"), ("GoldTable", "GOLD.HOURLY_ORDER_PATTERNS"),
    ("GoldTable", "GOLD.USER_COHORT_METRICS"), ("PublishedDay", None),
]  # fmt: skip


def _environment(root: Path, warehouse: SnowflakeConfig) -> dict[str, str]:
    """What every process of one test uses: its own database on the server, its own lake, and
    one core of local Spark per worker process."""
    shared = {
        "FLOWGUARD_WAREHOUSE": "snowflake",
        "SNOWFLAKE_DATABASE": f"FG_WORKERS_{uuid.uuid4().hex[:10].upper()}",
        "SNOWFLAKE_HOST": warehouse.host or "",
        "SNOWFLAKE_PORT": str(warehouse.port or ""),
        "SNOWFLAKE_PROTOCOL": warehouse.protocol,
        "SNOWFLAKE_ACCOUNT": warehouse.account or "",
        "SNOWFLAKE_USER": warehouse.user or "",
        "SNOWFLAKE_PASSWORD": warehouse.password or "",
        "FLOWGUARD_DATA_DIR": str(root / "data"),
        "SPARK_MASTER": "local[1]",
        "SPARK_DRIVER_MEMORY": "1g",
        "SPARK_SHUFFLE_PARTITIONS": "1",
        **subprocess_spark_env(),  # as the tests' own session
    }
    return {key: value for key, value in shared.items() if value}


def _seeded(environment: dict[str, str], first: date, days: int) -> Batch:
    container = create_container(Settings(**environment))  # type: ignore[arg-type]
    context.use_container(container)
    batch = Batch(container)
    bronze = generate_days(first, days, load_catalog(), Mix(clicks_per_day=300), seed=5)
    batch.insert_arrow("ORDERS_RAW", bronze.orders)
    batch.insert_arrow("CLICKS_RAW", bronze.clicks)
    return batch


def _days(count: int) -> list[date]:
    # Days no earlier run used, so luigid's memory of other tests' tasks plays no part.
    first = date(2030, 1, 1) + timedelta(days=random.randrange(30_000))
    return [first + timedelta(days=n) for n in range(count)]


def _runs(batch: Batch, days: list[date]) -> Counter[tuple[str, str | None, date, str]]:
    rows = batch.sql(
        "SELECT TASK, TABLE_NAME, METRIC_DATE, STATUS FROM GOLD.PIPELINE_RUNS "
        "WHERE METRIC_DATE BETWEEN %s AND %s",
        (days[0], days[-1]),
    )
    return Counter(rows)


def _builders(days: list[date]) -> dict[tuple[str, date], str]:
    """Which process (host:pid) wrote each task's marker."""
    lake = context.current().lake
    found = {}
    for day in days:
        for family, table in TASKS:
            name = f"{family}-{table}" if table else family
            marker = read_marker(lake.marker(name, day))
            assert marker is not None, (name, day)
            found[(name, day)] = marker["worker"]
    return found


def _assert_each_task_built_once(batch: Batch, days: list[date]) -> None:
    expected = Counter(
        {(family, table, day, "success"): 1 for day in days for family, table in TASKS}
    )
    assert _runs(batch, days) == expected
    ((rows, orders),) = batch.sql(
        "SELECT COUNT(*), COUNT(DISTINCT ORDER_ID) FROM SILVER.ORDERS_CLEAN "
        "WHERE ORDER_DATE BETWEEN %s AND %s",
        (days[0], days[-1]),
    )
    assert rows == orders > 0
    gmv_days = batch.sql("SELECT METRIC_DATE FROM GOLD.DAILY_GMV_METRICS ORDER BY METRIC_DATE")
    assert gmv_days == [(day,) for day in days]


def test_a_backfill_with_two_worker_processes_survives_one_killed_mid_task(
    tmp_path: Path, fakesnow_server: SnowflakeConfig, luigi_scheduler_url: str
) -> None:
    """`batch backfill --workers 2` over two days. The worker process that builds the first
    day's SILVER dies (SIGKILL) with the data written and the marker not yet renamed into place;
    the other is the peer that must take that day over. The backfill still ends with every day
    built, each task once."""
    days = _days(2)
    victim_day = days[0]
    environment = _environment(tmp_path, fakesnow_server)
    batch = _seeded(environment, days[0], len(days))
    token = tmp_path / "killed"
    # The crash point reaches the worker processes the command starts by itself.
    crash = {
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "support" / "crash_site"), str(ROOT)]),
        "FLOWGUARD_TEST_CRASH_AT": f"{victim_day}/SilverTables.json",
        "FLOWGUARD_TEST_CRASH_TOKEN": str(token),
    }
    command = [
        sys.executable, "-m", "entrypoints.cli", "batch", "backfill",
        "--start", days[0].isoformat(), "--end", days[-1].isoformat(),
        "--workers", "2", "--scheduler-url", luigi_scheduler_url,
    ]  # fmt: skip
    done = subprocess.run(
        command, env={**os.environ, **environment, **crash}, cwd=ROOT,
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stdout + done.stderr
    assert "exited with status -9" in done.stderr  # one worker died, and the run says so
    victim = token.read_text().strip()
    markers = context.current().lake.markers(victim_day)
    # The victim died mid-task: its temporary marker is there, never renamed.
    assert [path.name.split(".")[3] for path in markers.glob(".SilverTables.json.*.tmp")] == [
        victim
    ]
    # Its day was rebuilt by the survivor, from SILVER on; every task ran to success once.
    builders = _builders(days)
    (survivor,) = {builders[(name, victim_day)] for name in ("SilverTables", "PublishedDay")}
    assert not survivor.endswith(f":{victim}")
    _assert_each_task_built_once(batch, days)
