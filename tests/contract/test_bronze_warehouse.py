"""One contract for BRONZE over fakesnow in-process, the fakesnow server, and real Snowflake:
MERGE inserts only unseen INGESTION_IDs, re-runs converge, failures are kept once."""

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.snowflake.bronze_warehouse import SnowflakeBronzeWarehouse
from adapters.snowflake.connection import EmbeddedFakesnow, SnowflakeConfig, connect_snowflake
from adapters.snowflake.staging import (
    FakesnowPandasStager,
    InsertStager,
    SnowflakePandasStager,
    Stager,
)
from adapters.snowflake.tables import SnowflakeTables
from application.ports import BronzeRow, FailedMessage, InboundMessage

# Real Snowflake costs credits and needs an account: this one case runs only when credentials
# are configured (the only conditional in the suite, as the issue allows).
real_snowflake = pytest.param(
    "snowflake",
    marks=[
        pytest.mark.snowflake,
        pytest.mark.skipif(
            not os.environ.get("SNOWFLAKE_ACCOUNT"), reason="needs SNOWFLAKE_ACCOUNT credentials"
        ),
    ],
)


Target = tuple[Callable[[], Any], Stager]


@pytest.fixture(params=["fakesnow", "fakesnow-server", real_snowflake])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    """How to connect to a fresh database, and how to stage into it."""
    database = f"CONTRACT_{uuid.uuid4().hex[:8].upper()}"
    if request.param == "fakesnow":
        fakesnow = EmbeddedFakesnow(tmp_path / "fakesnow", database=database)
        return fakesnow.connect, FakesnowPandasStager()
    if request.param == "fakesnow-server":
        server: SnowflakeConfig = request.getfixturevalue("fakesnow_server")
        config = replace(server, database=database)
        return (lambda: connect_snowflake(config)), InsertStager()
    config = SnowflakeConfig(
        database=os.environ.get("SNOWFLAKE_DATABASE", "FLOWGUARD"),
        account=os.environ["SNOWFLAKE_ACCOUNT"],
        user=os.environ.get("SNOWFLAKE_USER"),
        password=os.environ.get("SNOWFLAKE_PASSWORD"),
        warehouse=os.environ.get("SNOWFLAKE_WAREHOUSE"),
        role=os.environ.get("SNOWFLAKE_ROLE"),
    )
    return (lambda: connect_snowflake(config)), SnowflakePandasStager()


@pytest.fixture
def warehouse(target: Target) -> Iterator[SnowflakeBronzeWarehouse]:
    built = SnowflakeBronzeWarehouse(*target)
    built.create_schema()
    yield built
    built.close()


def row(
    day: int = 25, event_type: str = "order.placed", client_event_id: str | None = None
) -> BronzeRow:
    at = datetime(2026, 11, day, 12, 30, 1, 123456)
    return BronzeRow(
        ingestion_id=str(uuid.uuid4()), event_type=event_type, aggregate_id=str(uuid.uuid4()),
        aggregate_version=1, event_time=at, event_date=at.date(),
        received_at=at + timedelta(seconds=1), schema_version=1, payload='{"total": "12.50"}',
        source_topic="raw.orders.v1", source_partition=0, source_offset=day, ingested_at=at,
        client_event_id=client_event_id,
    )  # fmt: skip


def test_create_schema_is_idempotent(warehouse: SnowflakeBronzeWarehouse) -> None:
    warehouse.create_schema()
    warehouse.create_schema()
    assert warehouse.ingestion_ids("ORDERS_RAW") == []


def test_merge_inserts_new_rows_and_reports_how_many(warehouse: SnowflakeBronzeWarehouse):
    rows = [row() for _ in range(5)]
    assert warehouse.merge_rows("ORDERS_RAW", rows) == 5
    assert sorted(warehouse.ingestion_ids("ORDERS_RAW")) == sorted(r.ingestion_id for r in rows)


def test_merging_the_same_batch_again_converges(warehouse: SnowflakeBronzeWarehouse) -> None:
    rows = [row(day) for day in (24, 25, 26)]
    warehouse.merge_rows("CLICKS_RAW", rows)
    assert warehouse.merge_rows("CLICKS_RAW", rows) == 0
    fresh = row(25)
    assert warehouse.merge_rows("CLICKS_RAW", [*rows, fresh]) == 1
    assert len(warehouse.ingestion_ids("CLICKS_RAW")) == 4


def test_tables_are_separate(warehouse: SnowflakeBronzeWarehouse) -> None:
    warehouse.merge_rows("ORDERS_RAW", [row()])
    assert warehouse.ingestion_ids("CLICKS_RAW") == []


def test_unknown_tables_are_refused(warehouse: SnowflakeBronzeWarehouse) -> None:
    with pytest.raises(ValueError, match="not a BRONZE raw table"):
        warehouse.merge_rows("FAILED_EVENTS; DROP TABLE X", [row()])


def test_failures_are_kept_once_per_topic_partition_offset(warehouse: SnowflakeBronzeWarehouse):
    poison = FailedMessage(InboundMessage("raw.orders.v1", 2, 17, b"k", b"\xffbad"), "not JSON")
    warehouse.record_failures([poison, poison], datetime(2026, 11, 25))
    warehouse.record_failures([poison], datetime(2026, 11, 25))
    assert warehouse.failed_ids() == ["raw.orders.v1:2:17"]


def test_the_client_event_id_is_stored_for_tracing_and_never_a_key(
    warehouse: SnowflakeBronzeWarehouse, target: Target
) -> None:
    traced, bare = row(client_event_id="client-7"), row()
    again = row(client_event_id="client-7")  # the same client id again: another event
    assert warehouse.merge_rows("ORDERS_RAW", [traced, bare, again]) == 3
    assert warehouse.merge_rows("ORDERS_RAW", [traced._replace(client_event_id="other")]) == 0

    day = traced.event_date
    window = SnowflakeTables(*target).bronze_window("ORDERS_RAW", day, day)
    kept = {r["INGESTION_ID"]: r["CLIENT_EVENT_ID"] for r in window.to_pylist()}
    assert kept == {traced.ingestion_id: "client-7", bare.ingestion_id: None,
                    again.ingestion_id: "client-7"}  # fmt: skip
