"""Publishing a day: replace its rows, and restate the GOLD figures a rebuild changed."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.jobs.extract import extraction_window, input_fingerprint
from pipelines.jobs.lake import Lake
from pipelines.jobs.publish import InputChange, publish_day
from pipelines.transforms.schemas import DAILY_GMV_METRICS, GOLD_TABLES, SILVER_TABLES
from tests.unit.pipelines.fakes import FakeTables

D = date(2026, 11, 20)
OLD = {"ORDERS_RAW": {"rows": 3}}
NEW = {"ORDERS_RAW": {"rows": 4}}


def _gmv(total_orders: int) -> dict[str, Any]:
    return {"METRIC_DATE": D, "TOTAL_ORDERS": total_orders, "GMV": Decimal("100.00")}


def _lake(tmp_path: Path, gmv_row: dict[str, Any]) -> Lake:
    lake = Lake(tmp_path / "lake")
    for spec in (*SILVER_TABLES, *GOLD_TABLES):
        rows = [gmv_row] if spec is DAILY_GMV_METRICS else []
        table = pa.Table.from_pylist(rows) if rows else pa.table({spec.day_column: pa.array([])})
        lake.write_arrow(spec.name, D, table)
    return lake


def test_the_first_publish_writes_the_day_and_restates_nothing(tmp_path: Path) -> None:
    tables = FakeTables()
    publish_day(tables, _lake(tmp_path, _gmv(3)), D, InputChange(D, None, OLD), "run-1")
    assert tables.read_rows("GOLD.DAILY_GMV_METRICS", "METRIC_DATE", D, D) == [_gmv(3)]
    assert "GOLD.RESTATEMENTS" not in tables.stored


def test_republishing_replaces_the_day_instead_of_adding_to_it(tmp_path: Path) -> None:
    tables = FakeTables()
    lake = _lake(tmp_path, _gmv(3))
    publish_day(tables, lake, D, InputChange(D, None, OLD), "run-1")
    _, restated = publish_day(tables, lake, D, InputChange(D, OLD, OLD), "run-2")
    assert tables.read_rows("GOLD.DAILY_GMV_METRICS", "METRIC_DATE", D, D) == [_gmv(3)]
    assert restated == 0


def test_a_rebuild_that_changes_a_figure_records_a_restatement(tmp_path: Path) -> None:
    tables = FakeTables()
    publish_day(tables, _lake(tmp_path / "a", _gmv(3)), D, InputChange(D, None, OLD), "run-1")
    _, restated = publish_day(
        tables, _lake(tmp_path / "b", _gmv(4)), D, InputChange(D, OLD, NEW), "run-2"
    )
    (row,) = tables.stored["GOLD.RESTATEMENTS"]
    assert restated == 1
    assert (row["TABLE_NAME"], row["COLUMN_NAME"]) == ("GOLD.DAILY_GMV_METRICS", "TOTAL_ORDERS")
    assert (row["OLD_VALUE"], row["NEW_VALUE"], row["ROW_KEY"]) == ("3", "4", "{}")
    assert row["RUN_ID"] == "run-2"
    assert "rows 3 -> 4" in row["CAUSE"]


def test_the_fingerprint_covers_the_orders_lookahead_and_the_clicks_day() -> None:
    tables = FakeTables()
    tables.add_bronze("ORDERS_RAW", D, datetime(2026, 11, 20, 12))
    tables.add_bronze("ORDERS_RAW", date(2026, 11, 21), datetime(2026, 11, 21, 0, 30))
    tables.add_bronze("ORDERS_RAW", date(2026, 11, 22), datetime(2026, 11, 22, 9))
    tables.add_bronze("CLICKS_RAW", date(2026, 11, 21), datetime(2026, 11, 21, 9))
    fingerprint = input_fingerprint(tables, D)
    assert extraction_window("ORDERS_RAW", D) == (D, date(2026, 11, 21))
    assert fingerprint["ORDERS_RAW"]["rows"] == 2
    assert fingerprint["ORDERS_RAW"]["max_ingested_at"] == "2026-11-21T00:30:00"
    assert fingerprint["CLICKS_RAW"] == {
        "start": "2026-11-20",
        "end": "2026-11-20",
        "rows": 0,
        "max_ingested_at": None,
    }


def test_a_late_row_changes_the_fingerprint() -> None:
    tables = FakeTables()
    tables.add_bronze("CLICKS_RAW", D, datetime(2026, 11, 20, 12))
    before = input_fingerprint(tables, D)
    tables.add_bronze("CLICKS_RAW", D, datetime(2026, 11, 23, 8))
    assert input_fingerprint(tables, D) != before
