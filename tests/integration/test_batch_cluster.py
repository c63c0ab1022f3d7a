"""One day built on the Spark standalone cluster (`flowguard services up spark`, started here for
this module only) gives exactly the SILVER and GOLD of the same day built in local mode."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from pyspark.sql import SparkSession

from entrypoints.services.manager import ServiceManager
from entrypoints.services.spark import DRIVER_HOST_VAR, MASTER_VAR, SparkService
from entrypoints.settings import LOCAL_DIR
from pipelines.jobs.lake import Lake
from pipelines.jobs.silver import SILVER_SPECS
from pipelines.tasks.runner import run_days
from pipelines.transforms.schemas import GOLD_TABLES
from tests.integration.batch_support import (
    Batch,
    make_batch,
    spark,  # noqa: F401 (fixture)
    subprocess_spark_env,
)
from tests.support.bronze_datagen import Mix, generate_days, load_catalog

pytestmark = pytest.mark.spark
D = date(2026, 11, 20)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spark_cluster() -> Iterator[dict[str, str]]:
    """The cluster's client variables. Ours is started for this module and stopped after it:
    left running, its SPARK_MASTER in services.env would move every later build onto it."""
    manager = ServiceManager(LOCAL_DIR)
    service = manager.services["spark"]
    ours = not service.is_external(manager.environ) and service.pid() is None
    env = manager.up(["spark"])
    try:
        yield {key: env[key] for key in (MASTER_VAR, DRIVER_HOST_VAR) if key in env}
    finally:
        if ours:
            manager.down(["spark"])


def _completed_apps(service: SparkService) -> list[str]:
    ui_port = json.loads((service.home / "ports.json").read_text())["master-ui"]
    state = httpx.get(f"http://127.0.0.1:{ui_port}/json/", timeout=10).json()
    return [app["name"] for app in state["completedapps"]]


def _seed(batch: Batch) -> None:
    bronze = generate_days(D, 1, load_catalog(), Mix(clicks_per_day=800), seed=23)
    batch.insert_arrow("ORDERS_RAW", bronze.orders)
    batch.insert_arrow("CLICKS_RAW", bronze.clicks)


def _rows(lake: Lake, table: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(row.items()) for row in lake.read_rows(table, D))


def _build_on_the_cluster(root: Path, cluster: dict[str, str]) -> int:
    env = {
        **os.environ,
        **cluster,
        "FLOWGUARD_DATA_DIR": str(root / "data"),
        "FAKESNOW_DB_PATH": str(root / "fakesnow"),
        "FLOWGUARD_WAREHOUSE": "fakesnow",
        "SPARK_DRIVER_MEMORY": "1g",
        "SPARK_SHUFFLE_PARTITIONS": "2",  # one per executor; the local build uses 1
        **subprocess_spark_env(),  # as the tests' local session
    }
    command = [sys.executable, "-m", "entrypoints.cli", "batch", "run", "--date", D.isoformat()]
    return subprocess.run(command, env=env, cwd=ROOT, timeout=600, check=False).returncode


def test_a_day_built_on_the_cluster_equals_the_local_mode_build(
    tmp_path: Path,
    spark: SparkSession,  # noqa: F811
    spark_cluster: dict[str, str],
) -> None:
    local = make_batch(tmp_path / "local", spark)
    _seed(local)
    assert run_days([D]).succeeded
    local_lake, local_gold = Lake(tmp_path / "local" / "data" / "lake"), local.gold(D)

    cluster = make_batch(tmp_path / "cluster", spark)
    _seed(cluster)
    cluster.release_warehouse()
    service = SparkService(LOCAL_DIR)
    apps_before = _completed_apps(service) if service.pid() else []
    assert _build_on_the_cluster(tmp_path / "cluster", spark_cluster) == 0

    if service.pid():  # ours: the build was an application of this master, not local mode
        assert _completed_apps(service).count("flowguard-batch") == (
            apps_before.count("flowguard-batch") + 1
        )
    cluster_lake = Lake(tmp_path / "cluster" / "data" / "lake")
    for table in [spec.name for spec in SILVER_SPECS] + [spec.name for spec in GOLD_TABLES]:
        expected = _rows(local_lake, table)
        assert expected, table
        assert _rows(cluster_lake, table) == expected, table
    assert cluster.gold(D) == local_gold
