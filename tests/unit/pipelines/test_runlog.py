"""The run log records every task run, failures included, without hiding the task's error."""

from datetime import date

import pytest

from pipelines.jobs.result import JobResult
from pipelines.tasks.runlog import Run, recorded
from tests.unit.pipelines.fakes import FakeTables

D = date(2026, 11, 20)


def test_a_successful_run_is_logged_with_its_rows() -> None:
    tables = FakeTables()
    with recorded(tables, Run("SilverTables", None, D)) as run:
        run.result = JobResult(rows_in=10, rows_out=7)
    (row,) = tables.stored["GOLD.PIPELINE_RUNS"]
    assert (row["TASK"], row["STATUS"], row["ROWS_IN"], row["ROWS_OUT"]) == (
        "SilverTables",
        "success",
        10,
        7,
    )
    assert row["DURATION_S"] >= 0


def test_a_failed_run_is_logged_as_failed_and_the_error_still_raised() -> None:
    tables = FakeTables()
    with (
        pytest.raises(RuntimeError, match="disk full"),
        recorded(tables, Run("GoldTable", "GOLD.X", D)),
    ):
        raise RuntimeError("disk full")
    (row,) = tables.stored["GOLD.PIPELINE_RUNS"]
    assert (row["STATUS"], row["TABLE_NAME"], row["ERROR"]) == (
        "failed",
        "GOLD.X",
        "RuntimeError: disk full",
    )


class BrokenTables(FakeTables):
    def append(self, rows: object) -> None:
        raise ConnectionError("warehouse down")


def test_a_run_log_outage_does_not_replace_the_task_outcome() -> None:
    with recorded(BrokenTables(), Run("BronzeExtract", None, D)) as run:
        run.result = JobResult(1, 1)
    with (
        pytest.raises(ValueError, match="bad"),
        recorded(BrokenTables(), Run("BronzeExtract", None, D)),
    ):
        raise ValueError("bad")
