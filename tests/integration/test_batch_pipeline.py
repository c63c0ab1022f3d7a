"""The daily pipeline on a real (embedded) warehouse and Spark: build, rebuild, late data."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from entrypoints import cli
from pipelines.markers import read_marker
from pipelines.tasks import context
from pipelines.tasks.runner import pending_days, run_days
from pipelines.tasks.status import BUILT, day_states
from tests.integration.batch_support import (
    Batch,
    make_batch,
    seed_day,
    spark,  # noqa: F401 (fixture)
    status,
    utc_now,
)

pytestmark = pytest.mark.spark
D = date(2026, 11, 20)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, spark: SparkSession) -> Batch:  # noqa: F811
    batch = make_batch(tmp_path_factory.mktemp("pipeline"), spark)
    seed_day(batch, D)
    assert run_days([D]).succeeded
    return batch


@pytest.fixture(autouse=True)
def installed(built: Batch) -> Batch:
    context.use_container(built.container)
    return built


def test_a_day_builds_gold_with_the_defined_figures(built: Batch) -> None:
    (gmv,) = built.gold(D)["GOLD.DAILY_GMV_METRICS"]
    # METRIC_DATE, TOTAL, DELIVERED (one after midnight), CANCELLED, GMV, NET_GMV, AOV, CUSTOMERS
    assert gmv[:8] == (D, 3, 2, 1, Decimal("1608.00"), Decimal("1072.00"), Decimal("536.00"), 3)
    (funnel,) = built.gold(D)["GOLD.USER_FUNNEL_METRICS"]
    # Orders carry their session, and reaching a stage includes reaching a later one.
    assert funnel[1:6] == (4, 3, 3, 3, 3)
    assert pending_days([D]) == []


def test_every_task_run_is_logged_and_status_shows_the_day_built(built: Batch) -> None:
    runs = built.sql(
        "SELECT TASK, STATUS, ROWS_OUT FROM GOLD.PIPELINE_RUNS WHERE METRIC_DATE = %s", (D,)
    )
    assert {task for task, _, _ in runs} == {
        "BronzeExtract",
        "SilverTables",
        "GoldTable",
        "PublishedDay",
    }
    assert len(runs) == 8
    assert {state for _, state, _ in runs} == {"success"}
    states = day_states([D])[D]
    assert {state.state for state in states.values()} == {BUILT}


def test_the_status_command_shows_every_task_of_the_day_ok(
    built: Batch, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = built.container.settings()
    monkeypatch.setenv("FLOWGUARD_WAREHOUSE", "fakesnow")
    monkeypatch.setenv("FLOWGUARD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("FAKESNOW_DB_PATH", str(settings.fakesnow_path))
    days_back = (datetime.now(UTC).date() - D).days + 1  # from today back to D

    result = CliRunner().invoke(cli.app, ["batch", "status", "--days", str(days_back)])

    assert result.exit_code == 0, result.output
    (line,) = [row for row in result.output.splitlines() if row.strip().startswith(str(D)[5:])]
    assert line.count("ok") == 8


def test_running_a_day_twice_gives_identical_gold(built: Batch) -> None:
    before = built.gold(D)
    assert run_days([D], force=True).succeeded
    assert built.gold(D) == before
    assert built.sql("SELECT COUNT(*) FROM GOLD.RESTATEMENTS") == [(0,)]


def test_a_late_event_makes_the_day_stale_restates_gold_and_records_why(built: Batch) -> None:
    old_fingerprint = read_marker(context.current().lake.marker("PublishedDay", D))["fingerprint"]
    late = status("o1", "u1", 4, "cancelled", datetime(2026, 11, 20, 11), ingested_at=utc_now())
    built.insert_bronze("ORDERS_RAW", [late])
    assert pending_days([D]) == [D]

    assert run_days([D]).succeeded

    (gmv,) = built.gold(D)["GOLD.DAILY_GMV_METRICS"]
    assert gmv[1:4] == (3, 1, 2)  # o1 is now cancelled: delivered 2 -> 1, cancelled 1 -> 2
    rows = built.sql(
        "SELECT COLUMN_NAME, OLD_VALUE, NEW_VALUE, CAUSE, OLD_FINGERPRINT FROM GOLD.RESTATEMENTS "
        "WHERE TABLE_NAME = 'GOLD.DAILY_GMV_METRICS' AND METRIC_DATE = %s ORDER BY COLUMN_NAME",
        (D,),
    )
    changed = {column: (old, new) for column, old, new, _, _ in rows}
    assert changed["DELIVERED_ORDERS"] == ("2", "1")
    assert changed["CANCELLED_ORDERS"] == ("1", "2")
    assert changed["NET_GMV"] == ("1072.00", "536.00")
    assert "ORDERS_RAW: rows 8 -> 9" in rows[0][3]
    assert old_fingerprint["ORDERS_RAW"]["rows"] == 8
    assert '"rows": 8' in rows[0][4]
    assert pending_days([D]) == []
